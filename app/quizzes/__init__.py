"""The quizzes blueprint."""

from app.quizzes import models  # noqa: F401  (the tables belong to the metadata)
from app.quizzes.views import bp

__all__ = ["bp"]
