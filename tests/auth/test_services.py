"""Account rules, called directly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth import services
from app.auth.models import Role, User
from app.core.models import OutboxMessage
from app.extensions import db


def test_emails_are_unique_case_insensitively(app_ctx):
    services.create_user(email="Hanako@Example.org", password="x" * 8, display_name="花子")
    db.session.commit()
    with pytest.raises(services.EmailTaken):
        services.create_user(email=" hanako@EXAMPLE.org ", password="y" * 8, display_name="別人")
    # the failed attempt didn't spoil the session
    db.session.commit()
    assert db.session.scalars(select(User.email)).all() == ["hanako@example.org"]


def test_new_accounts_are_students_and_passwords_are_hashed(app_ctx):
    user = services.create_user(email="a@example.org", password="secret-pass", display_name="A")
    assert user.roles == {"student"}
    assert "secret-pass" not in user.password_hash
    assert user.check_password("secret-pass") and not user.check_password("wrong")


def test_authenticate(app_ctx, make_user):
    info = make_user(email="b@example.org")
    assert services.authenticate("B@example.org", info.password).id == info.id
    assert services.authenticate("b@example.org", "wrong password") is None
    assert services.authenticate("nobody@example.org", info.password) is None


def test_inactive_users_cannot_authenticate(app_ctx, make_user):
    info = make_user()
    user = db.session.get(User, info.id)
    admin = db.session.get(User, make_user(roles="admin").id)
    services.set_active(user, False, acting=admin)
    assert services.authenticate(info.email, info.password) is None


def test_reset_token_works_once_and_expires(app_ctx, make_user):
    user = db.session.get(User, make_user().id)
    with app_ctx.test_request_context():
        token = services.make_reset_token(user)
    assert services.user_for_reset_token(token) == user
    services.reset_password(user, "a new password")
    assert services.user_for_reset_token(token) is None  # used
    assert services.user_for_reset_token("garbage") is None
    with app_ctx.test_request_context():
        token = services.make_reset_token(user)
    app_ctx.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert services.user_for_reset_token(token) is None  # expired


def test_reset_request_queues_mail_in_the_users_language(app_ctx, make_user):
    info = make_user(language="ja", display_name="山田")
    with app_ctx.test_request_context():
        services.request_password_reset(info.email.upper(), language="en")
        services.request_password_reset("Unknown@example.org", language="en")
    message, note = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert message.recipient == info.email
    assert "パスワード" in message.subject
    assert "/auth/reset/" in message.body_text
    # an address without an account is told so, in the requester's language, with no reset link
    assert note.recipient == "unknown@example.org"
    assert "no active account uses it" in note.body_text
    assert "/auth/reset/" not in note.body_text and "/auth/signup" in note.body_text


def test_roles_can_be_changed_but_not_the_admins_own(app_ctx, make_user):
    admin = db.session.get(User, make_user(roles="admin").id)
    other = db.session.get(User, make_user().id)
    services.update_roles(other, ["teacher", "judge"], acting=admin)
    assert other.roles == {"teacher", "judge"}
    services.update_roles(admin, ["admin", "organizer"], acting=admin)
    assert admin.roles == {Role.ADMIN, Role.ORGANIZER}
    with pytest.raises(services.ForbiddenChange):
        services.update_roles(admin, ["teacher"], acting=admin)
    with pytest.raises(services.ForbiddenChange):
        services.set_active(admin, False, acting=admin)


def test_search(app_ctx, make_user):
    make_user(email="tanaka@example.org", display_name="田中 太郎")
    make_user(email="suzuki@example.org", display_name="Suzuki", roles="teacher")
    names = lambda f: [u.display_name for u in db.session.scalars(services.user_search(f))]  # noqa: E731
    assert names(services.UserFilter(query="田中")) == ["田中 太郎"]
    assert names(services.UserFilter(query="SUZUKI")) == ["Suzuki"]
    assert names(services.UserFilter(role="teacher")) == ["Suzuki"]
    assert names(services.UserFilter(query="%")) == []
