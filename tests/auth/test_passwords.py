"""Passwords are kept as argon2id at OWASP's parameters; older hashes move over at the next sign-in."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.auth import passwords
from app.auth.models import User
from app.extensions import db
from tests.conftest import QUICK_HASHER

OWASP_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def full_cost(monkeypatch):
    """Hash as production does (the suite otherwise hashes at the lowest cost)."""
    monkeypatch.setattr("app.auth.passwords.HASHER", passwords.OWASP)


def stored(app, user_id: int) -> tuple[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.password_hash, user.session_token


def store_hash(app, user_id: int, password_hash: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).password_hash = password_hash
        db.session.commit()


def sign_in(client, email: str, password: str):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_a_new_account_is_hashed_with_argon2id_at_owasps_parameters(full_cost, client, app):
    response = client.post(
        "/auth/signup",
        data={
            "display_name": "山田 花子",
            "email": "hanako@example.org",
            "password": "kyrgyz-tili",
            "confirm": "kyrgyz-tili",
            "language": "ja",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        password_hash = db.session.scalar(select(User.password_hash))
    assert password_hash.startswith(OWASP_PREFIX)
    assert "kyrgyz-tili" not in password_hash


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256"])
def test_an_older_hash_still_signs_in_and_is_replaced_by_argon2id(
    full_cost, client, app, make_user, method
):
    user = make_user(email="old@example.org")
    store_hash(app, user.id, generate_password_hash(user.password, method=method))
    _, token_before = stored(app, user.id)

    assert sign_in(client, user.email, user.password).status_code == 302
    password_hash, token_after = stored(app, user.id)
    assert password_hash.startswith(OWASP_PREFIX)
    assert token_after == token_before  # the same password: nobody's other sessions end
    # and the new hash works for the next sign-in
    client.post("/auth/logout")
    assert sign_in(client, user.email, user.password).status_code == 302


def test_a_weaker_argon2_hash_is_raised_to_todays_parameters(full_cost, client, app, make_user):
    user = make_user(email="weak@example.org")
    store_hash(app, user.id, QUICK_HASHER.hash(user.password))
    assert sign_in(client, user.email, user.password).status_code == 302
    assert stored(app, user.id)[0].startswith(OWASP_PREFIX)


def test_a_wrong_password_is_refused_and_changes_nothing(full_cost, client, app, make_user):
    user = make_user(email="wrong@example.org")
    old_hash = generate_password_hash(user.password, method="scrypt")
    store_hash(app, user.id, old_hash)
    response = sign_in(client, user.email, "not-the-password")
    assert response.status_code == 200  # the form again, with its message
    assert stored(app, user.id)[0] == old_hash


def test_a_damaged_hash_refuses_the_sign_in_without_an_error(client, app, make_user):
    user = make_user(email="damaged@example.org")
    store_hash(app, user.id, "$argon2id$v=19$m=8,t=1,p=1$not-base64")
    assert sign_in(client, user.email, user.password).status_code == 200
    assert not passwords.verify_password("$argon2id$garbage", "x")
