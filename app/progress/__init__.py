"""The progress blueprint: assignments, submissions, grading, the gradebook and dashboards."""

from app.progress import models  # noqa: F401  (the tables belong to the metadata)
from app.progress.views import bp

__all__ = ["bp"]
