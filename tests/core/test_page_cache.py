"""The visitors' page cache: kept pages are served to visitors only, in their language, and are
dropped as soon as their data changes, on every worker and host."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, flash, make_response, render_template_string
from sqlalchemy import select

from app import create_app
from app.contest.models import Edition, Registration, Status
from app.core import dates, page_cache, page_cache_stores
from app.core.models import PageCacheGeneration
from app.core.security import CONTENT_SECURITY_POLICY
from app.extensions import db
from tests.conftest import test_settings as base_settings
from tests.factories.contest import form_data
from tests.helpers import count_queries, visible_text

EN = {"Accept-Language": "en"}
ON_POSTGRESQL = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
NEW_ACCOUNT = {"email": "hanako@example.jp", "password": "kyrgyz-2027", "confirm": "kyrgyz-2027"}


def cache_state(response: Any) -> str | None:
    return response.headers.get("X-Page-Cache")


def test_a_visitors_second_request_is_served_from_the_cache(app, client, make_edition, monkeypatch):
    # a first drawing slower than the copy's one-second trust (a cold process) must not count
    monkeypatch.setattr(page_cache_stores.LocalStore, "TRUST_SECONDS", 3600.0)
    make_edition()
    first = client.get("/contest/", headers=EN)
    with count_queries(app) as log:
        second = client.get("/contest/", headers=EN)
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert second.get_data(as_text=True) == first.get_data(as_text=True)
    assert "3 of 3 left" in visible_text(second.get_data(as_text=True))
    # PostgreSQL: the generations, nothing of the page; SQLite: the process's copy is current
    assert log.count == (1 if ON_POSTGRESQL else 0)


def test_a_kept_page_drawn_from_no_table_is_served_without_a_query(app, client):
    client.get("/auth/login", headers=EN)
    with count_queries(app) as log:
        assert cache_state(client.get("/auth/login", headers=EN)) == "hit"
    assert log.count == 0


def test_a_signed_in_person_never_gets_the_visitors_page_nor_leaves_theirs(
    app, client, auth, make_edition
):
    make_edition()
    assert cache_state(client.get("/contest/", headers=EN)) == "miss"  # kept for visitors
    auth.login(display_name="Asel Visible")
    page = client.get("/contest/", headers=EN)
    assert cache_state(page) is None and "Asel Visible" in page.get_data(as_text=True)
    home = client.get("/", headers=EN)
    assert cache_state(home) is None and "Asel Visible" in home.get_data(as_text=True)
    auth.logout()
    for url in ("/contest/", "/"):
        visitor = client.get(url, headers=EN).get_data(as_text=True)
        assert "Asel Visible" not in visitor and "Sign in" in visitor
    stranger = app.test_client().get("/", headers=EN)
    assert "Asel Visible" not in stranger.get_data(as_text=True)


def test_the_page_a_signed_in_person_saw_first_is_not_served_to_the_next_visitor(app, client, auth):
    auth.login(display_name="Bakyt First")
    assert "Bakyt First" in client.get("/", headers=EN).get_data(as_text=True)
    visitor = app.test_client().get("/", headers=EN)
    assert cache_state(visitor) == "miss"
    assert "Bakyt First" not in visitor.get_data(as_text=True)


def test_a_browser_signed_in_by_its_remember_cookie_alone_is_not_a_visitor(app, client, make_user):
    user = make_user(display_name="Cholpon Remembered")
    app.test_client().get("/", headers=EN)  # the visitors' page is kept
    response = client.post(
        "/auth/login", data={"email": user.email, "password": user.password, "remember": "y"}
    )
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session")  # the browser was closed: only the remember cookie is left
    page = client.get("/", headers=EN)
    assert cache_state(page) is None
    assert "Cholpon Remembered" in page.get_data(as_text=True)


def test_languages_do_not_mix(client, make_edition):
    make_edition()
    english = client.get("/contest/", headers=EN)
    japanese = client.get("/contest/", headers={"Accept-Language": "ja"})
    assert cache_state(japanese) == "miss"
    assert '<html lang="en"' in english.get_data(as_text=True)
    assert '<html lang="ja"' in japanese.get_data(as_text=True)
    again = client.get("/contest/", headers={"Accept-Language": "ja"})
    assert cache_state(again) == "hit" and '<html lang="ja"' in again.get_data(as_text=True)
    client.set_cookie("sabak_lang", "en")  # the switcher's choice wins over the browser's
    chosen = client.get("/contest/", headers={"Accept-Language": "ja"})
    assert '<html lang="en"' in chosen.get_data(as_text=True)
    client.set_cookie("sabak_lang", "ky")  # Kyrgyz is kept apart too
    kyrgyz = client.get("/contest/", headers={"Accept-Language": "ja"})
    assert cache_state(kyrgyz) == "miss" and '<html lang="ky"' in kyrgyz.get_data(as_text=True)
    again = client.get("/contest/", headers={"Accept-Language": "ja"})
    assert cache_state(again) == "hit" and '<html lang="ky"' in again.get_data(as_text=True)


def test_an_organizers_change_is_seen_by_the_next_visitor(app, client, auth, make_edition):
    make_edition()
    visitor = app.test_client()
    visitor.get("/contest/", headers=EN)
    assert cache_state(visitor.get("/contest/", headers=EN)) == "hit"
    auth.login("organizer")
    with app.app_context():
        edition = db.session.scalars(select(Edition)).one()
        data = {
            "year": "2027",
            "title_ja": edition.title_ja,
            "title_en": "The Renamed Contest",
            "registration_opens_at": "2026-01-01T00:00",
            "registration_closes_at": "2027-12-01T00:00",
            "event_date": "2027-12-10",
            "hold_hours": "72",
            "published": "y",
        }
    assert client.post("/contest/console/2027/settings", data=data).status_code == 302
    page = visitor.get("/contest/", headers=EN)
    assert cache_state(page) == "miss"
    assert "The Renamed Contest" in page.get_data(as_text=True)


def test_a_registration_changes_the_seats_the_next_visitor_sees(app, client, make_edition):
    ids = make_edition()
    visitor = app.test_client()
    visitor.get("/contest/2027/", headers=EN)
    assert "3 of 3 left" in visible_text(visitor.get("/contest/2027/", headers=EN).get_data(True))
    response = client.post("/contest/2027/register", data=form_data(ids["A"], **NEW_ACCOUNT))
    assert response.status_code == 302
    text = visible_text(visitor.get("/contest/2027/", headers=EN).get_data(as_text=True))
    assert "2 of 3 left" in text


@pytest.fixture
def second_app(database_url: str, tmp_path: Any, settings: dict[str, Any]) -> Iterator[Flask]:
    """Another instance on the same database, as another worker or host would be."""
    other = create_app(base_settings(database_url, tmp_path / "other") | settings)
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def rename_edition(application: Flask, title: str) -> None:
    with application.app_context():
        edition = db.session.scalars(select(Edition)).one()
        edition.title_en = title
        db.session.commit()


def test_a_change_through_one_instance_is_seen_through_another(
    app, client, make_edition, second_app
):
    make_edition()
    client.get("/contest/", headers=EN)
    assert cache_state(client.get("/contest/", headers=EN)) == "hit"
    rename_edition(second_app, "Changed Elsewhere")
    page = client.get("/contest/", headers=EN)
    assert cache_state(page) == "miss" and "Changed Elsewhere" in page.get_data(as_text=True)


RENAME_IN_ANOTHER_PROCESS = """
import sys
from sqlalchemy import select
from app import create_app
from app.contest.models import Edition
from app.extensions import db
app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
with app.app_context():
    db.session.scalars(select(Edition)).one().title_en = "Renamed By Another Worker"
    db.session.commit()
"""


def test_a_change_made_by_another_process_is_seen_at_once(
    app, client, make_edition, database_url, tmp_path, monkeypatch
):
    """As a second gunicorn worker would: nothing but the change itself tells this process."""
    monkeypatch.setattr(page_cache_stores.LocalStore, "TRUST_SECONDS", 3600.0)
    make_edition()
    client.get("/contest/", headers=EN)
    assert cache_state(client.get("/contest/", headers=EN)) == "hit"
    environment = os.environ | {"SABAK_INSTANCE_PATH": str(tmp_path / "worker")}
    subprocess.run(
        [sys.executable, "-c", RENAME_IN_ANOTHER_PROCESS, database_url],
        check=True,
        env=environment,
        timeout=120,
    )
    page = client.get("/contest/", headers=EN)
    assert cache_state(page) == "miss" and "Renamed By Another Worker" in page.get_data(True)


@pytest.mark.skipif(
    ON_POSTGRESQL,
    reason="PostgreSQL: the generations are read on every request, no copy is kept",
)
def test_a_change_no_signal_told_of_is_seen_within_a_second(app, client, make_edition, monkeypatch):
    # the app's own trust, not the hour every other test gives it (tests/conftest.py)
    monkeypatch.setattr(
        page_cache_stores.LocalStore, "TRUST_SECONDS", page_cache_stores.TRUST_SECONDS
    )
    assert page_cache_stores.LocalStore.TRUST_SECONDS == 1.0
    make_edition()
    client.get("/contest/", headers=EN)
    with app.app_context():  # as a process that could not raise the signal would write
        table = PageCacheGeneration.__table__
        with db.engine.begin() as connection:
            connection.execute(table.update().values(generation=table.c.generation + 1))
    assert cache_state(client.get("/contest/", headers=EN)) == "hit"
    later = time.monotonic() + page_cache_stores.LocalStore.TRUST_SECONDS
    monkeypatch.setattr(page_cache_stores.time, "monotonic", lambda: later)
    assert cache_state(client.get("/contest/", headers=EN)) == "miss"


def test_a_kept_page_lasts_no_longer_than_its_time(app, client, monkeypatch):
    client.get("/", headers=EN)
    assert cache_state(client.get("/", headers=EN)) == "hit"
    later = dates.now() + timedelta(seconds=app.config["PAGE_CACHE_SECONDS"] + 1)
    monkeypatch.setattr("app.core.dates.now", lambda: later)
    assert cache_state(client.get("/", headers=EN)) == "miss"


@pytest.mark.parametrize("settings", [{"WTF_CSRF_ENABLED": True}])
def test_a_kept_page_carries_each_visitors_own_token_and_the_same_policy(app, settings):
    first, second = app.test_client(), app.test_client()
    kept = first.get("/auth/login", headers=EN)
    served = second.get("/auth/login", headers=EN)
    assert cache_state(served) == "hit"
    token = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                       r'name="csrf_token" value="([^"]+)"')  # fmt: skip
    first_token = next(t for t in token.search(kept.get_data(as_text=True)).groups() if t)
    second_token = next(t for t in token.search(served.get_data(as_text=True)).groups() if t)
    assert first_token != second_token
    assert page_cache.CSRF_PLACEHOLDER not in served.get_data(as_text=True)
    # the second visitor's token works for them: the language switch accepts it
    switched = second.post("/language", data={"language": "ja", "csrf_token": second_token})
    assert switched.status_code == 302
    assert served.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert (
        "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
        and "nonce" not in served.headers["Content-Security-Policy"]
    )
    # every script of the page is a file the policy allows: nothing inline to break
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", served.get_data(as_text=True), re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)


def test_a_page_with_a_flashed_message_is_neither_served_from_nor_kept_in_the_cache(app, client):
    app.test_client().get("/", headers=EN)  # kept
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Only for this visitor")]
    page = client.get("/", headers=EN)
    assert cache_state(page) is None and "Only for this visitor" in page.get_data(as_text=True)
    other = app.test_client().get("/", headers=EN)
    assert "Only for this visitor" not in other.get_data(as_text=True)


@pytest.fixture
def odd_pages(app: Flask) -> Flask:
    """Pages that opt in but must not be kept: one flashes as it draws, one sets a cookie."""

    @page_cache.cache_for_visitors
    def flashing() -> str:
        flash("Shown once")
        return render_template_string("{% extends 'base.html' %}{% block content %}{% endblock %}")

    @page_cache.cache_for_visitors
    def cookie() -> Any:
        response = make_response("<p>cookie</p>")
        response.set_cookie("sabak_test", "yes")
        return response

    app.add_url_rule("/test-flashing", "test_flashing", flashing)
    app.add_url_rule("/test-cookie", "test_cookie", cookie)
    return app


def test_a_page_that_flashes_or_sets_a_cookie_is_never_kept(odd_pages, client):
    for url in ("/test-flashing", "/test-cookie"):
        first = client.get(url)
        assert first.status_code == 200 and cache_state(first) is None
    later = odd_pages.test_client()
    for url in ("/test-flashing", "/test-cookie"):
        assert cache_state(later.get(url)) is None  # drawn afresh, never served from the cache
    assert later.get("/test-cookie").headers.get("Set-Cookie", "").startswith("sabak_test=yes")


def test_htmx_requests_and_other_methods_skip_the_cache(client):
    client.get("/typing", headers=EN)
    assert cache_state(client.get("/typing", headers=EN | {"HX-Request": "true"})) is None
    assert cache_state(client.post("/typing", data={"answer": "x"}, headers=EN)) is None


def test_a_zero_lifetime_turns_the_cache_off(app, client):
    app.config["PAGE_CACHE_SECONDS"] = 0
    client.get("/", headers=EN)
    assert cache_state(client.get("/", headers=EN)) is None


# --- Redis, shared by every worker and host when configured ----------------------------------


@pytest.fixture
def redis_url(tmp_path: Any) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_apps(database_url: str, tmp_path: Any, redis_url: str) -> Iterator[tuple[Flask, Flask]]:
    """Two instances on one database and one Redis."""
    settings = {"REDIS_URL": redis_url}
    apps = (
        create_app(base_settings(database_url, tmp_path / "one") | settings),
        create_app(base_settings(database_url, tmp_path / "two") | settings),
    )
    yield apps
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def test_with_redis_a_page_kept_by_one_instance_is_served_by_another_until_its_data_changes(
    app, make_edition, redis_apps
):
    make_edition()
    one, two = redis_apps
    assert isinstance(one.extensions["sabak_page_cache"], page_cache_stores.RedisStore)
    assert cache_state(one.test_client().get("/contest/", headers=EN)) == "miss"
    assert cache_state(two.test_client().get("/contest/", headers=EN)) == "hit"
    rename_edition(one, "Renamed Through Redis")
    page = two.test_client().get("/contest/", headers=EN)
    assert cache_state(page) == "miss" and "Renamed Through Redis" in page.get_data(as_text=True)


def test_a_contest_page_is_kept_no_later_than_the_next_seat_on_hold_passes_on(
    app, client, make_edition, monkeypatch
):
    ids = make_edition()
    assert (
        client.post("/contest/2027/register", data=form_data(ids["A"], **NEW_ACCOUNT)).status_code
        == 302
    )
    with app.app_context():  # the seat is offered, held for ten more seconds
        registration = db.session.scalars(select(Registration)).one()
        registration.status = Status.OFFERED
        registration.hold_expires_at = dates.now() + timedelta(seconds=10)
        db.session.commit()
    visitor = app.test_client()
    visitor.get("/contest/", headers=EN)
    assert cache_state(visitor.get("/contest/", headers=EN)) == "hit"
    later = dates.now() + timedelta(seconds=11)
    monkeypatch.setattr("app.core.dates.now", lambda: later)
    assert cache_state(visitor.get("/contest/", headers=EN)) == "miss"


def test_a_page_reading_a_private_table_is_never_kept(app, client):
    """Writes to the tables signed-in people write all day raise no generation, so a page that
    reads one of them could go stale: it is drawn afresh every time."""
    from app.quizzes.models import Answer

    @page_cache.cache_for_visitors
    def answers() -> str:
        count = len(db.session.scalars(select(Answer.id)).all())
        return render_template_string(
            "{% extends 'base.html' %}{% block content %}{{ n }}{% endblock %}", n=count
        )

    app.add_url_rule("/test-answers", "test_answers", answers)
    assert cache_state(client.get("/test-answers")) is None
    assert cache_state(client.get("/test-answers")) is None


def test_a_quiz_answer_raises_no_generation(app, client, auth):
    """The hot path of every student stays one statement shorter: no private table is noted."""
    from app.core.models import PageCacheGeneration

    user = auth.login()
    with app.app_context():
        from app.auth.models import User
        from app.quizzes.models import ReviewCard

        db.session.get(User, user.id).last_login_at = dates.now()  # a watched table
        db.session.commit()
        before = dict(
            db.session.execute(
                select(PageCacheGeneration.name, PageCacheGeneration.generation)
            ).all()
        )
        db.session.execute(ReviewCard.__table__.delete())  # a private table
        db.session.commit()
        after = dict(
            db.session.execute(
                select(PageCacheGeneration.name, PageCacheGeneration.generation)
            ).all()
        )
    assert before.get("users", 0) >= 1
    assert after == before
