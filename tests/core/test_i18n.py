"""Japanese and English: locale selection, complete catalogues, no English left on Japanese pages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import visible_text

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"


def load(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


def test_japanese_catalogue_is_complete():
    catalog = load("ja")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            missing.append(message.id)
    assert missing == []


def test_english_catalogue_is_complete():
    catalog = load("en")
    assert all(m.string for m in catalog if m.id)


def test_catalogues_cover_every_string_in_the_code(tmp_path):
    """A string marked for translation but missing from the catalogue would show in English."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in load("ja") if m.id}
    assert sorted(extracted - known) == []


def test_language_preference_order(client, auth, app):
    # Accept-Language when nothing else is known
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en-US,en"}).get_data(
        as_text=True
    )
    assert 'lang="ja"' in client.get("/", headers={"Accept-Language": "ja-JP"}).get_data(
        as_text=True
    )
    # nothing at all: Japanese
    assert 'lang="ja"' in client.get("/").get_data(as_text=True)
    # the switcher's cookie beats Accept-Language
    response = client.post("/language", data={"language": "ja", "next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert 'lang="ja"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    # a signed-in user's preference beats the cookie
    auth.login(language="en")
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)


def test_switcher_saves_the_signed_in_users_preference(client, auth, app):
    user = auth.login(language="en")
    client.post("/language", data={"language": "ja", "next": "/"})
    auth.logout()
    client.delete_cookie("sabak_lang")
    auth.login(user=user)
    assert 'lang="ja"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_switcher_refuses_foreign_redirects(client):
    response = client.post("/language", data={"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


# Words that may appear in Latin letters on a Japanese page: names, the brand, the language names.
ALLOWED_LATIN = {"Sabak", "English", "UTC", "Admin", "example", "com", "org"}
# Product and key names on the "Typing Kyrgyz" page are written as the systems write them.
ALLOWED_LATIN |= {"Windows", "macOS", "iPhone", "iPad", "Android", "Gboard", "osk", "Control"}


def english_words(text: str, allowed: set[str]) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text)
    return [w for w in words if w not in allowed]


def pages_for(role: str | None, user_id: int | None = None) -> list[str]:
    common = ["/", "/no-such-page", "/typing", "/contest/"]
    if role is None:
        return [*common, "/auth/login", "/auth/signup", "/auth/reset"]
    pages = [*common, "/auth/profile", "/auth/password"]
    if role == "admin":
        pages += ["/auth/admin/users", f"/auth/admin/users/{user_id}"]
    if role in {"organizer", "admin"}:
        pages += ["/contest/console/"]
    return pages


@pytest.mark.parametrize("role", [None, "student", "teacher", "organizer", "judge", "admin"])
def test_japanese_pages_have_no_english_ui_strings(client, auth, role):
    allowed = set(ALLOWED_LATIN)
    user_id = None
    if role:
        user = auth.login(role, language="ja", display_name="山田 花子")
        allowed |= set(re.findall(r"[A-Za-z]+", user.email))
        user_id = user.id
    for url in pages_for(role, user_id):
        html = client.get(url, headers={"Accept-Language": "ja"}).get_data(as_text=True)
        leftovers = english_words(visible_text(html), allowed)
        assert leftovers == [], (url, leftovers)
