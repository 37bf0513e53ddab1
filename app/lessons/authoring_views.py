"""Teacher authoring: lessons, words, notes with preview, recordings."""

from __future__ import annotations

from app.lessons.views import bp

__all__ = ["bp"]
