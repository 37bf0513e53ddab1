"""Users: `make_user` creates an account through the auth service."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from app.extensions import db

DEFAULT_PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    password: str
    roles: tuple[str, ...]
    display_name: str


_counter = itertools.count(1)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., UserInfo]:
    """Create a user (committed) and return its plain facts; roles default to student."""
    from app.auth import services

    def factory(**overrides: Any) -> UserInfo:
        n = next(_counter)
        values: dict[str, Any] = {
            "email": f"user{n}@example.org",
            "password": DEFAULT_PASSWORD,
            "display_name": f"User {n}",
            "roles": ("student",),
            "language": "en",
        }
        values.update(overrides)
        if isinstance(values["roles"], str):
            values["roles"] = (values["roles"],)
        with app.app_context():
            user = services.create_user(**values)
            db.session.commit()
            info = UserInfo(
                id=user.id,
                email=user.email,
                password=values["password"],
                roles=tuple(values["roles"]),
                display_name=user.display_name,
            )
            db.session.remove()
        return info

    return factory
