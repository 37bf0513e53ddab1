"""Setting assignments: creating, changing (kind, rubric and points lock once something is
graded) and deleting them, and the lessons an assignment can belong to.

Times are UTC in the database; teachers enter and everyone reads them in Japan time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.sql.elements import ColumnElement

from app.auth.models import User
from app.extensions import db
from app.lessons.models import CourseClass, Lesson
from app.progress.models import Assignment, Grade, Submission

# --- errors ----------------------------------------------------------------------------------


class AssignmentError(Exception):
    """A rule of assignments, rubrics or submissions was broken; the view shows a message."""


class FieldsLocked(AssignmentError):
    """Grades exist, so these fields of the assignment can no longer change."""

    def __init__(self, fields: Sequence[str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = tuple(fields)


class HasSubmissions(AssignmentError):
    """Students have submitted work (or have grades): the assignment can't be deleted."""


# --- assignments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentDetails:
    """What a teacher enters for an assignment (due_at in UTC)."""

    title: str
    prompt: str
    kind: str
    due_at: datetime
    max_points: int
    rubric_id: int | None = None
    lesson_id: int | None = None
    blind: bool = False


def _apply(assignment: Assignment, details: AssignmentDetails) -> None:
    assignment.title = details.title.strip()
    assignment.prompt = details.prompt
    assignment.kind = details.kind
    assignment.due_at = details.due_at
    assignment.max_points = details.max_points
    assignment.rubric_id = details.rubric_id
    assignment.lesson_id = details.lesson_id
    assignment.blind = details.blind


def create_assignment(
    course_class: CourseClass, details: AssignmentDetails, *, created_by: User
) -> Assignment:
    """A new assignment for the class."""
    assignment = Assignment(class_id=course_class.id, created_by_id=created_by.id)
    _apply(assignment, details)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def grades_exist(assignment_id: int) -> bool:
    """Whether any grade (in any state) exists for the assignment."""
    return bool(db.session.scalar(select(exists().where(Grade.assignment_id == assignment_id))))


def update_assignment(assignment: Assignment, details: AssignmentDetails) -> None:
    """Change an assignment; its kind, rubric and maximum points are fixed once anything has
    been graded (the grades' points are out of that maximum)."""
    changed = [
        name
        for name, old, new in (
            ("kind", assignment.kind, details.kind),
            ("max_points", assignment.max_points, details.max_points),
            ("rubric_id", assignment.rubric_id, details.rubric_id),
        )
        if old != new
    ]
    if changed and grades_exist(assignment.id):
        raise FieldsLocked(changed)
    _apply(assignment, details)
    db.session.flush()


def delete_assignment(assignment: Assignment) -> list[str]:
    """Delete an assignment nobody has submitted to (drafts go with it).

    Returns the draft recordings to remove from disk once the deletion is committed.
    """
    submitted = select(
        exists().where(Submission.assignment_id == assignment.id, Submission.version_count > 0)
    )
    if db.session.scalar(submitted) or grades_exist(assignment.id):
        raise HasSubmissions()
    files = [
        name
        for name in db.session.scalars(
            select(Submission.draft_audio_file).where(
                Submission.assignment_id == assignment.id,
                Submission.draft_audio_file.is_not(None),
            )
        )
        if name
    ]
    db.session.delete(assignment)
    db.session.flush()
    return files


def class_lessons(course_id: int, current_id: int | None = None) -> list[Lesson]:
    """The lessons of a class's course in course order (retired ones only if already chosen)."""
    shown: ColumnElement[bool] = Lesson.retired.is_(False)
    if current_id is not None:
        shown = or_(shown, Lesson.id == current_id)
    return list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.course_id == course_id, shown)
            .order_by(Lesson.position, Lesson.id)
        )
    )
