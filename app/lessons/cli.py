"""`flask lessons ...`: course files in and out of the database."""

from __future__ import annotations

from app.lessons.views import bp

__all__ = ["bp"]
