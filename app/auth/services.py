"""Account rules: sign-up, authentication, passwords, reset tokens, roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from app.auth import identity, passwords
from app.auth.models import Role, User, UserRole, UserSession, fold, new_session_token
from app.core.dbtypes import utcnow
from app.core.mail import queue_template_mail
from app.extensions import db

RESET_SALT = "sabak-password-reset"


class AccountError(Exception):
    """A rule about accounts was broken; the message is shown to the user."""


class EmailTaken(AccountError):
    pass


class WrongPassword(AccountError):
    pass


class ForbiddenChange(AccountError):
    pass


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    *,
    email: str,
    password: str,
    display_name: str,
    roles: Iterable[str] = (Role.STUDENT,),
    language: str = "ja",
    name_katakana: str | None = None,
) -> User:
    """Create an account; raises EmailTaken if the address is in use, even in a race."""
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        name_katakana=(name_katakana or "").strip() or None,
        language=language,
    )
    user.set_password(password)
    user.refresh_search_key()
    user.role_links = [UserRole(role=str(Role(r))) for r in sorted(set(roles))]
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:
        raise EmailTaken(email) from error
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = get_user_by_email(email)
    if user is None:
        passwords.waste_time_like_a_check(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def update_profile(
    user: User, *, display_name: str, name_katakana: str | None, language: str, timezone: str
) -> None:
    """Save what a user may change about themselves."""
    user.display_name = display_name.strip()
    user.name_katakana = (name_katakana or "").strip() or None
    user.language = language
    user.timezone = timezone
    user.refresh_search_key()


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; the user's other sessions end."""
    if not user.check_password(current):
        raise WrongPassword()
    user.set_password(new)
    end_sessions(user, keep=user.login_session_id)


def session_max_age() -> timedelta:
    """How long a sign-in lasts on the server at most, kept signed in or not."""
    return timedelta(days=current_app.config["SESSION_MAX_AGE_DAYS"])


def start_session(user: User) -> UserSession:
    """A new server-side session for `user` (call before login_user); their expired ones go."""
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.created_at < utcnow() - session_max_age()
        )
    )
    login_session = UserSession(user_id=user.id)
    db.session.add(login_session)
    db.session.flush()
    user.login_session_id = login_session.id
    return login_session


def user_for_session(key: str) -> User | None:
    """The active user of the session named by a cookie's "<user id>:<session id>", or None."""
    user_id, _sep, session_id = key.partition(":")
    if not session_id:
        return None
    user = identity.signed_in_user(user_id, session_id, utcnow() - session_max_age())
    if user is None:
        return None
    user.login_session_id = session_id
    return user


def end_session(session_id: str) -> None:
    """Sign one session out on the server: its cookies, and any copy of them, stop working."""
    db.session.execute(delete(UserSession).where(UserSession.id == session_id))
    identity.forget_session(session_id)


def end_sessions(user: User, *, keep: str | None = None) -> None:
    """Sign out every session of `user` except `keep`."""
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.id != (keep or ""))
    )
    identity.forget_user(user.id)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user: User) -> str:
    """A signed token naming the user and their session token, so it dies when the password changes."""
    return _serializer().dumps({"id": user.id, "t": user.session_token})


def user_for_reset_token(token: str) -> User | None:
    """The user a still-valid reset token belongs to, or None (expired, used or forged)."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("id"))
    if user is None or not user.active or user.session_token != data.get("t"):
        return None
    return user


def request_password_reset(email: str, *, language: str) -> None:
    """Mail a reset link to an active account, or to any other address a note that it has none.

    Both ways do the same work (one lookup, one rendered mail, one outbox row), so neither the
    answer nor its timing tells the requester whether an account exists; `language` is theirs.
    """
    address = normalize_email(email)
    # the roles aren't needed: loading them would be one query more when the account exists
    user = db.session.scalar(
        select(User).where(User.email == address).options(lazyload(User.role_links))
    )
    if user is not None and user.active:
        link = url_for("auth.reset_password", token=make_reset_token(user), _external=True)
        queue_template_mail(
            user.email,
            "password_reset",
            language=user.language,
            timezone=user.timezone,
            user=user,
            link=link,
            minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
        )
    else:
        link = url_for("auth.signup", _external=True)
        queue_template_mail(
            address, "password_reset_no_account", language=language, email=address, link=link
        )


def reset_password(user: User, new: str) -> None:
    """Set a new password from a reset link; the link can't be used again, every session ends."""
    user.set_password(new)
    end_sessions(user)


def update_roles(user: User, roles: Iterable[str], *, acting: User) -> None:
    """Give `user` exactly these roles; admins can't remove their own admin role."""
    wanted = {str(Role(r)) for r in roles}
    if user.id == acting.id and Role.ADMIN in user.roles and Role.ADMIN not in wanted:
        raise ForbiddenChange("own-admin")
    keep = [link for link in user.role_links if link.role in wanted]
    have = {link.role for link in keep}
    user.role_links = keep + [UserRole(role=r) for r in sorted(wanted - have)]
    db.session.flush()
    identity.forget_user(user.id)


def set_active(user: User, active: bool, *, acting: User) -> None:
    """Activate or deactivate an account; deactivation signs it out everywhere."""
    if user.id == acting.id and not active:
        raise ForbiddenChange("own-account")
    if user.active and not active:
        user.session_token = new_session_token()
        end_sessions(user)
    user.active = active


@dataclass(frozen=True)
class UserFilter:
    query: str = ""
    role: str = ""
    status: str = ""  # "", "active", "inactive"


def user_search(filters: UserFilter) -> Select[tuple[User]]:
    """The select() for the admin user list, newest first."""
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    q = fold(filters.query.strip())
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(User.search_key.like(f"%{escaped}%", escape="\\"))
    if filters.role in {r.value for r in Role}:
        stmt = stmt.where(User.role_links.any(UserRole.role == filters.role))
    if filters.status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif filters.status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    return stmt
