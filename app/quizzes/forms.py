"""The practice's form: a start button."""

from __future__ import annotations

from app.core.forms import BaseForm


class StartForm(BaseForm):
    """A start button (the CSRF token only)."""
