"""Grading one submission: rubric scores, saving a draft or finished grade (a stale save is
refused), the spoken comment.

A grade goes draft → graded → released (Moodle's marking workflow, simplified). Only a released
grade is visible to the student; releasing e-mails them. There is no "unrelease": once the
student has been told, changes to a released grade stay released and show at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.core.media import same_audio
from app.extensions import db
from app.progress.models import (
    Assignment,
    Grade,
    GradeState,
    Rubric,
    RubricCriterion,
    RubricLevel,
    Submission,
)

FEEDBACK_AUDIO_FOLDER = "feedback"
MAX_FEEDBACK_AUDIO_BYTES = 10 * 1024 * 1024


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
