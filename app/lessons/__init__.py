"""Courses, lessons and words, classes with enrolment, lesson pages and teacher authoring."""

from app.lessons import authoring_views, cli, models  # noqa: F401  (routes, commands, tables)
from app.lessons.seed import register_seeders
from app.lessons.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
