"""The contest blueprint."""

from app.contest import models  # noqa: F401  (the tables belong to the metadata)
from app.contest.views import bp

__all__ = ["bp"]
