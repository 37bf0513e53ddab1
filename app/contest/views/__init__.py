"""The contest pages, one module per audience, all on the one blueprint `contest`."""

from app.contest.views import (  # noqa: F401  (they register their routes)
    certificates,
    checkin,
    console,
    editions,
    judges,
    judging,
    preliminary,
    preliminary_console,
    preliminary_judges,
    public,
    registrant,
)
from app.contest.views.common import bp

__all__ = ["bp"]
