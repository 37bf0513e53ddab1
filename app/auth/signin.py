"""Signing a browser in: a server-side session first, then Flask-Login's cookies naming it."""

from __future__ import annotations

from flask_login import login_user

from app.auth import services
from app.auth.models import User


def sign_in(user: User, *, remember: bool = False) -> None:
    """Sign `user` in on this browser; the caller commits (the session row is part of its work)."""
    services.start_session(user)
    login_user(user, remember=remember)
