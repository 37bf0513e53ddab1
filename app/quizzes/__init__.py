"""The quizzes blueprint."""

from app.quizzes import (
    models,  # noqa: F401  (the tables belong to the metadata)
    report_views,  # noqa: F401  (its routes are on bp)
)
from app.quizzes.seed import register_seeders
from app.quizzes.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
