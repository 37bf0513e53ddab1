"""Accounts, roles, sign-in, sign-up, password reset and the admin's user pages."""

from app.auth.views import bp

__all__ = ["bp"]
