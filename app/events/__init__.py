"""The events blueprint: the Embassy's cultural events, their public, and their volunteers."""

from app.events import cli, models  # noqa: F401  (they register themselves)
from app.events.seed import register_seeders
from app.events.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
