"""The contest and lesson factories, shared with the guard tests here."""

from tests.contest.conftest import make_edition  # noqa: F401
from tests.contest.test_judging import contest  # noqa: F401
from tests.lessons.conftest import make_course  # noqa: F401
