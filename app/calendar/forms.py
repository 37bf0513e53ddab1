"""The calendar feed's buttons: CSRF only."""

from app.core.forms import BaseForm


class FeedActionForm(BaseForm):
    """Make, replace or turn off the link (the form carries only its CSRF token)."""
