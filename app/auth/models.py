"""Accounts and their roles."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth import passwords
from app.core.dbtypes import UTCDateTime, utcnow
from app.extensions import Model


class Role(StrEnum):
    """What a user may do; a user holds any set of these."""

    STUDENT = "student"
    TEACHER = "teacher"
    ORGANIZER = "organizer"
    JUDGE = "judge"
    ADMIN = "admin"


def fold(text: str) -> str:
    """Text as search compares it: compatibility-normalised and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def new_session_token() -> str:
    """A random token; changing it makes the user's reset links unusable."""
    return secrets.token_urlsafe(16)


def new_session_id() -> str:
    """The random, unguessable id of one signed-in browser."""
    return secrets.token_urlsafe(32)


class User(UserMixin, Model):
    """A person with an account: student, teacher, organizer, judge or admin."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)
    __allow_unmapped__ = True  # for login_session_id, which is not a column

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    name_katakana: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(5), default="ja")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Tokyo")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Case-folded name, katakana and e-mail: SQLite's lower() only folds ASCII, so we fold here.
    search_key: Mapped[str] = mapped_column(String(500), default="")

    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # The UserSession this request is signed in with (set when it is started or loaded).
    login_session_id: str | None = None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies: user and session id."""
        return f"{self.id}:{self.login_session_id or ''}"

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(link.role for link in self.role_links)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def has_any_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def refresh_search_key(self) -> None:
        parts = (self.display_name, self.name_katakana or "", self.email)
        self.search_key = fold(" ".join(parts))[:500]

    def set_password(self, password: str) -> None:
        self.password_hash = passwords.hash_password(password)
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        """Whether this is the password; a correct one upgrades an older kind of hash in place
        (the sessions stay: it is the same password)."""
        if not passwords.verify_password(self.password_hash, password):
            return False
        if passwords.needs_rehash(self.password_hash):
            self.password_hash = passwords.hash_password(password)
        return True


class UserRole(Model):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_links")


class UserSession(Model):
    """One signed-in browser; signing out deletes it, so a copy of its cookies stops working."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_session_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuthAttempt(Model):
    """One counted attempt to sign in, reset a password or sign up, for the limits every worker shares.

    Sign-in rows are failures (a success deletes the e-mail's rows); rows older than the longest
    window are pruned, so e-mail and client addresses are kept no longer than they count.
    """

    __tablename__ = "auth_attempts"
    __table_args__ = (
        Index("ix_auth_attempts_action_email_created_at", "action", "email", "created_at"),
        Index("ix_auth_attempts_action_address_created_at", "action", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(10))  # "login", "reset" or "signup"
    email: Mapped[str] = mapped_column(String(254))  # normalised
    address: Mapped[str] = mapped_column(String(64))  # the client's, as ProxyFix says
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
