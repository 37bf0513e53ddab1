"""The contest, lesson and progress factories, shared with the guard tests here."""

from tests.contest.conftest import make_edition  # noqa: F401
from tests.contest.test_judging import contest  # noqa: F401
from tests.lessons.conftest import make_class, make_course  # noqa: F401
from tests.progress.conftest import make_assignment, make_submission, progress_class  # noqa: F401
