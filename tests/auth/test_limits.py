"""Sign-in, reset and sign-up limits counted in the database: windows, clearing, pruning, proxies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.auth.models import AuthAttempt
from app.extensions import db


@pytest.fixture
def settings() -> dict[str, object]:
    return {"RATELIMIT_ENABLED": True}


def wrong_login(client, email: str, **headers: str) -> int:
    response = client.post(
        "/auth/login", data={"email": email, "password": "wrong"}, headers=headers
    )
    return response.status_code


def age_attempts(app, minutes: float) -> None:
    """Pretend every counted attempt happened `minutes` earlier."""
    with app.app_context():
        rows = db.session.execute(select(AuthAttempt.id, AuthAttempt.created_at)).all()
        for attempt_id, created_at in rows:
            db.session.execute(
                update(AuthAttempt)
                .where(AuthAttempt.id == attempt_id)
                .values(created_at=created_at - timedelta(minutes=minutes))
            )
        db.session.commit()


def attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuthAttempt))


def test_the_refusal_says_how_long_to_wait_and_ends_when_the_window_passes(app, client, make_user):
    user = make_user()
    for _ in range(5):
        wrong_login(client, user.email)
    age_attempts(app, 6)
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": user.password},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 429
    assert "please wait 9 minutes" in response.get_data(as_text=True)
    assert 8 * 60 < int(response.headers["Retry-After"]) <= 9 * 60
    age_attempts(app, 10)
    response = client.post("/auth/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 302


def test_refused_attempts_do_not_prolong_the_refusal(app, client, make_user):
    user = make_user()
    statuses = [wrong_login(client, user.email) for _ in range(9)]
    assert statuses == [200] * 5 + [429] * 4
    assert attempts(app) == 5


def test_signing_in_clears_the_accounts_failures(app, client, make_user):
    user = make_user()
    for _ in range(4):
        wrong_login(client, user.email)
    response = client.post(
        "/auth/login", data={"email": user.email.upper(), "password": user.password}
    )
    assert response.status_code == 302
    client.post("/auth/logout")
    assert [wrong_login(client, user.email) for _ in range(6)] == [200] * 5 + [429]


def test_rows_are_pruned_once_they_count_for_nothing(app, client, make_user):
    user = make_user()
    for _ in range(3):
        wrong_login(client, user.email)
    age_attempts(app, 61)  # older than the longest window, an hour (resets and sign-ups)
    wrong_login(client, user.email)
    assert attempts(app) == 1


@pytest.mark.parametrize(
    "settings",
    [{"RATELIMIT_ENABLED": True, "RESET_LIMIT_PER_EMAIL": "2 per hour"}],
)
def test_reset_requests_are_limited_per_email_address(client, make_user):
    user = make_user()
    statuses = [
        client.post("/auth/reset", data={"email": user.email}).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    # another address is not affected
    assert client.post("/auth/reset", data={"email": "other@example.org"}).status_code == 302


@pytest.mark.parametrize(
    "settings", [{"RATELIMIT_ENABLED": True, "RESET_LIMIT_PER_ADDRESS": "3 per hour"}]
)
def test_reset_requests_are_limited_per_client_address(client):
    statuses = [
        client.post("/auth/reset", data={"email": f"person{n}@example.org"}).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


@pytest.mark.parametrize(
    "settings", [{"RATELIMIT_ENABLED": True, "SIGNUP_LIMIT_PER_ADDRESS": "2 per hour"}]
)
def test_sign_ups_are_limited_per_client_address(app, client):
    def signup(n: int) -> int:
        data = {
            "display_name": f"Person {n}",
            "email": f"person{n}@example.org",
            "password": "long enough",
            "confirm": "long enough",
            "language": "en",
        }
        status = client.post("/auth/signup", data=data).status_code
        client.post("/auth/logout")
        return status

    assert [signup(n) for n in range(3)] == [302, 302, 429]


LOW_ADDRESS_LIMIT = {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ADDRESS": "3 per 15 minutes"}


@pytest.mark.parametrize("settings", [LOW_ADDRESS_LIMIT])
def test_a_forwarded_address_is_ignored_without_a_trusted_proxy(client):
    statuses = [
        wrong_login(client, f"p{n}@example.org", **{"X-Forwarded-For": f"203.0.113.{n}"})
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("settings", [LOW_ADDRESS_LIMIT | {"PROXY_FIX": 1}])
def test_behind_a_trusted_proxy_each_client_address_counts_alone(client):
    statuses = [
        wrong_login(client, f"p{n}@example.org", **{"X-Forwarded-For": f"203.0.113.{n % 2}"})
        for n in range(8)
    ]
    assert statuses == [200] * 6 + [429] * 2


def test_limits_are_off_when_rate_limiting_is(app, client, make_user):
    app.config["RATELIMIT_ENABLED"] = False
    user = make_user()
    assert {wrong_login(client, user.email) for _ in range(7)} == {200}
    assert attempts(app) == 0
