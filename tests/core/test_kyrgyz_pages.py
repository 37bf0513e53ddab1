"""Every page in Kyrgyz: no interface text left in English or Japanese (issue #19).

One app on the demo data serves the module. Each demo role, with Kyrgyz chosen, walks the site
from its start pages through the test client (the crawler of tests/core/test_hostile_input.py),
one page per route, and every page's visible text is searched for the catalogue's English
source strings and its Japanese translations. Content is allowed: course words and glosses,
names, contest and event texts (a Kyrgyz reader reads what exists only in Japanese and English
in Japanese: app/core/i18n.py), and text marked as being in another language (`lang="ja"`,
the switcher's 日本語 and English). The immersion titles (`data-ja`) are Japanese by design.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from app.auth.models import User
from app.extensions import db
from tests.core.test_hostile_input import PASSWORD, PageParser, _endpoint, demo_app

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
# role → demo account (None: a visitor); each reads the interface in Kyrgyz.
ACCOUNTS: dict[str, str | None] = {
    "visitor": None,
    "student": "student@example.com",  # registered for the contest
    "classmate": "tanaka.yui@example.com",  # a student of the demo class, with a history
    "teacher": "teacher@example.com",
    "organizer": "organizer@example.com",
    "judge": "judge@example.com",
    "admin": "admin@example.com",
}
STARTS = ["/", "/lessons/", "/quizzes/", "/progress/", "/contest/", "/events/", "/calendar/"]
EXTRA = {
    "organizer": ["/contest/console/", "/events/console/"],
    "teacher": ["/lessons/classes"],
}
MAX_PAGES = 150
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
# Shortest catalogue text searched for: shorter ones ("OK", "名前") occur inside content.
MIN_ENGLISH = 12
MIN_JAPANESE = 5
# Content of the demo data written in Japanese by its author, whatever the reader's language;
# taken out of the page's text before it is searched.
CONTENT = {
    "ブラウザで録音するか、音声ファイルをアップロードしてください。": "a demo assignment's instructions",
    "日本人によるキルギス語弁論大会": "the contest's Japanese title (it has no Kyrgyz one)",
    "Embassy contest office": "the contest's contact, in its Japanese and English texts",
    "初版 / First version": "the demo privacy policy's note on its first version",
}
# Catalogue texts that are also words of ordinary content, with why they are not searched.
COMMON_WORDS = {
    "キルギス語": "Kyrgyz, the language, in every Japanese text about it (lessons, events)",
}


class VisibleText(HTMLParser):
    """The text a reader sees or hears, without what is marked as another language's and
    without the immersion's Japanese titles."""

    SKIP = frozenset({"script", "style", "template", "textarea"})  # a textarea holds content
    ATTRS = ("placeholder", "aria-label", "title", "alt")
    VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: whether its text is skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        skipped = bool(self.stack and self.stack[-1])
        skipped = skipped or tag in self.SKIP or a.get("lang", "ky")[:2] in ("ja", "en")
        if not skipped:
            for name in self.ATTRS:
                if a.get(name) and not (name == "title" and "data-ja" in a):
                    self.parts.append(a[name])
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.parts.append(a["value"])
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(" ".join(data.split()))


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def _catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


def _fragments(text: str) -> list[str]:
    return [" ".join(part.split()) for part in PLACEHOLDER.split(text)]


@dataclass(frozen=True)
class Needles:
    english: frozenset[str]
    japanese: frozenset[str]


@pytest.fixture(scope="module")
def needles() -> Needles:
    """The English sources and Japanese translations a Kyrgyz page must not show: each text or
    the part of it between placeholders, long enough not to occur inside ordinary content."""
    kyrgyz = {m.id: m.string for m in _catalogue("ky") if m.id}
    english: set[str] = set()
    japanese: set[str] = set()
    for message in _catalogue("ja"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ky = kyrgyz.get(message.id)
        ky_texts = set(ky if isinstance(ky, tuple) else (ky,)) if ky else set()
        for source in ids:
            if source in ky_texts:  # the same in Kyrgyz (a name, a format)
                continue
            english.update(f for f in _fragments(source) if len(f) >= MIN_ENGLISH and " " in f)
        for text in strings:
            japanese.update(f for f in _fragments(text) if len(f) >= MIN_JAPANESE)
    return Needles(frozenset(english), frozenset(japanese - COMMON_WORDS.keys()))


def _crawl(app: Flask, client: FlaskClient, starts: list[str]) -> Iterator[tuple[str, str]]:
    """(url, html) of the pages reachable from `starts`, one page per route."""
    queue = list(starts)
    seen_routes: set[str] = set()
    visited: set[str] = set()
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        route = _endpoint(app, url, "GET")
        if url in visited or route is None or route in seen_routes:
            continue
        visited.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303) and response.location.startswith("/"):
            queue.insert(0, response.location)
            continue
        html = response.status_code == 200 and "html" in response.mimetype
        text = response.get_data(as_text=True) if html else ""
        response.close()
        if not html:
            continue
        seen_routes.add(route)
        pages += 1
        yield url, text
        parser = PageParser()
        parser.feed(text)
        for link in parser.links:
            parts = urlsplit(urljoin(url, link))
            if parts.netloc in ("", "localhost") and not parts.path.startswith("/static/"):
                queue.append(parts.path + ("?" + parts.query if parts.query else ""))


@dataclass
class KyrgyzSite:
    app: Flask
    pages: dict[str, list[tuple[str, str]]]  # role → (url, visible text)


@pytest.fixture(scope="module")
def site(
    database_url: str, _schema: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KyrgyzSite]:
    with demo_app(database_url, tmp_path_factory.mktemp("kyrgyz")) as app:
        with app.app_context():
            db.session.execute(update(User).values(language="ky"))
            db.session.commit()
        pages: dict[str, list[tuple[str, str]]] = {}
        for role, email in ACCOUNTS.items():
            client = app.test_client()
            client.set_cookie("sabak_lang", "ky")
            if email:
                response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
                assert response.status_code == 302, role
            starts = STARTS + EXTRA.get(role, [])
            pages[role] = [(url, visible(html)) for url, html in _crawl(app, client, starts)]
        yield KyrgyzSite(app, pages)


def test_every_role_walks_many_pages_in_kyrgyz(site: KyrgyzSite) -> None:
    routes = {_endpoint(site.app, url, "GET") for walk in site.pages.values() for url, _ in walk}
    assert len(routes) > 60, sorted(r for r in routes if r)
    assert all(len(walk) >= 5 for walk in site.pages.values()), {
        role: len(walk) for role, walk in site.pages.items()
    }


def test_no_page_in_kyrgyz_shows_english_or_japanese_interface_text(
    site: KyrgyzSite, needles: Needles
) -> None:
    leftovers: dict[str, set[str]] = {}
    for role, walk in site.pages.items():
        for url, page_text in walk:
            text = page_text
            for content in CONTENT:
                text = text.replace(content, " ")
            found = {n for n in needles.english if re.search(rf"\b{re.escape(n)}\b", text)}
            found |= {n for n in needles.japanese if n in text}
            for needle in found:
                leftovers.setdefault(needle, set()).add(f"{role} {url}")
    report = {needle: sorted(where)[:3] for needle, where in sorted(leftovers.items())}
    assert report == {}, "\n".join(f"{k!r}: {v}" for k, v in report.items())


# Lower-case Latin words a Kyrgyz page may show: programs, file types, the typing page's
# system menus as the systems write them, the Markdown notes' table names, a slug example.
LATIN_ALLOWED = {
    *("espeak-ng", "ics", "apkg", "https", "iPad", "iPhone", "macOS", "osk"),
    *("language", "region", "keyboard", "cases", "plural", "possessive", "beginner-speech"),
    "e-mail",  # the glossary keeps it in Kyrgyz (e-mail / электрондук почта дареги)
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def test_no_lower_case_english_word_on_kyrgyz_pages(site: KyrgyzSite) -> None:
    """English that never reached the catalogue (a hard-coded word) shows as Latin letters;
    names start with a capital, e-mail addresses are taken out."""
    found: dict[str, set[str]] = {}
    for role, walk in site.pages.items():
        for url, text in walk:
            for content in CONTENT:
                text = text.replace(content, " ")
            for word in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", EMAIL.sub(" ", text)):
                if word[0].islower() and word not in LATIN_ALLOWED:
                    found.setdefault(word, set()).add(f"{role} {url}")
    assert {w: sorted(where)[:3] for w, where in sorted(found.items())} == {}
