"""Blind grading: the one rule for when a teacher sees the student's name, and the numbers
("Student 3") shown instead, the same on the queue, the grading page, the gradebook and the
assignment's overview.

The rule: on a blind assignment, the class's teachers see who did a piece of work only once its
grade is released (the form says "hide students' names until grades are released"). Until then
every surface shows the number, and the gradebook does not even say whether the work is graded.

The numbers must not give names away: following the class list (or the order students joined)
would make "Student 3" the third name on the roster, the same student in every assignment. So
each assignment shuffles its class's students its own way: they are ordered by an HMAC of
"<assignment id>:<student id>" under the app's secret key, and numbered from 1. Nobody without
the key can work the order out, and another assignment gives another order.

A student who joins or leaves the class moves the others' numbers, as any numbering of the
current class would.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.lessons.models import Enrollment
from app.progress.models import Assignment


def shows_student_name(blind: bool, released: bool) -> bool:
    """May a teacher see whose work this is: always, unless the assignment is blind and the
    grade is not released yet."""
    return not blind or released


def _key() -> bytes:
    secret = current_app.secret_key
    if isinstance(secret, bytes):
        return secret
    return str(secret or "").encode("utf-8")


def blind_numbers(assignment_id: int, student_ids: Iterable[int]) -> dict[int, int]:
    """{student id: number} for the class's enrolled students (pass them all: a number is the
    student's place among them), in the assignment's own secret order."""
    key = _key()

    def order(student_id: int) -> tuple[bytes, int]:
        message = f"{assignment_id}:{student_id}".encode()
        return hmac.new(key, message, hashlib.sha256).digest(), student_id

    ordered = sorted(set(student_ids), key=order)
    return {student_id: n for n, student_id in enumerate(ordered, start=1)}


def class_student_ids(class_id: int) -> list[int]:
    """The ids of the class's enrolled students (one query)."""
    return list(
        db.session.scalars(select(Enrollment.user_id).where(Enrollment.class_id == class_id))
    )


def blind_number(assignment: Assignment, student_id: int) -> int | None:
    """One student's number on an assignment (one query); None if not in the class."""
    return blind_numbers(assignment.id, class_student_ids(assignment.class_id)).get(student_id)


def numbers_for_assignments(assignment_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """{assignment id: {student id: number}} for several assignments in one query."""
    ids = sorted(set(assignment_ids))
    enrolled: dict[int, list[int]] = {assignment_id: [] for assignment_id in ids}
    for assignment_id, user_id in db.session.execute(
        select(Assignment.id, Enrollment.user_id)
        .join(Enrollment, Enrollment.class_id == Assignment.class_id)
        .where(Assignment.id.in_(ids))
    ):
        enrolled[assignment_id].append(user_id)
    return {
        assignment_id: blind_numbers(assignment_id, students)
        for assignment_id, students in enrolled.items()
    }
