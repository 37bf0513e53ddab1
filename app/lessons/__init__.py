"""Courses, lessons and words, classes with enrolment, lesson pages and teacher authoring."""

from app.lessons import authoring_views, cli, models  # noqa: F401  (routes, commands, tables)
from app.lessons.views import bp

__all__ = ["bp"]
