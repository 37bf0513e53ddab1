"""The marking workflow: the grading queue, saving grades (a stale save is refused), release.

A grade goes draft → graded → released (Moodle's marking workflow, simplified). Only a released
grade is visible to the student; releasing e-mails them. There is no "unrelease": once the
student has been told, changes to a released grade stay released and show at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from itertools import groupby
from typing import Any

from flask import url_for
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.core.dbtypes import utcnow
from app.core.mail import queue_template_mail
from app.core.media import same_audio
from app.extensions import db
from app.lessons.access import taught_by
from app.lessons.models import CourseClass, Enrollment
from app.progress.blind import numbers_for_assignments, shows_student_name
from app.progress.models import (
    Assignment,
    Grade,
    GradeState,
    Rubric,
    RubricCriterion,
    RubricLevel,
    Submission,
)

PAGE_SIZE = 50
FEEDBACK_AUDIO_FOLDER = "feedback"
MAX_FEEDBACK_AUDIO_BYTES = 10 * 1024 * 1024


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


class GradingError(Exception):
    """A grading action that can't be done; the view turns it into a message."""


class StaleGrade(GradingError):
    """The grade changed since the form was loaded: the save is refused."""


class IncompleteGrade(GradingError):
    """ "Save as graded" needs every criterion scored (or the points, without a rubric)."""

    def __init__(self, missing_criteria: Iterable[int] = (), points_missing: bool = False):
        super().__init__("incomplete grade")
        self.missing_criteria = tuple(missing_criteria)
        self.points_missing = points_missing


class PointsOutOfRange(GradingError):
    """Points below zero or above the assignment's maximum."""


class NotGraded(GradingError):
    """Only a grade marked as graded can be released."""


class AlreadyReleased(GradingError):
    """The grade was released already (a double click, or another teacher)."""


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


def grading_queue(user: User, filters: QueueFilters) -> QueuePage:
    """One page of the queue: two statements whatever the number of classes and students."""
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
    total = db.session.scalar(select(func.count()).select_from(q).where(condition)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    result = db.session.execute(
        select(q)
        .where(condition)
        # oldest submission first (what waits longest), then unsubmitted work by due date
        .order_by(
            case((q.c.submitted_at.is_(None), 1), else_=0),
            q.c.submitted_at,
            q.c.due_at,
            q.c.id,
            q.c.student_id,
        )
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


def awaiting_count(user: User) -> int:
    """How many submissions need grading in the user's classes (the navigation's badge, on every
    page): the queue's "needs grading" rows, counted from submissions rather than from every
    enrolment × assignment pair, since a pair without a submission never needs grading."""
    return (
        db.session.scalar(
            select(func.count())
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
                taught_by(user, Assignment.class_id),
                _needs_work(_state_column(), _resubmitted_column()),
            )
        )
        or 0
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


# --- the grading page ---------------------------------------------------------------------------


def submission_for_grading(submission_id: int) -> Submission | None:
    """A submission with everything the grading page shows, in a fixed number of statements."""
    return db.session.scalars(
        select(Submission)
        .where(Submission.id == submission_id)
        .options(
            joinedload(Submission.assignment).joinedload(Assignment.course_class),
            joinedload(Submission.assignment)
            .joinedload(Assignment.rubric)
            .selectinload(Rubric.criteria)
            .selectinload(RubricCriterion.levels),
            # users' roles are never needed here (and would cost a query each)
            joinedload(Submission.student).lazyload(User.role_links),
            selectinload(Submission.versions),
            joinedload(Submission.grade).joinedload(Grade.grader).lazyload(User.role_links),
        )
    ).first()


@dataclass(frozen=True)
class RubricScore:
    total: int
    max_total: int
    chosen: dict[int, RubricLevel]  # criterion id → level
    missing: list[int]  # criteria without a level

    @property
    def complete(self) -> bool:
        return not self.missing


def score_rubric(rubric: Rubric, choices: Mapping[int, int | None]) -> RubricScore:
    """Add up the chosen levels (criterion id → level id); a level of another criterion counts
    as no choice."""
    chosen: dict[int, RubricLevel] = {}
    missing: list[int] = []
    for criterion in rubric.criteria:
        level_id = choices.get(criterion.id)
        level = next((lv for lv in criterion.levels if lv.id == level_id), None)
        if level is None:
            missing.append(criterion.id)
        else:
            chosen[criterion.id] = level
    return RubricScore(
        total=sum(level.points for level in chosen.values()),
        max_total=rubric.max_points,
        chosen=chosen,
        missing=missing,
    )


def scale_points(total: float, rubric_max: int, max_points: int) -> float:
    """A rubric total as the assignment's points: 7/10 on the rubric → 14/20."""
    if rubric_max <= 0:
        return 0.0
    return round(total / rubric_max * max_points, 2)


def stored_choices(grade: Grade | None) -> dict[int, int]:
    """The rubric levels saved with a grade, as criterion id → level id."""
    if grade is None:
        return {}
    choices: dict[int, int] = {}
    for key, value in (grade.rubric_levels or {}).items():
        try:
            choices[int(key)] = int(value)
        except (TypeError, ValueError):
            continue
    return choices


@dataclass(frozen=True)
class GradeInput:
    finished: bool  # "Save as graded" rather than a draft
    levels: dict[int, int | None] = field(default_factory=dict)  # with a rubric
    points: float | None = None  # without a rubric
    feedback: str = ""
    graded_version: int | None = None  # the version the grader looked at
    new_audio: tuple[str, str] | None = None  # a stored spoken comment: (file name, mimetype)
    remove_audio: bool = False


@dataclass(frozen=True)
class SavedGrade:
    grade: Grade
    replaced_audio: str | None  # a spoken comment nobody refers to any more (delete it)


@dataclass(frozen=True)
class _GradeValues:
    """What a save writes into the grade (besides the grader and the spoken comment)."""

    state: str
    points: float | None
    levels: dict[str, int]
    feedback: str
    graded_version: int | None


def _grade_values(submission: Submission, grade: Grade | None, data: GradeInput) -> _GradeValues:
    """The grade's new values from the form; raises IncompleteGrade or PointsOutOfRange."""
    assignment = submission.assignment
    rubric = assignment.rubric
    levels: dict[str, int] = {}
    if rubric is not None and rubric.criteria:
        score = score_rubric(rubric, data.levels)
        if data.finished and not score.complete:
            raise IncompleteGrade(missing_criteria=score.missing)
        levels = {str(cid): level.id for cid, level in score.chosen.items()}
        points = (
            scale_points(score.total, score.max_total, assignment.max_points)
            if score.complete
            else None
        )
    else:
        points = data.points
        if points is not None and not 0 <= points <= assignment.max_points:
            raise PointsOutOfRange()
        if data.finished and points is None:
            raise IncompleteGrade(points_missing=True)
    if grade is not None and grade.state == GradeState.RELEASED:
        state = GradeState.RELEASED  # the student already sees it: changes show at once
    else:
        state = GradeState.GRADED if data.finished else GradeState.DRAFT
    return _GradeValues(
        state=state,
        points=points,
        levels=levels,
        feedback=data.feedback.strip(),
        graded_version=data.graded_version or submission.version_count or None,
    )


def save_grade(
    submission: Submission, grader: User, expected_version: int, data: GradeInput
) -> SavedGrade:
    """Save a draft or a finished grade, refusing it if the grade changed since the form was
    loaded (`expected_version`, 0 for no grade yet).

    Three guards: the version read now is compared first; the UPDATE itself carries
    "WHERE version = ?" (SQLAlchemy's version column: no row matched is StaleDataError); and
    a first grade racing another first grade hits the unique submission_id (IntegrityError).
    """
    assignment = submission.assignment
    grade = submission.grade
    if (grade.version if grade is not None else 0) != expected_version:
        raise StaleGrade()
    values = _grade_values(submission, grade, data)
    replaced: str | None = None
    try:
        with db.session.begin_nested():
            if grade is None:
                grade = Grade(
                    submission_id=submission.id,
                    assignment_id=assignment.id,
                    student_id=submission.student_id,
                )
                db.session.add(grade)
            grade.grader_id = grader.id
            grade.state = values.state
            grade.points = values.points
            grade.rubric_levels = values.levels
            grade.feedback = values.feedback
            grade.graded_version = values.graded_version
            if data.new_audio is not None or data.remove_audio:
                replaced = grade.feedback_audio_file
                name, mimetype = data.new_audio or (None, None)
                grade.feedback_audio_file = name
                grade.feedback_audio_mimetype = mimetype
            db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise StaleGrade() from error
    return SavedGrade(grade=grade, replaced_audio=replaced)


def is_repeated_save(
    submission: Submission, newer: Grade | None, grader: User, data: GradeInput
) -> bool:
    """After a refused save: whether the newer grade is this very save made a moment earlier by
    the same grader (a double click on Save, a form sent twice) — then there is no conflict.

    Compares everything the save would write: state, points, rubric levels, feedback, the
    version graded, and the spoken comment (a new one by its bytes: each request stores its own
    copy of the file)."""
    if newer is None or newer.grader_id != grader.id:
        return False
    try:
        values = _grade_values(submission, newer, data)
    except GradingError:
        return False
    same = (
        newer.state == values.state
        and newer.points == values.points
        and (newer.rubric_levels or {}) == values.levels
        and newer.feedback == values.feedback
        and newer.graded_version == values.graded_version
    )
    if not same:
        return False
    if data.new_audio is not None:
        return same_audio(newer.feedback_audio_file, data.new_audio[0], FEEDBACK_AUDIO_FOLDER)
    if data.remove_audio:
        return not newer.feedback_audio_file
    return True


def current_grade(submission_id: int) -> Grade | None:
    """The grade as it is in the database now (after a refused save, to show the newer one)."""
    return db.session.scalars(
        select(Grade)
        .where(Grade.submission_id == submission_id)
        .options(joinedload(Grade.grader).lazyload(User.role_links))
        .execution_options(populate_existing=True)
    ).first()


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
