"""Sessions live on the server: signing out, a new password or a deactivation ends them for good."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.auth.models import UserSession
from app.core.dbtypes import utcnow
from app.core.models import OutboxMessage
from app.extensions import db

PROFILE = "/auth/profile"


def signed_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def replay(app, **cookies: str):
    """A new browser holding nothing but copies of these cookies."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def test_a_copied_session_cookie_stops_working_at_sign_out(app, client, auth):
    auth.login()
    copied = client.get_cookie("session").value
    assert signed_in(replay(app, session=copied))  # the copy works while the session lasts
    auth.logout()
    assert not signed_in(replay(app, session=copied))
    assert not signed_in(client)


def test_a_copied_remember_me_cookie_stops_working_at_sign_out(app, client, make_user):
    user = make_user()
    client.post(
        "/auth/login", data={"email": user.email, "password": user.password, "remember": "y"}
    )
    remember = client.get_cookie("remember_token").value
    assert signed_in(replay(app, remember_token=remember))  # it signs a fresh browser in
    client.post("/auth/logout")
    assert not signed_in(replay(app, remember_token=remember))


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, client, auth):
    user = auth.login()
    phone = app.test_client()
    phone.post("/auth/login", data={"email": user.email, "password": user.password})
    auth.logout()
    assert signed_in(phone) and not signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_a_password_reset_ends_every_session(app, client, make_user):
    user = make_user()
    laptop = app.test_client()
    laptop.post(
        "/auth/login", data={"email": user.email, "password": user.password, "remember": "y"}
    )
    remember = laptop.get_cookie("remember_token").value
    client.post("/auth/reset", data={"email": user.email})
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body_text))
    path = re.search(r"http://localhost(/auth/reset/\S+)", body).group(1)
    client.post(path, data={"password": "a new password", "confirm": "a new password"})
    assert not signed_in(laptop)
    assert not signed_in(replay(app, remember_token=remember))


def test_a_session_ends_on_the_server_after_its_maximum_age(app, client, auth):
    auth.login()
    assert signed_in(client)
    days = app.config["SESSION_MAX_AGE_DAYS"]
    with app.app_context():
        db.session.execute(
            update(UserSession).values(created_at=utcnow() - timedelta(days=days, minutes=1))
        )
        db.session.commit()
    assert not signed_in(client)


@pytest.mark.parametrize("settings", [{"SESSION_MAX_AGE_DAYS": 1}])
def test_signing_in_removes_the_users_expired_sessions(app, client, auth):
    user = auth.login()
    with app.app_context():
        db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    auth.login(user=user)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1
