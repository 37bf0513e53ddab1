"""The contest blueprint."""

from app.contest import cli, models  # noqa: F401  (they register themselves)
from app.contest.seed import register_seeders
from app.contest.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
