"""The progress blueprint: assignments, submissions, rubrics, grading, the gradebook and
dashboards, each a sub-package of the same shape (views, forms, services) on one blueprint."""

from app.progress import models  # noqa: F401  (tables for the metadata)
from app.progress.assignments import (  # noqa: F401  (routes on bp)
    submission_views,
)
from app.progress.assignments import views as assignment_views  # noqa: F401
from app.progress.dashboard import views as dashboard_views  # noqa: F401
from app.progress.gradebook import views as gradebook_views  # noqa: F401
from app.progress.grading import release_views  # noqa: F401
from app.progress.grading import views as grading_views  # noqa: F401
from app.progress.rubrics import views as rubric_views  # noqa: F401
from app.progress.seed import register_seeders
from app.progress.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
