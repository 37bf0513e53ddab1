"""The layout drawn once per language, roles and page (app/core/fragments.py): what is one
person's own in it — name, id, counts, CSRF token, the address they are at — is theirs on every
page, never the first drawer's; the entries follow each person's roles."""

from __future__ import annotations

import re

import pytest
from babel.numbers import format_decimal
from flask import render_template_string
from itsdangerous.timed import TimestampSigner
from markupsafe import Markup

from app.core import security
from app.core.fragments import fragment, slot
from app.core.i18n import format_count
from app.core.nav import nav_items

CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


def header_of(page: str) -> str:
    return page[page.index("<body") : page.index('<main id="main"')]


@pytest.fixture
def settings():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def sign_in(make_user):
    """Sign a client in as a new user, through the form with its CSRF token."""

    def sign_in(client, roles=("student",), **overrides):
        user = make_user(roles=roles, **overrides)
        page = client.get("/auth/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        data = {"email": user.email, "password": user.password, "csrf_token": token}
        assert client.post("/auth/login", data=data).status_code == 302
        return user

    return sign_in


def sign_out(client):
    token = CSRF.search(client.get("/typing").text)[1]
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302


def test_two_people_on_the_same_page_each_see_their_own_name_id_and_token(app, client, sign_in):
    first = sign_in(client, display_name="Tanaka <b>Yui</b>")
    page = client.get("/typing").text
    assert "Tanaka &lt;b&gt;Yui&lt;/b&gt;" in header_of(page)  # escaped in its slot
    assert f'data-user="{first.id}"' in page
    first_token = CSRF.search(page)[1]

    second_client = app.test_client()
    second = sign_in(second_client, display_name="Sato Ken")
    other = second_client.get("/typing").text
    assert "Sato Ken" in header_of(other) and "Tanaka" not in other
    assert f'data-user="{second.id}"' in other and f'data-user="{first.id}"' not in other
    second_token = CSRF.search(other)[1]
    assert second_token != first_token
    # each token is the one its own session accepts: signing out with it works
    assert second_client.post("/auth/logout", data={"csrf_token": second_token}).status_code == 302
    assert client.post("/auth/logout", data={"csrf_token": first_token}).status_code == 302


def test_a_changed_name_shows_on_the_next_page(client, sign_in):
    sign_in(client, display_name="Before")
    assert "Before" in header_of(client.get("/typing").text)
    token = CSRF.search(client.get("/auth/profile").text)[1]
    data = {"display_name": "After", "language": "en", "timezone": "Asia/Tokyo"}
    assert client.post("/auth/profile", data=data | {"csrf_token": token}).status_code == 302
    header = header_of(client.get("/typing").text)
    assert "After" in header and "Before" not in header


def test_the_entries_follow_each_persons_roles_on_the_same_page(client, sign_in):
    sign_in(client, roles=("teacher",))
    assert "Grading" in header_of(client.get("/typing").text)
    sign_out(client)
    sign_in(client)
    header = header_of(client.get("/typing").text)
    assert "Grading" not in header and "My progress" in header
    sign_out(client)
    header = header_of(client.get("/typing").text)  # a visitor
    assert 'href="/progress/"' not in header and 'action="/auth/logout"' not in header
    assert 'href="/auth/login?next=/typing"' in header


def test_the_language_menu_and_sign_in_link_go_back_to_the_page_they_are_on(client):
    for word in (2, 3):
        header = header_of(client.get(f"/typing?word={word}").text)
        assert f'name="next" value="/typing?word={word}"' in header
        assert 'href="/auth/login?next=/typing"' in header


def test_a_kyrgyz_page_keeps_its_japanese_titles_and_a_japanese_page_has_none(client):
    kyrgyz = header_of(client.get("/typing", headers={"Accept-Language": "ky"}).text)
    assert 'data-ja="' in kyrgyz
    japanese = header_of(client.get("/typing", headers={"Accept-Language": "ja"}).text)
    assert 'data-ja="' not in japanese and "メニュー" in japanese


def test_a_slot_outside_a_fragment_is_its_value_and_inside_one_is_filled_per_request(app):
    template = '{% call fragment("test", 1) %}<p>{{ slot("here") }}</p>{% endcall %}'
    with app.test_request_context("/one?x=1"):
        assert slot("here") == Markup("/one?x=1")
        assert render_template_string(template) == "<p>/one?x=1</p>"
    with app.test_request_context("/two"):
        assert render_template_string(template) == "<p>/two</p>"  # the kept drawing, refilled
        assert fragment("test", 1, caller=lambda: "not drawn again") == Markup("<p>/two</p>")


def test_one_csrf_signature_serves_a_minute_and_each_stays_valid(client, sign_in, monkeypatch):
    # the signature's timestamp, in whole seconds, from a clock of the test's
    clock = {"now": 1_800_000_000}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _signer: clock["now"])
    sign_in(client)
    first = CSRF.search(client.get("/typing").text)[1]
    clock["now"] += 30  # a signature made now would differ: the first one is reused
    assert CSRF.search(client.get("/typing").text)[1] == first
    later_clock = security.time.monotonic() + security.SIGNATURE_REUSE_SECONDS + 1
    monkeypatch.setattr(security.time, "monotonic", lambda: later_clock)
    later = CSRF.search(client.get("/typing").text)[1]
    assert later != first  # a minute on: signed anew
    assert CSRF.search(client.get("/typing").text)[1] == later
    # the earlier page's form still works, as does the new one
    switched = client.post("/language", data={"csrf_token": first, "language": "ja"})
    assert switched.status_code == 302
    assert client.post("/auth/logout", data={"csrf_token": later}).status_code == 302


@pytest.mark.parametrize("language", ["ja", "en", "ky"])
def test_counts_are_written_as_babel_writes_them(app, language):
    numbers = [*range(0, 2001), 9_999, 10_000, 123_456, 1_000_000, 12_345_678_901, -5, 2.5, 0.333]
    with app.test_request_context("/", headers={"Accept-Language": language}):
        for number in numbers:
            assert format_count(number) == format_decimal(number, locale=language), number
        assert render_template_string("{{ 1234|numberformat }}") == format_decimal(
            1234, locale=language
        )


def test_a_kept_layout_is_the_mount_points_own(app):
    # one process serving the app under two prefixes: each gets its own links
    template = '{% call fragment("links") %}{{ url_for("core.index") }}{% endcall %}'
    with app.test_request_context("/", base_url="http://localhost/one/"):
        assert render_template_string(template) == "/one/"
    with app.test_request_context("/", base_url="http://localhost/two/"):
        assert render_template_string(template) == "/two/"


def test_a_view_s_own_navigation_is_not_kept_for_the_next_page(app):
    with app.test_request_context("/typing"):  # a visitor's header
        trimmed = render_template_string(
            '{% extends "base.html" %}', nav_items=nav_items(app)[:1], account_items=()
        )
        whole = render_template_string('{% extends "base.html" %}')
    assert header_of(trimmed).count('<li id="nav-') == 1
    assert header_of(whole).count('<li id="nav-') > 1


def test_edited_templates_show_at_once_while_they_are_reloaded(app):
    app.jinja_env.auto_reload = True
    template = '{% call fragment("edited") %}{{ _("Menu") }}{% endcall %}'
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(template) == "Menu"
        edited = template.replace("Menu", "Sign in")
        assert render_template_string(edited) == "Sign in"  # not the first drawing


def test_the_time_zone_outside_a_request_is_tokyo(app):
    import flask_babel

    with app.app_context():
        assert str(flask_babel.get_timezone()) == "Asia/Tokyo"


def test_a_short_csrf_time_limit_shortens_the_reuse(app, client, sign_in, monkeypatch):
    app.config["WTF_CSRF_TIME_LIMIT"] = 100  # reuse for 10 s at most
    clock = {"now": 1_800_000_000}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _signer: clock["now"])
    sign_in(client)
    first = CSRF.search(client.get("/typing").text)[1]
    later_clock = security.time.monotonic() + 11
    monkeypatch.setattr(security.time, "monotonic", lambda: later_clock)
    clock["now"] += 11
    assert CSRF.search(client.get("/typing").text)[1] != first
