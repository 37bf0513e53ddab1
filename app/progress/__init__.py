"""The progress blueprint: assignments, submissions, grading, the gradebook and dashboards."""

from app.progress import (  # noqa: F401  (tables for the metadata; modules with routes on bp)
    assignment_views,
    gradebook_views,
    grading_views,
    models,
)
from app.progress.seed import register_seeders
from app.progress.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
