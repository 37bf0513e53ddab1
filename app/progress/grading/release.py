"""Releasing grades to students, one or an assignment's at once, and e-mailing them: a grade
marked graded becomes released, once, however often it is clicked.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.orm import joinedload

from app.core.dbtypes import utcnow
from app.core.mail import queue_template_mail
from app.extensions import db
from app.lessons.models import Enrollment
from app.progress.grading.services import GradingError
from app.progress.models import Assignment, Grade, GradeState, Submission


class NotGraded(GradingError):
    """Only a grade marked as graded can be released."""


class AlreadyReleased(GradingError):
    """The grade was released already (a double click, or another teacher)."""


def _student_in_class() -> ColumnElement[bool]:
    """The grade's student is still enrolled in its assignment's class (not someone who left)."""
    return (
        select(Enrollment.user_id)
        .join(Assignment, Assignment.class_id == Enrollment.class_id)
        .where(Assignment.id == Grade.assignment_id, Enrollment.user_id == Grade.student_id)
        .exists()
    )


def graded_count(assignment_id: int) -> int:
    """Grades of an assignment marked graded and not yet released (what "release all" releases):
    of students still in the class."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Grade)
            .where(
                Grade.assignment_id == assignment_id,
                Grade.state == GradeState.GRADED,
                _student_in_class(),
            )
        )
        or 0
    )


# --- release ------------------------------------------------------------------------------------


def _release(where: ColumnElement[bool], now: datetime) -> list[Grade]:
    """Release the graded grades matching `where` and e-mail each student once.

    One UPDATE ... WHERE state = 'graded' ... RETURNING claims the rows: a second click or a
    second teacher at the same time finds them released already and mails nobody (PostgreSQL
    waits on the row locks, SQLite on its write lock)."""
    claimed = db.session.scalars(
        update(Grade)
        .where(where, Grade.state == GradeState.GRADED)
        .values(state=GradeState.RELEASED, released_at=now, version=Grade.version + 1)
        .returning(Grade.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return []
    grades = list(
        db.session.scalars(
            select(Grade)
            .where(Grade.id.in_(claimed))
            .options(
                joinedload(Grade.student),
                joinedload(Grade.assignment),
            )
            .order_by(Grade.id)
            .execution_options(populate_existing=True)
        )
    )
    for grade in grades:
        _mail_release(grade)
    return grades


def _assignment_link(assignment_id: int) -> str:
    """The student's page of the assignment."""
    return url_for("progress.assignment", assignment_id=assignment_id, _external=True)


def _mail_release(grade: Grade) -> None:
    student = grade.student
    queue_template_mail(
        student.email,
        "progress_grade_released",
        language=student.language,
        timezone=student.timezone,
        topic="progress_grade_released",
        student=student,
        assignment=grade.assignment,
        grade=grade,
        link=_assignment_link(grade.assignment_id),
    )


def release_grade(submission: Submission, now: datetime | None = None) -> Grade:
    """Release one graded grade to its student (and e-mail them)."""
    grade = submission.grade
    if grade is None or grade.state == GradeState.DRAFT:
        raise NotGraded()
    if grade.state == GradeState.RELEASED:
        raise AlreadyReleased()
    released = _release(Grade.id == grade.id, now or utcnow())
    if not released:
        raise AlreadyReleased()
    return released[0]


def release_assignment(assignment: Assignment, now: datetime | None = None) -> int:
    """Release every graded grade of an assignment at once, to the students still in the class
    (someone who left is neither shown nor e-mailed); returns how many were released."""
    where = and_(Grade.assignment_id == assignment.id, _student_in_class())
    return len(_release(where, now or utcnow()))
