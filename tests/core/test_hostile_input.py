"""No input gives a 500: a hostile corpus sent to every form and every route with an id, as every role.

One app and one database of demo data (`flask seed-demo`) serve the whole module. Each role's
client walks the site from its start pages, collecting the links and the forms on every page;
then every POST route of the URL map gets each hostile value in every field of its form (the
form found on a page, else every field name the app's forms have), and every route with an id
gets ids beyond the database's integer range and hostile text in its other parts.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from app import create_app
from app.extensions import db
from tests import conftest

PASSWORD = "sabak-demo"
ROLES = [None, "student", "teacher", "organizer", "judge", "admin"]
# the demo student with a class, a history and a contest registration stands for the students
ACCOUNTS = {"student": "tanaka.yui@example.com"}
# pages only a POST leads to: the student's quiz, so its answer form is found too
STARTS = {"student": "/quizzes/courses/kyrgyz-a1/practise"}
# Raw (already percent-encoded) values: a lone surrogate can only travel as its UTF-8-ish bytes.
CORPUS = [
    quote("名前\x00"),
    quote("a\x01\x07\x1b\x7f b"),
    "%ED%A0%80",  # a lone surrogate (U+D800) as a browser or a script could send it
    "x" * 100_000,
    "2147483648",
    "99999999999999999999",
    "-99999999999999999999",
    "1e999",
    "2026-02-30",
    "9999-12-31T23:59",
]
HUGE_IDS = ["2147483647", "99999999999999999999"]  # 2147483648: tests/core/test_inputs.py
TEXT_PARTS = [quote("a\x00b"), "%ED%A0%80", quote("\t")]
HOSTILE = quote("a\x00\x1b") + "%ED%A0%80" + quote("\ud83d", errors="surrogatepass")
QUERY = "page={n}&q={t}&status={t}&role={t}&division={n}&sort={t}&dir={t}&v={n}&word={n}&next={t}"
SKIPPED_POSTS = {"auth.logout"}  # signs the crawler out; it has no fields anyway
MAX_PAGES = 100
PAGES_PER_ROUTE = 2
BODY_LIMIT = 8 * 1024 * 1024


@dataclass
class FoundForm:
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class PageParser(HTMLParser):
    """The links and the POST forms of a page, with every field's first value."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[FoundForm] = []
        self._form: FoundForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            post = a.get("method", "get").lower() == "post"
            self._form = FoundForm(a.get("action", "")) if post else None
            if self._form is not None:
                self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            if a.get("type") not in ("submit", "button", "file"):
                self._form.fields.setdefault(a["name"], a.get("value", ""))
        elif self._form is not None and tag == "option" and self._form.fields:
            last = list(self._form.fields)[-1]
            if not self._form.fields[last]:
                self._form.fields[last] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


@dataclass
class Site:
    app: Flask
    clients: dict[str | None, FlaskClient]
    pages: dict[str | None, list[str]]
    forms: dict[str, dict[str, tuple[str, dict[str, str]]]]  # role → endpoint → (url, fields)
    started: float


def _endpoint(app: Flask, url: str, method: str) -> str | None:
    try:
        endpoint, _args = app.url_map.bind("localhost").match(urlsplit(url).path, method=method)
    except Exception:
        return None
    return endpoint


def _crawl(
    app: Flask, client: FlaskClient, start: str | None
) -> tuple[list[str], dict[str, tuple[str, dict]]]:
    """The pages reachable from the start pages (bounded), and the POST forms found on them."""
    queue = ["/", "/lessons/", "/quizzes/", "/progress/", "/contest/", "/contest/console/2027"]
    if start:
        queue.insert(0, client.post(start).headers["Location"])
    local = ("/", "http://localhost/")
    seen: Counter[str] = Counter()
    visited: set[str] = set()
    pages: list[str] = []
    forms: dict[str, tuple[str, dict[str, str]]] = {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        # two pages of each route are enough (a lesson with words and one with phrases)
        key = _endpoint(app, url, "GET") or url
        if seen[key] >= PAGES_PER_ROUTE or url in visited:
            continue
        seen[key] += 1
        visited.add(url)
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code in (302, 303) and response.location.startswith(local):
            queue.append(response.location.removeprefix("http://localhost"))
        html = response.status_code == 200 and "html" in response.mimetype
        text = response.get_data(as_text=True) if html else ""
        response.close()  # a recording or a PDF: its file is open until then
        if not html:
            continue
        pages.append(url)
        parser = PageParser()
        parser.feed(text)
        for link in parser.links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if not parts.netloc or parts.netloc == "localhost":
                queue.append(parts.path + ("?" + parts.query if parts.query else ""))
        for form in parser.forms:
            action = urljoin(url, form.action or url)
            endpoint = _endpoint(app, action, "POST")
            if endpoint and endpoint not in forms:
                forms[endpoint] = (urlsplit(action).path, form.fields)
    return pages, forms


@contextmanager
def demo_app(database_url: str, tmp: Path, **settings: Any) -> Iterator[Flask]:
    """An app on the demo data (`flask seed-demo`), for a whole module; emptied afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SABAK_INSTANCE_PATH", str(tmp / "instance"))
        patch.setattr("app.auth.passwords.HASHER", conftest.QUICK_HASHER)
        # a 500 is collected as a failure of the route (with the others), not raised in the test
        settings = {"DEBUG": True, "PROPAGATE_EXCEPTIONS": False} | settings
        app = create_app(conftest.test_settings(database_url, tmp) | settings)
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        app.debug = False
        yield app
        with app.app_context():
            db.session.rollback()
            conftest.empty_all_tables()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def site(
    database_url: str, _schema: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The demo data, signed-in clients of every role, and what each of them found."""
    started = time.monotonic()
    with demo_app(database_url, tmp_path_factory.mktemp("hostile")) as app:
        clients: dict[str | None, FlaskClient] = {}
        pages: dict[str | None, list[str]] = {}
        forms: dict[str, dict[str, tuple[str, dict]]] = {}
        for role in ROLES:
            client = app.test_client()
            assert role is None or _login(client, role), role
            clients[role] = client
            pages[role], forms[str(role)] = _crawl(app, client, STARTS.get(str(role)))
        yield Site(app, clients, pages, forms, started)


def _login(client: FlaskClient, role: str, **extra: str) -> bool:
    """Sign the client in as the demo account of the role (extra: more form fields, a token)."""
    response = client.post(
        "/auth/login",
        data={"email": ACCOUNTS.get(role, f"{role}@example.com"), "password": PASSWORD, **extra},
    )
    return response.status_code == 302


def _known_field_names(app: Flask) -> set[str]:
    """Every field name of every form class of the app."""
    from wtforms.fields.core import UnboundField

    from app.core.forms import BaseForm

    names: set[str] = set()
    stack: list[type] = [BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        for klass in cls.__mro__:
            names.update(k for k, v in vars(klass).items() if isinstance(v, UnboundField))
    return names - {"csrf_token"}


def _fill(rule: Rule, values: dict[str, str]) -> str:
    """The rule's URL with each variable replaced by the raw value of its converter's kind."""
    url = rule.rule
    for argument, converter in rule._converters.items():
        kind = type(converter).__name__
        value = values["int"] if "Int" in kind or "Id" in kind else values["text"]
        url = re.sub(r"<[^>]*\b" + argument + ">", value, url)
    return url


def _body(fields: dict[str, str], value: str) -> str:
    """A form body with every field set to a raw (percent-encoded) hostile value (the long one
    shortened where the form has so many fields that the body would pass the request limit)."""
    value = value[: BODY_LIMIT // max(len(fields), 1)]
    return "&".join(f"{quote(name)}={value}" for name in fields)


def _mixed_body(fields: dict[str, str]) -> str:
    """A form body whose fields take the corpus's values in turn (the long one shortened)."""
    values = [v[:1000] for v in CORPUS]
    return "&".join(f"{quote(n)}={values[i % len(values)]}" for i, n in enumerate(fields))


def test_every_form_survives_the_hostile_corpus(site: Site) -> None:
    app = site.app
    known = dict.fromkeys(sorted(_known_field_names(app)), "")
    post_rules = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())]
    anyone = {e: f for role in reversed(ROLES) for e, f in site.forms[str(role)].items()}
    failures = []
    for role in ROLES:
        client = site.clients[role]
        found = site.forms[str(role)]
        for rule in post_rules:
            if rule.endpoint in SKIPPED_POSTS:
                continue
            if rule.endpoint in found:
                url, fields = found[rule.endpoint]
                bodies = [_body(fields, value) for value in CORPUS]
            else:
                # a form this role never sees: refused before its fields are read, so one
                # request carrying the whole corpus (a different value in each field) is enough
                url, fields = anyone.get(
                    rule.endpoint, (_fill(rule, {"int": "1", "text": "x"}), known)
                )
                bodies = [_mixed_body(fields)]
            for body in bodies:
                response = client.post(
                    url, data=body, content_type="application/x-www-form-urlencoded"
                )
                if response.status_code >= 500:
                    failures.append((role, rule.endpoint, url, body[:40], response.status_code))
                if role and "/auth/login" in (response.location or ""):
                    _login(client, role)  # signed out by something it sent: sign in again
    assert not failures, failures


def test_every_route_with_an_id_survives_hostile_ids_and_text(site: Site) -> None:
    app = site.app
    failures = []
    rules = [r for r in app.url_map.iter_rules() if r.arguments and "GET" in (r.methods or ())]
    for role in ROLES:
        client = site.clients[role]
        for rule in rules:
            if rule.endpoint == "static":
                continue
            urls = {_fill(rule, {"int": n, "text": "x"}) for n in HUGE_IDS}
            urls |= {_fill(rule, {"int": "1", "text": t}) for t in TEXT_PARTS}
            for url in sorted(urls):
                response = client.get(url)
                response.close()
                if response.status_code >= 500:
                    failures.append((role, url, response.status_code))
    assert not failures, failures


def test_every_page_survives_hostile_query_strings(site: Site) -> None:
    failures = []
    for role in ROLES:
        client = site.clients[role]
        for page in site.pages[role]:
            url = urlsplit(page).path + "?" + QUERY.format(n="99999999999999999999", t=HOSTILE)
            response = client.get(url)
            response.close()
            if response.status_code >= 500:
                failures.append((role, url, response.status_code))
    assert not failures, failures


def test_every_form_of_the_app_has_the_input_rules(site: Site) -> None:
    """A form deriving from FlaskForm directly would miss the control-character rule."""
    from flask_wtf import FlaskForm

    from app.core.forms import BaseForm

    stack: list[type] = [FlaskForm]
    strays = []
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("app.") and not issubclass(cls, BaseForm):
            strays.append(cls.__qualname__)
    assert not strays


def test_the_crawl_found_the_forms_of_every_role(site: Site) -> None:
    assert all(len(site.pages[role]) >= 3 for role in ROLES), {
        r: len(p) for r, p in site.pages.items()
    }
    assert {"auth.login", "auth.signup"} <= set(site.forms["None"])
    assert {"quizzes.answer", "progress.assignment", "auth.profile"} <= set(site.forms["student"])
    assert len(site.forms["teacher"]) >= 10 and len(site.forms["organizer"]) >= 10
