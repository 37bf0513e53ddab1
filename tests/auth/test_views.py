"""Accounts through the browser's eyes: sign-up, sign-in, passwords, admin pages, limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.core.mail import deliver_pending
from app.core.models import OutboxMessage
from app.extensions import db
from tests.helpers import count_queries, queries_for


def test_signup_creates_a_student_and_signs_in(client, app):
    response = client.post(
        "/auth/signup",
        data={
            "display_name": "山田 花子",
            "name_katakana": "ﾔﾏﾀﾞ ﾊﾅｺ",
            "email": "Hanako@Example.org",
            "password": "kyrgyz-tili",
            "confirm": "kyrgyz-tili",
            "language": "ja",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "hanako@example.org"
        assert user.name_katakana == "ヤマダ ハナコ"
        assert user.roles == {"student"}
    assert "山田 花子" in client.get("/").get_data(as_text=True)


def test_signup_errors_keep_the_input(client, make_user):
    make_user(email="taken@example.org")
    response = client.post(
        "/auth/signup",
        data={
            "display_name": "Taro",
            "name_katakana": "taro",
            "email": "TAKEN@example.org",
            "password": "short",
            "confirm": "different",
            "language": "en",
        },
        headers={"Accept-Language": "en"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Taro"' in body and 'value="TAKEN@example.org"' in body
    assert "katakana" in body
    assert "between 8 and 128" in body
    assert "do not match" in body


def test_signup_with_a_taken_email_says_so(client, make_user):
    make_user(email="taken@example.org")
    response = client.post(
        "/auth/signup",
        data={
            "display_name": "Taro",
            "email": "Taken@example.org",
            "password": "long enough",
            "confirm": "long enough",
            "language": "en",
        },
        headers={"Accept-Language": "en"},
    )
    assert "already exists" in response.get_data(as_text=True)


def test_login_logout_and_next(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login?next=/auth/profile",
        data={"email": user.email.upper(), "password": user.password},
    )
    assert response.headers["Location"] == "/auth/profile"
    assert client.get("/auth/profile").status_code == 200
    client.post("/auth/logout")
    assert client.get("/auth/profile").status_code == 302


def test_login_refuses_foreign_next(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": user.email, "password": user.password},
    )
    assert response.headers["Location"] == "/"


def test_wrong_password_keeps_the_email(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": "nope"},
        headers={"Accept-Language": "en"},
    )
    body = response.get_data(as_text=True)
    assert "incorrect" in body and f'value="{user.email}"' in body


def test_remember_me_sets_a_lasting_cookie(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": user.password, "remember": "y"}
    )
    assert any("remember_token" in c for c in response.headers.getlist("Set-Cookie"))


def test_logout_needs_post(client, auth):
    auth.login()
    assert client.get("/auth/logout").status_code == 405


def test_change_password_signs_out_other_sessions(app, client, auth):
    user = auth.login()
    other = app.test_client()
    other.post("/auth/login", data={"email": user.email, "password": user.password})
    assert other.get("/auth/profile").status_code == 200
    response = client.post(
        "/auth/password",
        data={"current": user.password, "password": "brand new pass", "confirm": "brand new pass"},
    )
    assert response.status_code == 302
    assert client.get("/auth/profile").status_code == 200  # this session stays
    assert other.get("/auth/profile").status_code == 302  # the other one is signed out


def test_change_password_checks_the_current_one(client, auth):
    auth.login()
    response = client.post(
        "/auth/password",
        data={"current": "wrong", "password": "brand new pass", "confirm": "brand new pass"},
        headers={"Accept-Language": "en"},
    )
    assert "current password is not correct" in response.get_data(as_text=True)


def test_password_reset_by_email(app, client, make_user):
    user = make_user(language="en")
    response = client.post("/auth/reset", data={"email": user.email})
    assert response.status_code == 302
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        link = re.search(r"http://\S+/auth/reset/\S+", message.body_text).group(0)
    path = link.split("localhost", 1)[1]
    response = client.post(path, data={"password": "reset password!", "confirm": "reset password!"})
    assert response.status_code == 302
    assert (
        client.post(
            "/auth/login", data={"email": user.email, "password": "reset password!"}
        ).status_code
        == 302
    )
    # the link works once
    client.post("/auth/logout")
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/reset")


@pytest.mark.parametrize("settings", [{"RATELIMIT_ENABLED": True, "MAIL_DELIVER_INLINE": True}])
def test_reset_does_the_same_work_whether_or_not_the_account_exists(app, client, make_user):
    """Equal work, not a stopwatch (too noisy on a busy machine): the same SQL statements in the
    same order, one mail queued and delivered, and the same answer, request after request."""
    make_user(email="known@example.org")
    mail_dir = Path(app.config["MAIL_DIR"])

    def reset(email: str) -> tuple[list[str], int, str, str, int]:
        with count_queries(app) as log:
            response = client.post("/auth/reset", data={"email": email})
        with client.session_transaction() as session:
            [(_category, message)] = session.pop("_flashes")
        with app.app_context():
            queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        return (
            log.statements,
            response.status_code,
            response.headers["Location"],
            message.replace(email, "<email>"),
            queued,
        )

    for round_ in range(1, 4):
        known = reset("known@example.org")
        missing = reset(f"nobody{round_}@example.org")
        assert known[0] == missing[0] and len(known[0]) >= 6
        assert known[1:4] == missing[1:4] == (302, "/auth/login", known[3])
        assert (known[4], missing[4]) == (2 * round_ - 1, 2 * round_)
    assert len(list(mail_dir.glob("*.eml"))) == 6


def test_reset_mail_is_written_to_files_in_development(app, client, make_user, tmp_path):
    app.config.update(MAIL_DELIVER_INLINE=True, MAIL_DIR=str(tmp_path / "dev-mail"))
    user = make_user()
    client.post("/auth/reset", data={"email": user.email})
    assert len(list((tmp_path / "dev-mail").glob("*.eml"))) == 1


def test_profile_update(client, auth, app):
    user = auth.login()
    response = client.post(
        "/auth/profile",
        data={
            "display_name": "新しい名前",
            "name_katakana": "アタラシイ",
            "language": "ja",
            "timezone": "Asia/Bishkek",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.display_name, saved.language, saved.timezone) == (
            "新しい名前",
            "ja",
            "Asia/Bishkek",
        )


ADMIN_URLS = ["/auth/admin/users", "/auth/admin/users/{id}"]


@pytest.mark.parametrize("url", ADMIN_URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        ("student", 403),
        ("teacher", 403),
        ("organizer", 403),
        ("judge", 403),
        ("admin", 200),
    ],
)
def test_admin_pages_access(client, auth, make_user, url, role, status):
    target = make_user()
    if role:
        auth.login(role)
    response = client.get(url.format(id=target.id))
    assert response.status_code == status
    if role is None:
        assert "/auth/login" in response.headers["Location"]


def test_student_gets_403_page_in_their_language(client, auth):
    auth.login("student", language="ja")
    response = client.get("/auth/admin/users")
    assert response.status_code == 403
    assert "アクセスできません" in response.get_data(as_text=True)


def test_admin_changes_roles_and_deactivates(app, client, auth, make_user):
    target = make_user()
    target_client = app.test_client()
    target_client.post("/auth/login", data={"email": target.email, "password": target.password})
    auth.login("admin")
    response = client.post(f"/auth/admin/users/{target.id}", data={"roles": ["teacher", "judge"]})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, target.id)
        assert user.roles == {"teacher", "judge"} and not user.active
    # deactivated: the open session ends and signing in fails
    assert target_client.get("/auth/profile").status_code == 302
    assert (
        target_client.post(
            "/auth/login", data={"email": target.email, "password": target.password}
        ).status_code
        == 200
    )


def test_admin_cannot_remove_own_admin_role(client, auth, app):
    admin = auth.login("admin")
    response = client.post(
        f"/auth/admin/users/{admin.id}",
        data={"roles": ["teacher"], "active": "y"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "cannot remove your own administrator role" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, admin.id).roles == {"admin"}


def test_admin_search(client, auth, make_user):
    make_user(email="aigul@example.org", display_name="Айгүл")
    make_user(email="taro@example.org", display_name="太郎")
    auth.login("admin")
    body = client.get("/auth/admin/users?q=айгүл").get_data(as_text=True)
    assert "aigul@example.org" in body and "taro@example.org" not in body


def test_admin_user_list_query_count_is_flat(app, client, auth, make_user):
    auth.login("admin")
    for _ in range(3):
        make_user(roles=("student", "teacher"))
    few = queries_for(app, client, "/auth/admin/users")
    for _ in range(20):
        make_user(roles=("student", "judge"))
    assert queries_for(app, client, "/auth/admin/users") == few


# The user and their roles, the navigation's two badges (reviews due, assignments to hand in);
# the home page adds its panels (classes, answer reports, streak days, words learned).
@pytest.mark.parametrize(("url", "budget"), [("/", 8), ("/auth/profile", 4), ("/auth/password", 4)])
def test_pages_query_count_is_small(app, client, auth, url, budget):
    auth.login("student")
    assert queries_for(app, client, url) <= budget


@pytest.mark.parametrize("settings", [{"RATELIMIT_ENABLED": True}])
@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Too many unsuccessful sign-in attempts"), ("ja", "ログインの失敗が続いた")],
)
def test_login_rate_limit_per_email(client, make_user, language, message):
    user = make_user()
    headers = {"Accept-Language": language}
    for _ in range(5):
        response = client.post(
            "/auth/login", data={"email": user.email, "password": "wrong"}, headers=headers
        )
        assert response.status_code == 200
    response = client.post(
        "/auth/login", data={"email": user.email, "password": "wrong"}, headers=headers
    )
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert message in body
    assert 'name="email"' in body  # the form is still there
    # even the right password is refused while the limit lasts
    response = client.post("/auth/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 429


@pytest.mark.parametrize(
    "settings", [{"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ADDRESS": "8 per 15 minutes"}]
)
def test_login_rate_limit_per_address(client, make_user):
    users = [make_user() for _ in range(9)]
    statuses = [
        client.post("/auth/login", data={"email": u.email, "password": "wrong"}).status_code
        for u in users
    ]
    assert statuses == [200] * 8 + [429]


@pytest.mark.parametrize("settings", [{"RATELIMIT_ENABLED": True}])
def test_successful_logins_do_not_count(client, make_user):
    user = make_user()
    for _ in range(7):
        assert (
            client.post(
                "/auth/login", data={"email": user.email, "password": user.password}
            ).status_code
            == 302
        )
        client.post("/auth/logout")


def test_users_create_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Sensei@Example.org",
            "--role",
            "teacher",
            "--role",
            "judge",
            "--password",
            "long password",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "sensei@example.org"))
        assert user.roles == {"teacher", "judge"}
    again = runner.invoke(
        args=["users", "create", "--email", "sensei@example.org", "--password", "long password"]
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_mail_is_not_lost_when_delivery_fails_inline(app, client, make_user):
    """A crashed mail server during a request: the reset still succeeds and the mail waits."""
    app.config.update(
        MAIL_DELIVER_INLINE=True, MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=1
    )
    user = make_user()
    response = client.post("/auth/reset", data={"email": user.email})
    assert response.status_code == 302
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.status == "queued" and message.attempts == 1
        app.config["MAIL_BACKEND"] = "file"
        assert deliver_pending(now=message.next_attempt_at).sent == 1


def test_login_limit_is_shared_by_app_instances_without_redis(app, make_user):
    """Two app instances (think: two gunicorn workers), each with its own memory, count together."""
    from app import create_app

    shared = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
    user = make_user()
    workers = [create_app({**app.config, **shared}) for _ in range(2)]
    statuses = [
        workers[n % 2]
        .test_client()
        .post("/auth/login", data={"email": user.email, "password": "wrong"})
        .status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    for worker in workers:
        with worker.app_context():
            db.engine.dispose()


def test_signup_follows_a_safe_next(client):
    data = {
        "display_name": "Taro",
        "email": "taro@example.org",
        "password": "long enough",
        "confirm": "long enough",
        "language": "ja",
    }
    response = client.post("/auth/signup?next=/lessons/join/ABCDEFGH", data=data)
    assert response.headers["Location"] == "/lessons/join/ABCDEFGH"


def test_messages_for_the_signed_out_user_do_not_greet_the_next(client, make_user):
    first, second = make_user(display_name="Hanako"), make_user(display_name="Kenta")
    client.post("/auth/login", data={"email": first.email, "password": first.password})
    client.post("/auth/logout")  # "Welcome, Hanako." was never shown: no redirect followed
    client.post("/auth/login", data={"email": second.email, "password": second.password})
    text = client.get("/").get_data(as_text=True)
    assert "Kenta" in text and "Hanako" not in text
