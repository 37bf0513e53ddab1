"""Loaders for progress's own objects (assignments, submissions), answering 404 for "not yours".

The rules themselves (who teaches a class, who belongs to it, who sees a piece of work) are the
one policy in `app.lessons.access`; these functions only fetch the object and apply it.
"""

from __future__ import annotations

from flask import abort

from app.auth.models import User
from app.extensions import db
from app.lessons.access import is_enrolled, may_see_work, teaches
from app.progress.models import Assignment, Submission


def taught_assignment_or_404(assignment_id: int, user: User) -> Assignment:
    """An assignment of a class the user teaches; anyone else gets 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not teaches(user, assignment.class_id):
        abort(404)
    return assignment


def class_student_or_404(assignment: Assignment, student_id: int) -> User:
    """A student of the assignment's class (the teacher acts on their work); else 404."""
    student = db.session.get(User, student_id)
    if student is None or not is_enrolled(student, assignment.class_id):
        abort(404)
    return student


def submission_or_404(submission_id: int, user: User) -> Submission:
    """A submission the user may see: their own, or one of a class they teach; else 404."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not may_see_work(
        user, submission.student_id, submission.assignment.class_id
    ):
        abort(404)
    return submission
