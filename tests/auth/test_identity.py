"""The signed-in person is read once per process and sign-in session (app/auth/identity.py), and
read again as soon as anything it was read from changes: a sign-out, a role, an account turned
off, the person's own profile, the session's age, the copy's own time limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth import identity, services
from app.auth.models import User, UserSession
from app.core import dates
from app.extensions import db
from tests.helpers import count_queries, kept_in_process

PROFILE = "/auth/profile"


@pytest.fixture(autouse=True)
def _kept(app):
    if not kept_in_process(app):
        pytest.skip("on PostgreSQL without Redis the person is read on every request")


def test_after_the_first_request_the_person_costs_no_statement(app, client, auth):
    auth.login()
    client.get("/healthz")
    with count_queries(app) as log:
        assert client.get("/healthz").status_code == 200
    assert log.count == 1  # the health check's own SELECT 1
    assert client.get(PROFILE).status_code == 200


def test_the_copy_is_read_again_after_its_time(app, client, auth, monkeypatch):
    auth.login()
    client.get("/healthz")
    later = dates.now() + timedelta(seconds=identity.KEPT_SECONDS + 1)
    monkeypatch.setattr(dates, "now", lambda: later)
    with count_queries(app) as log:
        assert client.get("/healthz").status_code == 200
    assert log.count == 2  # the person again, and SELECT 1


def test_a_role_taken_away_counts_from_the_next_request(app, client, auth):
    user = auth.login("teacher")
    assert client.get("/lessons/classes/").status_code == 200
    with app.app_context():
        person = db.session.get(User, user.id)
        services.update_roles(person, ["student"], acting=person)
        db.session.commit()
    assert client.get("/lessons/classes/").status_code in (403, 404)


def test_an_account_turned_off_is_signed_out_at_its_next_request(app, client, auth, make_user):
    user = auth.login()
    assert client.get(PROFILE).status_code == 200
    admin = make_user(roles=("admin",))
    with app.app_context():
        person = db.session.get(User, user.id)
        services.set_active(person, False, acting=db.session.get(User, admin.id))
        db.session.commit()
    assert client.get(PROFILE).status_code == 302


def test_a_session_past_its_maximum_age_ends_though_nothing_was_written(
    app, client, auth, monkeypatch
):
    auth.login()
    assert client.get(PROFILE).status_code == 200  # now kept in this process
    days = app.config["SESSION_MAX_AGE_DAYS"]
    later = services.utcnow() + timedelta(days=days, minutes=1)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    assert client.get(PROFILE).status_code == 302


def test_the_persons_own_changes_show_on_the_next_page(app, client, auth):
    user = auth.login()
    assert client.get(PROFILE).status_code == 200
    with app.app_context():
        db.session.get(User, user.id).display_name = "Сайкал Тестова"
        db.session.commit()
    assert "Сайкал Тестова" in client.get(PROFILE).get_data(as_text=True)


def test_what_a_request_changes_on_the_person_without_saving_stays_in_that_request(
    app, client, auth
):
    user = auth.login()
    with app.app_context():
        key = f"{user.id}:{db.session.scalars(select(UserSession.id)).one()}"
    with app.test_request_context("/"):
        original = services.user_for_session(key).display_name  # read, and kept
    with app.test_request_context("/"):
        services.user_for_session(key).display_name = "not saved"  # never committed
    with app.test_request_context("/"), count_queries(app) as log:
        assert services.user_for_session(key).display_name == original
    assert log.count == 0  # from the copy, which the change did not reach


def test_a_sign_out_counts_at_once_though_its_generation_could_not_be_raised(
    app, client, auth, monkeypatch
):
    """The bump after the commit fails (a locked SQLite file, Redis down): this process forgets
    its copy itself; the others stop using theirs within KEPT_SECONDS."""
    from app.core import page_cache_stores

    auth.login()
    copied = client.get_cookie("session").value
    assert client.get(PROFILE).status_code == 200  # kept

    def fail(self, names):
        raise RuntimeError("the generations can't be raised")

    monkeypatch.setattr(page_cache_stores.LocalStore, "bump", fail)
    auth.logout()
    replayed = app.test_client()
    replayed.set_cookie("session", copied)
    assert replayed.get(PROFILE).status_code == 302


def test_a_second_look_in_the_same_request_keeps_its_changes(app, client, auth):
    user = auth.login()
    with app.app_context():
        key = f"{user.id}:{db.session.scalars(select(UserSession.id)).one()}"
    with app.test_request_context("/"):
        services.user_for_session(key)  # kept
    with app.test_request_context("/"):
        person = services.user_for_session(key)
        person.display_name = "changed in this request"
        again = services.user_for_session(key)
        assert again is person and again.display_name == "changed in this request"
