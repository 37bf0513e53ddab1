"""What every request costs, kept low (issue #18): the signed-in person and their roles in one
statement, and then none while they haven't changed, SQLite commits that don't wait for the disk, days written once per language."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import text

from app.core import dates
from app.extensions import db
from tests.helpers import count_queries, kept_in_process


def test_a_signed_in_request_loads_the_person_and_their_roles_in_one_statement(app, client, auth):
    auth.login(roles=("teacher", "admin"))
    with count_queries(app) as log:
        assert client.get("/healthz").status_code == 200
    assert sum("JOIN user_roles" in s for s in log.statements) == 1  # the person with their roles
    kept = kept_in_process(app)
    # and the health check's SELECT 1; where the person is kept, the tables' generations too (the
    # sign-in changed them)
    assert log.count == (3 if kept else 2)
    with count_queries(app) as log:
        assert client.get("/healthz").status_code == 200
    # then kept by the process until a table they came from changes (SQLite, Redis)
    assert log.count == (1 if kept else 2)
    # both roles are there: each role's own page opens
    assert client.get("/lessons/classes/").status_code == 200
    assert client.get("/auth/admin/users").status_code == 200


def test_a_sqlite_file_database_keeps_a_write_ahead_log_and_syncs_at_checkpoints(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize(
    ("language", "written"), [("ja", "2026年11月3日(火)"), ("en", "Tue 3 Nov 2026")]
)
def test_a_day_is_written_in_each_readers_language(app, language, written):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        assert dates.format_date(date(2026, 11, 3)) == written
    other = "en" if language == "ja" else "ja"
    with app.test_request_context("/", headers={"Accept-Language": other}):
        assert dates.format_date(date(2026, 11, 3)) != written


def test_templates_translate_in_the_language_in_force_even_inside_force_locale(app):
    menu = "{{ _('Menu') }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(menu) == "Menu"
        with force_locale("ja"):  # e.g. a mail in its recipient's language
            assert render_template_string(menu) == "メニュー"
        assert render_template_string(menu) == "Menu"


def test_every_count_in_the_navigation_comes_from_one_statement(app, client, auth):
    # a person with every role that has a badge: reviews due, assignments open, work to grade,
    # answer reports
    auth.login(roles=("student", "teacher", "admin"))
    client.get("/typing")
    with count_queries(app) as log:
        page = client.get("/typing").get_data(as_text=True)
    assert all(entry in page for entry in ("Practice", "Assignments", "Grading", "Answer reports"))
    counting = [
        s
        for s in log.statements
        if any(table in s for table in ("review_cards", "submissions", "answer_reports"))
    ]
    assert len(counting) == 1
    # the counts, and the person unless kept since the first request (SQLite, Redis)
    assert log.count == (1 if kept_in_process(app) else 2)


def test_a_page_without_badges_runs_no_count(app, client, auth):
    auth.login(roles=("organizer",))
    client.get("/typing")
    with count_queries(app) as log:
        assert client.get("/typing").status_code == 200
    assert log.count == (
        0 if kept_in_process(app) else 1
    )  # the person, unless kept (SQLite, Redis)


def test_each_name_in_vary_once_and_the_view_s_own_kept(client):
    page = client.get("/typing", headers={"HX-Request": "true"})
    names = [name.strip() for name in page.headers["Vary"].split(",")]
    assert sorted(names) == ["Accept-Language", "Cookie", "HX-Request"]
    manifest = client.get("/manifest.webmanifest")
    assert [name.strip() for name in manifest.headers["Vary"].split(",")].count(
        "Accept-Language"
    ) == 1


def test_the_security_headers_are_on_every_response_once(client):
    for path in ("/", "/typing", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"):
            assert len(headers.getlist(name)) == 1, (path, name)


def test_a_session_signed_with_a_retired_key_opens_only_while_it_is_a_fallback(app, client, auth):
    user = auth.login("student")
    other = app.test_client()
    other.post("/auth/login", data={"email": user.email, "password": user.password})
    assert client.get("/progress/").status_code == other.get("/progress/").status_code == 200
    old = app.secret_key
    app.secret_key = app.config["SECRET_KEY"] = "a-new-secret-key-for-this-test"
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert client.get("/progress/").status_code == 200  # the retired key still opens it
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert other.get("/progress/").status_code == 302  # no longer: sign in again


def test_templates_translate_as_jinja_s_newstyle_gettext_does(app):
    template = (
        "{{ _('Welcome, %(name)s.', name='<b>') }}|{{ _('100%% sure') }}|{{ _('Menu') }}|"
        "{{ ngettext('%(num)d day', '%(num)d days', 3) }}|{{ ngettext('%(num)d day', '%(num)d days', 1) }}"
    )
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        # the variables escaped, "%%" formatted, the plural chosen by the number
        assert render_template_string(template) == "Welcome, &lt;b&gt;.|100% sure|Menu|3 days|1 day"
        plain = "{% autoescape false %}{{ _('Welcome, %(name)s.', name='<b>') }}{% endautoescape %}"
        assert render_template_string(plain) == "Welcome, <b>."  # a text mail escapes nothing
    with app.test_request_context("/", headers={"Accept-Language": "ja"}):
        assert render_template_string("{{ _('Menu') }}") == "メニュー"


@pytest.mark.parametrize("settings", [{"WTF_CSRF_ENABLED": True}])
def test_the_csrf_input_is_drawn_as_wtforms_draws_it(app):
    from wtforms.widgets import HiddenInput

    from app.core.forms import BaseForm

    with app.test_request_context("/"):
        for form in (BaseForm(), BaseForm(prefix="second")):
            field = form.csrf_token
            assert field.__html__() == HiddenInput()(field)
            assert field(class_="x") == HiddenInput()(field, class_="x")
        assert 'name="csrf_token"' in BaseForm().hidden_tag()  # Flask-WTF still finds it
        field = BaseForm().csrf_token
        field.current_token = '"><script>'
        assert "<script>" not in field.__html__() and field.__html__() == HiddenInput()(field)
