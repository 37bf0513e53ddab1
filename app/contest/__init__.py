"""The contest blueprint."""

from app.contest import cli, models  # noqa: F401  (they register themselves)
from app.contest.views import bp

__all__ = ["bp"]
