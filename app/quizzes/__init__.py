"""The quizzes blueprint."""

from app.quizzes import models  # noqa: F401  (the tables belong to the metadata)
from app.quizzes.classes import views as class_views  # noqa: F401  (routes on bp)
from app.quizzes.decks import views as deck_views  # noqa: F401  (routes on bp)
from app.quizzes.offline import views as offline_views  # noqa: F401  (routes on bp)
from app.quizzes.reports import views as report_views  # noqa: F401  (routes on bp)
from app.quizzes.seed import register_seeders
from app.quizzes.sentences import views as sentence_views  # noqa: F401  (routes on bp)
from app.quizzes.sessions import views as session_views  # noqa: F401  (routes on bp)
from app.quizzes.sounds import views as sound_views  # noqa: F401  (routes on bp)
from app.quizzes.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
