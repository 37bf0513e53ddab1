"""Cross-cutting web pieces: home and health pages, roles, htmx, errors, mail outbox, seeding."""

from app.core import (
    models,  # noqa: F401  (the outbox and page cache tables)
    pwa,  # noqa: F401  (its routes are on bp)
)
from app.core.views import bp

__all__ = ["bp"]
