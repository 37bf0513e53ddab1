"""Courses, lessons and words, classes with enrolment, lesson pages and teacher authoring."""

from app.lessons import (  # noqa: F401  (commands, tables)
    class_views,
    cli,
    models,
)
from app.lessons.authoring import views as authoring_views  # noqa: F401  (routes)
from app.lessons.recordings import views as recording_views  # noqa: F401  (routes)
from app.lessons.seed import register_seeders
from app.lessons.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
