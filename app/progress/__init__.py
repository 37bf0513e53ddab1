"""The progress blueprint: assignments, submissions, grading, the gradebook and dashboards."""

from app.progress import (  # noqa: F401  (tables for the metadata; modules with routes on bp)
    assignment_views,
    gradebook_views,
    grading_views,
    models,
)
from app.progress.views import bp

__all__ = ["bp"]
