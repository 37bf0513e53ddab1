"""The grading queue: every (assignment, student) pair of a teacher's classes with where it is
in the workflow, filtered and paged, and the navigation's count of work waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true

from app.auth.models import User
from app.extensions import db
from app.lessons.access import taught_by, taught_by_roles
from app.lessons.models import CourseClass, Enrollment
from app.progress.blind import numbers_for_assignments, shows_student_name
from app.progress.models import Assignment, Grade, GradeState, Submission

PAGE_SIZE = 50


class QueueState(StrEnum):
    """Where an (assignment, student) pair is in the workflow, as the queue shows it."""

    NOT_SUBMITTED = "not_submitted"  # no submitted version (and no grade)
    SUBMITTED = "submitted"  # submitted, not graded yet
    BEING_GRADED = "being_graded"  # a draft grade
    GRADED = "graded"  # finished, not released
    RELEASED = "released"  # the student sees it


class QueueFilter(StrEnum):
    """The state choices of the queue's filter: one state, or these groups."""

    NEEDS_WORK = "needs_work"  # submitted, being graded, or resubmitted since graded
    RESUBMITTED = "resubmitted"  # graded or released, and a newer version came in since
    ALL = "all"


STATE_FILTERS: tuple[str, ...] = (
    QueueFilter.NEEDS_WORK,
    *QueueState,
    QueueFilter.RESUBMITTED,
    QueueFilter.ALL,
)


# --- the queue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    class_id: int | None = None
    assignment_id: int | None = None
    state: str = QueueFilter.NEEDS_WORK
    page: int = 1


@dataclass(frozen=True)
class QueueRow:
    assignment_id: int
    assignment_title: str
    class_name: str
    blind: bool
    max_points: int
    due_at: datetime
    student_id: int
    student_name: str
    position: int | None  # blind grading: the student's number ("Student 3"), see blind.py
    submission_id: int | None
    version_count: int
    submitted_at: datetime | None
    late: bool
    state: QueueState
    points: float | None
    resubmitted: bool  # graded, then a newer version came in

    @property
    def name_hidden(self) -> bool:
        """Blind grading: the grader sees "Student 3" until the grade is released."""
        return not shows_student_name(self.blind, self.state == QueueState.RELEASED)


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


def _state_column() -> ColumnElement[str]:
    return case(
        (Grade.state == GradeState.RELEASED, QueueState.RELEASED.value),
        (Grade.state == GradeState.GRADED, QueueState.GRADED.value),
        (Grade.state == GradeState.DRAFT, QueueState.BEING_GRADED.value),
        (func.coalesce(Submission.version_count, 0) > 0, QueueState.SUBMITTED.value),
        else_=QueueState.NOT_SUBMITTED.value,
    )


def _resubmitted_column() -> ColumnElement[bool]:
    return and_(
        Grade.state.in_([GradeState.GRADED, GradeState.RELEASED]),
        func.coalesce(Grade.graded_version, 0) < Submission.version_count,
    )


def _pairs(user: User) -> Select[Any]:
    """Every (assignment, enrolled student) pair of the user's classes, with its submission and
    grade if any, in one statement: the "not submitted" rows come from enrolments × assignments."""
    return (
        select(Assignment.id)
        .join(CourseClass, CourseClass.id == Assignment.class_id)
        .join(Enrollment, Enrollment.class_id == Assignment.class_id)
        .outerjoin(
            Submission,
            and_(
                Submission.assignment_id == Assignment.id,
                Submission.student_id == Enrollment.user_id,
            ),
        )
        .outerjoin(Grade, Grade.submission_id == Submission.id)
        .where(taught_by(user, Assignment.class_id))
    )


def _needs_work(state: Any, resubmitted: Any) -> ColumnElement[bool]:
    return or_(
        state.in_([QueueState.SUBMITTED.value, QueueState.BEING_GRADED.value]),
        resubmitted,
    )


def _queue(user: User, filters: QueueFilters) -> tuple[Any, ColumnElement[bool]]:
    """The queue's rows as a subquery, and the condition of the filter's state."""
    pairs = (
        _pairs(user)
        .add_columns(
            Assignment.title.label("assignment_title"),
            Assignment.blind,
            Assignment.max_points,
            Assignment.due_at,
            CourseClass.name.label("class_name"),
            Enrollment.user_id.label("student_id"),
            User.display_name.label("student_name"),
            Submission.id.label("submission_id"),
            func.coalesce(Submission.version_count, 0).label("version_count"),
            Submission.submitted_at,
            func.coalesce(Submission.late, False).label("late"),
            Grade.points,
            _state_column().label("state"),
            _resubmitted_column().label("resubmitted"),
        )
        .join(User, User.id == Enrollment.user_id)
    )
    if filters.class_id is not None:
        pairs = pairs.where(Assignment.class_id == filters.class_id)
    if filters.assignment_id is not None:
        pairs = pairs.where(Assignment.id == filters.assignment_id)
    q = pairs.subquery()
    condition: ColumnElement[bool]
    if filters.state == QueueFilter.NEEDS_WORK:
        condition = _needs_work(q.c.state, q.c.resubmitted)
    elif filters.state == QueueFilter.RESUBMITTED:
        condition = q.c.resubmitted == true()
    elif filters.state in QueueState.__members__.values():
        condition = q.c.state == filters.state
    else:
        condition = true()
    return q, condition


def _queue_order(q: Any) -> tuple[ColumnElement[Any], ...]:
    """Oldest submission first (what waits longest), then unsubmitted work by due date."""
    return (
        case((q.c.submitted_at.is_(None), 1), else_=0),
        q.c.submitted_at,
        q.c.due_at,
        q.c.id,
        q.c.student_id,
    )


def grading_queue(user: User, filters: QueueFilters) -> QueuePage:
    """One page of the queue: two statements whatever the number of classes and students."""
    q, condition = _queue(user, filters)
    total = db.session.scalar(select(func.count()).select_from(q).where(condition)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    result = db.session.execute(
        select(q)
        .where(condition)
        .order_by(*_queue_order(q))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    # Blind numbers count the whole class, whatever the filter: one more statement.
    numbers = numbers_for_assignments({r.id for r in result if r.blind})
    rows = [
        QueueRow(
            assignment_id=r.id,
            assignment_title=r.assignment_title,
            class_name=r.class_name,
            blind=bool(r.blind),
            max_points=r.max_points,
            due_at=r.due_at,
            student_id=r.student_id,
            student_name=r.student_name,
            position=numbers.get(r.id, {}).get(r.student_id),
            submission_id=r.submission_id,
            version_count=r.version_count,
            submitted_at=r.submitted_at,
            late=bool(r.late),
            state=QueueState(r.state),
            points=r.points,
            resubmitted=bool(r.resubmitted),
        )
        for r in result
    ]
    return QueuePage(rows=_blind_rows_by_number(rows), total=total, page=page, pages=pages)


def _blind_rows_by_number(rows: list[QueueRow]) -> list[QueueRow]:
    """Rows the query could not tell apart (one blind assignment, not submitted or submitted at
    the same moment) by their number rather than by user id, so the order gives no names away."""
    result: list[QueueRow] = []
    for _key, group in groupby(
        rows, key=lambda r: (r.submitted_at, r.due_at, r.assignment_id, r.blind)
    ):
        tied = list(group)
        if tied[0].blind:
            tied.sort(key=lambda r: r.position or 0)
        result.extend(tied)
    return result


# States of the filter that only ever show work waiting to be graded: "next" keeps them.
WAITING_FILTERS: frozenset[str] = frozenset(
    {
        QueueFilter.NEEDS_WORK,
        QueueFilter.RESUBMITTED,
        QueueState.SUBMITTED,
        QueueState.BEING_GRADED,
    }
)


def next_waiting(user: User, filters: QueueFilters, submission: Submission) -> int | None:
    """The submission to grade after `submission` ("Save and next"), or None when nothing waits.

    The queue the teacher came from (its class and assignment filters; its state if that only
    shows waiting work, else "needs grading"), in the queue's order: the same assignment's work
    after this one first, then the same assignment's from the top (work skipped earlier), then
    the rest of the queue likewise. One statement: only ids are read.
    """
    state = filters.state if filters.state in WAITING_FILTERS else QueueFilter.NEEDS_WORK
    q, condition = _queue(user, QueueFilters(filters.class_id, filters.assignment_id, state))
    rows = list(
        db.session.execute(
            select(q.c.id, q.c.submission_id)
            .where(or_(condition, q.c.submission_id == submission.id))
            .order_by(*_queue_order(q))
        ).all()
    )
    ids = [r.submission_id for r in rows]
    here = ids.index(submission.id) if submission.id in ids else -1
    after = rows[here + 1 :] + rows[: max(here, 0)]
    same = [r for r in after if r.id == submission.assignment_id]
    for row in same or after:
        if row.submission_id is not None and row.submission_id != submission.id:
            return int(row.submission_id)
    return None


def awaiting_count(user: User) -> int:
    """How many submissions need grading in the user's classes."""
    if not user.is_authenticated:
        return 0
    return int(db.session.scalar(awaiting_select(user.roles, user.id)) or 0)


def awaiting_select(roles: frozenset[str], user_id: Any) -> Select[Any]:
    """`awaiting_count` as a one-row select for a person with `roles`, their id a value or a bind
    parameter (the navigation's badge, on every page): the queue's "needs grading" rows,
    counted from submissions rather than from every enrolment × assignment pair, since a pair
    without a submission never needs grading."""
    return (
        select(func.count().label("awaiting_grading"))
        .select_from(Submission)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(
            Enrollment,
            and_(
                Enrollment.class_id == Assignment.class_id,
                Enrollment.user_id == Submission.student_id,
            ),
        )
        .outerjoin(Grade, Grade.submission_id == Submission.id)
        .where(
            taught_by_roles(roles, user_id, Assignment.class_id),
            _needs_work(_state_column(), _resubmitted_column()),
        )
    )


@dataclass(frozen=True)
class FilterChoices:
    classes: list[tuple[int, str]]
    assignments: list[tuple[int, str, int]]  # id, title, class id


def filter_choices(user: User) -> FilterChoices:
    """The classes and assignments the queue can be filtered by (two statements)."""
    classes = db.session.execute(
        select(CourseClass.id, CourseClass.name)
        .where(taught_by(user, CourseClass.id))
        .order_by(CourseClass.created_at.desc(), CourseClass.id.desc())
    ).all()
    assignments = db.session.execute(
        select(Assignment.id, Assignment.title, Assignment.class_id)
        .where(taught_by(user, Assignment.class_id))
        .order_by(Assignment.class_id, Assignment.due_at, Assignment.id)
    ).all()
    return FilterChoices(
        classes=[(c.id, c.name) for c in classes],
        assignments=[(a.id, a.title, a.class_id) for a in assignments],
    )
