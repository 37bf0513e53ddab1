"""The quizzes blueprint."""

from app.quizzes import (
    models,  # noqa: F401  (the tables belong to the metadata)
    report_views,  # noqa: F401  (its routes are on bp)
)
from app.quizzes.views import bp

__all__ = ["bp"]
