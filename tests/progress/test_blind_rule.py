"""The blind-grading rule, written once (`shows_student_name`): a blind assignment's teachers see
a student's name only once the grade is released, on every surface. The queue, overview and
gradebook (and its exports) have their own tests in test_grading, test_assignments and
test_gradebook; here the rule itself, the grading page and the reopen message."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.progress.blind import blind_numbers, shows_student_name
from app.progress.models import GradeState, Submission
from tests.helpers import visible_text


@pytest.mark.parametrize(
    ("blind", "released", "shown"),
    [(False, False, True), (False, True, True), (True, False, False), (True, True, True)],
)
def test_the_rule(blind, released, shown):
    assert shows_student_name(blind, released) is shown


@pytest.fixture
def blind_work(app, progress_class, make_assignment, make_submission):
    """A blind assignment: the first student's grade unreleased, the second's released."""
    cls = progress_class(students=2)
    assignment_id = make_assignment(cls.id, blind=True)
    graded = make_submission(
        assignment_id, cls.students[0].id, grade_state=GradeState.GRADED, points=7
    )
    released = make_submission(
        assignment_id, cls.students[1].id, grade_state=GradeState.RELEASED, points=9
    )
    with app.app_context():
        numbers = blind_numbers(assignment_id, [s.id for s in cls.students])
    return cls, assignment_id, graded, released, numbers


def test_the_grading_page_names_the_student_only_once_released(client, auth, blind_work):
    cls, _assignment_id, graded, released, numbers = blind_work
    hidden, named = cls.students
    auth.login(user=cls.teacher)
    text = visible_text(client.get(f"/progress/grading/{graded}").get_data(as_text=True))
    assert f"Student {numbers[hidden.id]}" in text and hidden.display_name not in text
    assert "Blind grading: the name shows after release" in text
    text = visible_text(client.get(f"/progress/grading/{released}").get_data(as_text=True))
    assert named.display_name in text and not re.search(r"Student \d", text)
    assert "Blind grading: the name shows after release" not in text


def test_reopening_names_the_student_only_once_released(app, client, auth, blind_work):
    """It hid the name whenever the assignment was blind, released or not; now it follows the
    rule like every other surface."""
    cls, assignment_id, _graded, released, _numbers = blind_work
    hidden, named = cls.students
    auth.login(user=cls.teacher)
    base = f"/progress/assignments/{assignment_id}/students"
    data = {"until": "2099-01-01T10:00"}
    page = client.post(f"{base}/{hidden.id}/reopen", data=data, follow_redirects=True)
    text = visible_text(page.get_data(as_text=True))
    assert "The student can submit again until" in text and hidden.display_name not in text
    page = client.post(f"{base}/{named.id}/reopen", data=data, follow_redirects=True)
    text = visible_text(page.get_data(as_text=True))
    assert f"{named.display_name} can submit again until" in text
    with app.app_context():
        assert db.session.get(Submission, released).reopened_until is not None
