"""The events blueprint's views, one module per audience, all on `bp`."""

from app.events.views import console, public, volunteer  # noqa: F401  (they add their routes)
from app.events.views.common import bp

__all__ = ["bp"]
