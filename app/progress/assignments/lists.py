"""The lists of assignments with the state of the work: a class's for its teachers, one
assignment's students (the overview) and a student's own across their classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select

from app.auth.models import User
from app.extensions import db
from app.lessons.models import CourseClass, Enrollment
from app.progress.blind import blind_numbers, shows_student_name
from app.progress.models import Assignment, Grade, GradeState, Submission

# --- the teachers' side ----------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentSummary:
    """One row of a class's assignment list for its teachers."""

    assignment: Assignment
    students: int
    submitted: int
    late: int
    graded: int  # graded or released
    released: int


def class_assignment_summaries(class_id: int) -> list[AssignmentSummary]:
    """The class's assignments by due date with counts of current students' work (4 queries)."""
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.class_id == class_id)
            .order_by(Assignment.due_at, Assignment.id)
        )
    )
    students = db.session.scalar(
        select(func.count()).select_from(Enrollment).where(Enrollment.class_id == class_id)
    )
    enrolled = and_(Enrollment.class_id == class_id, Enrollment.user_id == Submission.student_id)
    submitted = {
        row.assignment_id: (row.submitted, row.late or 0)
        for row in db.session.execute(
            select(
                Submission.assignment_id,
                func.count().label("submitted"),
                func.sum(case((Submission.late.is_(True), 1), else_=0)).label("late"),
            )
            .join(Assignment, Assignment.id == Submission.assignment_id)
            .join(Enrollment, enrolled)
            .where(Assignment.class_id == class_id, Submission.version_count > 0)
            .group_by(Submission.assignment_id)
        )
    }
    graded: dict[int, dict[str, int]] = {}
    for row in db.session.execute(
        select(Grade.assignment_id, Grade.state, func.count().label("n"))
        .join(Assignment, Assignment.id == Grade.assignment_id)
        .join(
            Enrollment,
            and_(Enrollment.class_id == class_id, Enrollment.user_id == Grade.student_id),
        )
        .where(Assignment.class_id == class_id)
        .group_by(Grade.assignment_id, Grade.state)
    ):
        graded.setdefault(row.assignment_id, {})[row.state] = row.n
    summaries = []
    for assignment in assignments:
        counts = graded.get(assignment.id, {})
        done, late = submitted.get(assignment.id, (0, 0))
        summaries.append(
            AssignmentSummary(
                assignment=assignment,
                students=students or 0,
                submitted=done,
                late=late,
                graded=counts.get(GradeState.GRADED, 0) + counts.get(GradeState.RELEASED, 0),
                released=counts.get(GradeState.RELEASED, 0),
            )
        )
    return summaries


@dataclass(frozen=True)
class StudentRow:
    """One student of the class on a teacher's assignment overview."""

    student_id: int
    name: str
    submission_id: int | None
    version_count: int
    submitted_at: datetime | None
    late: bool
    draft_saved_at: datetime | None
    reopened_until: datetime | None
    grade_state: str | None
    anonymous_number: int
    blind: bool = False

    @property
    def name_hidden(self) -> bool:
        """Blind grading: the overview says "Student 3" until the grade is released."""
        return not shows_student_name(self.blind, self.grade_state == GradeState.RELEASED)

    @property
    def state(self) -> str:
        """not_started / draft / submitted."""
        if self.version_count:
            return "submitted"
        return "draft" if self.draft_saved_at else "not_started"


def student_rows(assignment: Assignment) -> list[StudentRow]:
    """Every student of the class with their submission's state (one query)."""
    rows = db.session.execute(
        select(
            User.id,
            User.display_name,
            Submission.id.label("submission_id"),
            Submission.version_count,
            Submission.submitted_at,
            Submission.late,
            Submission.draft_saved_at,
            Submission.reopened_until,
            Grade.state,
        )
        .select_from(Enrollment)
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(
            Submission,
            and_(
                Submission.assignment_id == assignment.id,
                Submission.student_id == Enrollment.user_id,
            ),
        )
        .outerjoin(Grade, Grade.submission_id == Submission.id)
        .where(Enrollment.class_id == assignment.class_id)
        .order_by(User.display_name, User.id)
    ).all()
    numbers = blind_numbers(assignment.id, (row.id for row in rows))
    result = [
        StudentRow(
            student_id=row.id,
            name=row.display_name,
            submission_id=row.submission_id,
            version_count=row.version_count or 0,
            submitted_at=row.submitted_at,
            late=bool(row.late),
            draft_saved_at=row.draft_saved_at,
            reopened_until=row.reopened_until,
            grade_state=row.state,
            anonymous_number=numbers[row.id],
            blind=assignment.blind,
        )
        for row in rows
    ]
    if assignment.blind:  # by number, so the order doesn't give names away
        result.sort(key=lambda r: r.anonymous_number)
    return result


# --- the student's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class MyAssignment:
    """One of a student's assignments with the state of their work."""

    assignment: Assignment
    class_name: str
    version_count: int
    submitted_at: datetime | None
    late: bool
    draft_saved_at: datetime | None
    reopened_until: datetime | None
    released_at: datetime | None  # when the grade was released; None before that
    points: float | None  # only a released grade's
    section: str  # open / past / graded


def my_assignments(student_id: int, now: datetime) -> list[MyAssignment]:
    """The student's assignments across their classes, with their work's state (one query)."""
    rows = db.session.execute(
        select(
            Assignment,
            CourseClass.name,
            Submission.version_count,
            Submission.submitted_at,
            Submission.late,
            Submission.draft_saved_at,
            Submission.reopened_until,
            Grade.released_at,
            Grade.points,
        )
        .join(
            Enrollment,
            and_(Enrollment.class_id == Assignment.class_id, Enrollment.user_id == student_id),
        )
        .join(CourseClass, CourseClass.id == Assignment.class_id)
        .outerjoin(
            Submission,
            and_(Submission.assignment_id == Assignment.id, Submission.student_id == student_id),
        )
        .outerjoin(
            Grade, and_(Grade.submission_id == Submission.id, Grade.state == GradeState.RELEASED)
        )
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    result = []
    for row in rows:
        assignment = row[0]
        count = row.version_count or 0
        reopened = row.reopened_until is not None and row.reopened_until > now
        if row.released_at is not None:
            section = "graded"
        elif assignment.due_at > now or reopened or count == 0:
            section = "open"
        else:
            section = "past"
        result.append(
            MyAssignment(
                assignment=assignment,
                class_name=row.name,
                version_count=count,
                submitted_at=row.submitted_at,
                late=bool(row.late),
                draft_saved_at=row.draft_saved_at,
                reopened_until=row.reopened_until,
                released_at=row.released_at,
                points=row.points if row.released_at is not None else None,
                section=section,
            )
        )
    return result


def open_unsubmitted_count(student_id: int) -> int:
    """Assignments the student hasn't submitted, overdue ones too (they still take a late first
    submission): as many as the "to do" section of their assignments page."""
    return int(db.session.scalar(open_unsubmitted_select(student_id)) or 0)


def open_unsubmitted_select(student_id: Any) -> Select[Any]:
    """`open_unsubmitted_count` as a one-row select, the student a value or a bind parameter
    (the navigation's badge binds it)."""
    return (
        select(func.count().label("open_assignments"))
        .select_from(Assignment)
        .join(
            Enrollment,
            and_(Enrollment.class_id == Assignment.class_id, Enrollment.user_id == student_id),
        )
        .outerjoin(
            Submission,
            and_(Submission.assignment_id == Assignment.id, Submission.student_id == student_id),
        )
        .where(func.coalesce(Submission.version_count, 0) == 0)
    )
