"""Assignments, rubrics and submissions: who may submit when, versions, late marking, locks.

Times are UTC in the database; teachers enter and everyone reads them in Japan time.

Submission rules (Moodle's assignment without a cut-off date, simplified):
- before the due date a student saves drafts and submits as often as they like; every submit
  adds a version (1, 2, ...) and every version is kept;
- after the due date a student who never submitted may still submit once, marked late;
  a resubmission after the due date needs the teacher to reopen it for them until a moment
  (`Submission.reopened_until`); anything submitted after the due date is marked late;
- submitting what is already the latest version (a double click, a second tab) adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import ColumnElement

from app.auth.models import Role, User
from app.core.media import NotAudio, audio_path, same_audio, store_audio
from app.extensions import db
from app.lessons.access import taught_by
from app.lessons.models import CourseClass, Enrollment, Lesson
from app.progress.blind import blind_numbers, shows_student_name
from app.progress.models import (
    Assignment,
    Grade,
    GradeState,
    Rubric,
    RubricCriterion,
    RubricLevel,
    Submission,
    SubmissionVersion,
)

log = logging.getLogger(__name__)

MAX_SUBMISSION_BYTES = 10 * 1024 * 1024
AUDIO_FOLDER = "submissions"


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


class RubricLocked(AssignmentError):
    """A grade uses the rubric's levels: its criteria and points can no longer change."""


class SubmissionClosed(AssignmentError):
    """The due date has passed and the student already submitted; not reopened."""


class NothingToSubmit(AssignmentError):
    """The draft is empty (no text for a written answer, no recording for a spoken one)."""


class AudioTooLarge(AssignmentError):
    """The recording is larger than MAX_SUBMISSION_BYTES."""


class NotAnAudioFile(AssignmentError):
    """The file's bytes are not an audio format we accept (whatever its name says)."""


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


def reopen(
    assignment: Assignment, student_id: int, until: datetime | None, *, now: datetime
) -> Submission:
    """Let a student (re)submit after the due date until `until` (None: close it again)."""
    submission = get_or_create_submission(assignment, student_id)
    submission.reopened_until = until
    submission.updated_at = now
    db.session.flush()
    return submission


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


def open_unsubmitted_count(student_id: int, now: datetime) -> int:
    """Assignments due later (or reopened) that the student hasn't submitted: the nav badge."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(
                Enrollment,
                and_(Enrollment.class_id == Assignment.class_id, Enrollment.user_id == student_id),
            )
            .outerjoin(
                Submission,
                and_(
                    Submission.assignment_id == Assignment.id, Submission.student_id == student_id
                ),
            )
            .where(
                or_(Assignment.due_at > now, Submission.reopened_until > now),
                func.coalesce(Submission.version_count, 0) == 0,
            )
        )
        or 0
    )


def own_submission(assignment_id: int, student_id: int) -> Submission | None:
    """The student's submission to the assignment, with its versions."""
    return db.session.scalars(
        select(Submission)
        .where(Submission.assignment_id == assignment_id, Submission.student_id == student_id)
        .options(selectinload(Submission.versions))
    ).first()


def get_or_create_submission(assignment: Assignment, student_id: int) -> Submission:
    """The student's submission row, created on first use: by the student's first save, or empty
    so a teacher can grade a non-submission; two requests creating it at once get one row."""
    submission = own_submission(assignment.id, student_id)
    if submission is not None:
        return submission
    submission = Submission(assignment_id=assignment.id, student_id=student_id)
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:  # another tab created it first
        existing = own_submission(assignment.id, student_id)
        assert existing is not None
        return existing
    return submission


@dataclass(frozen=True)
class Window:
    """Whether the student may submit now, and whether it would be late."""

    open: bool
    late: bool
    reopened: bool


def submission_window(
    assignment: Assignment, submission: Submission | None, now: datetime
) -> Window:
    """Before the due date: open. After it: open (late) if never submitted or reopened."""
    reopened = bool(
        submission is not None
        and submission.reopened_until is not None
        and submission.reopened_until > now
    )
    if now <= assignment.due_at:
        return Window(open=True, late=False, reopened=reopened)
    submitted = submission is not None and submission.version_count > 0
    return Window(open=reopened or not submitted, late=True, reopened=reopened)


@dataclass(frozen=True)
class WorkSaved:
    """The outcome of a save: the submission, the recording files touched (remove `stored` if
    the commit fails; `replaced`, once it succeeded, with `discard_unused_audio`, which looks
    again whether a version uses it) and, for a submit, its result."""

    submission: Submission
    stored: str | None = None
    replaced: str | None = None
    result: SubmitResult | None = None


def _draft_after(submission: Submission | None, text: str | None) -> str:
    if text is not None:
        return text
    return submission.draft_text if submission is not None else ""


def save_work(
    assignment: Assignment,
    student_id: int,
    *,
    text: str | None,
    audio: bytes | None,
    submit_now: bool,
    now: datetime,
) -> WorkSaved:
    """Keep the student's draft (`None`: that part stays as it was) and submit it if asked.

    Everything that can be refused is checked before anything is written, so a refused first
    save leaves no submission row and no file behind.
    """
    submission = own_submission(assignment.id, student_id)
    if not submission_window(assignment, submission, now).open:
        latest = _latest_version(submission) if submission is not None else None
        if (
            submit_now
            and audio is None
            and submission is not None
            and latest is not None
            and latest.text == _draft_after(submission, text)
            and same_audio(latest.audio_file, submission.draft_audio_file, AUDIO_FOLDER)
        ):  # a second click on Submit after a late submission: nothing to refuse
            return WorkSaved(submission, result=SubmitResult(latest.number, latest.late, True))
        raise SubmissionClosed()
    if audio is not None and len(audio) > MAX_SUBMISSION_BYTES:
        raise AudioTooLarge()
    if submit_now:
        if assignment.kind == "spoken":
            ready = audio is not None or bool(submission and submission.draft_audio_file)
        else:
            ready = bool(_draft_after(submission, text).strip())
        if not ready:
            raise NothingToSubmit()
    stored = mimetype = None
    if audio is not None:
        try:
            stored, kind = store_audio(audio, max_bytes=MAX_SUBMISSION_BYTES, folder=AUDIO_FOLDER)
        except NotAudio as error:
            raise NotAnAudioFile(str(error)) from error
        mimetype = kind.mimetype
    try:
        if submission is None:
            submission = get_or_create_submission(assignment, student_id)
        replaced = None
        if stored is not None:
            old = submission.draft_audio_file
            if old and not _used_by_a_version(submission, old):
                replaced = old
            submission.draft_audio_file = stored
            submission.draft_audio_mimetype = mimetype
        if text is not None:
            submission.draft_text = text
        submission.draft_saved_at = now
        db.session.flush()
        result = submit(assignment, submission, now=now) if submit_now else None
    except BaseException:
        discard_audio([stored])
        raise
    return WorkSaved(submission, stored=stored, replaced=replaced, result=result)


def _used_by_a_version(submission: Submission, name: str) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    SubmissionVersion.submission_id == submission.id,
                    SubmissionVersion.audio_file == name,
                )
            )
        )
    )


def _latest_version(submission: Submission) -> SubmissionVersion | None:
    if not submission.version_count:
        return None
    return db.session.scalar(
        select(SubmissionVersion).where(
            SubmissionVersion.submission_id == submission.id,
            SubmissionVersion.number == submission.version_count,
        )
    )


def has_content(assignment: Assignment, submission: Submission) -> bool:
    """A written answer needs text; a spoken one needs a recording."""
    if assignment.kind == "spoken":
        return bool(submission.draft_audio_file)
    return bool(submission.draft_text.strip())


@dataclass(frozen=True)
class SubmitResult:
    number: int  # the version the student's work now is
    late: bool
    duplicate: bool  # it was already the latest version: nothing was added


def submit(assignment: Assignment, submission: Submission, *, now: datetime) -> SubmitResult:
    """Copy the draft into a new version, numbered after the latest one.

    The counter is moved with a conditional UPDATE, so two submits at once can't both take the
    same number (and the unique constraint on (submission, number) backs it up); the loser
    reloads and finds its work is already the latest version, or takes the next number.
    """
    for _attempt in range(5):
        latest = _latest_version(submission)
        if (
            latest is not None
            and latest.text == submission.draft_text
            and same_audio(latest.audio_file, submission.draft_audio_file, AUDIO_FOLDER)
        ):
            return SubmitResult(number=latest.number, late=latest.late, duplicate=True)
        if not submission_window(assignment, submission, now).open:
            raise SubmissionClosed()
        if not has_content(assignment, submission):
            raise NothingToSubmit()
        count = submission.version_count
        late = now > assignment.due_at
        # The version copies the draft as the row holds it when the counter moves (RETURNING),
        # not as this request loaded it: a save in another tab that replaced the recording
        # meanwhile (and deletes the old file after its commit) must not leave a version
        # pointing at a deleted file.
        moved = db.session.execute(
            update(Submission)
            .where(Submission.id == submission.id, Submission.version_count == count)
            .values(version_count=count + 1, submitted_at=now, late=late, updated_at=now)
            .returning(
                Submission.draft_text,
                Submission.draft_audio_file,
                Submission.draft_audio_mimetype,
            )
            .execution_options(synchronize_session=False)
        ).first()
        if moved is not None:
            draft_text, audio_file, audio_mimetype = moved
            db.session.add(
                SubmissionVersion(
                    submission_id=submission.id,
                    number=count + 1,
                    text=draft_text,
                    audio_file=audio_file,
                    audio_mimetype=audio_mimetype,
                    submitted_at=now,
                    late=late,
                )
            )
            db.session.flush()
            for name, value in (
                ("version_count", count + 1),
                ("submitted_at", now),
                ("late", late),
                ("draft_text", draft_text),
                ("draft_audio_file", audio_file),
                ("draft_audio_mimetype", audio_mimetype),
            ):
                set_committed_value(submission, name, value)
            return SubmitResult(number=count + 1, late=late, duplicate=False)
        db.session.refresh(submission)  # someone else submitted meanwhile: look again
    raise SubmissionClosed()


def version_audio(submission: Submission, number: int) -> tuple[Path, str] | None:
    """The file and type of a version's recording (number 0: the draft's)."""
    if number == 0:
        name, mimetype = submission.draft_audio_file, submission.draft_audio_mimetype
    else:
        version = db.session.scalar(
            select(SubmissionVersion).where(
                SubmissionVersion.submission_id == submission.id,
                SubmissionVersion.number == number,
            )
        )
        if version is None:
            return None
        name, mimetype = version.audio_file, version.audio_mimetype
    if not name:
        return None
    try:
        path = audio_path(name, AUDIO_FOLDER)
    except NotAudio:
        return None
    return path, mimetype or "application/octet-stream"


def discard_unused_audio(names: Iterable[str | None]) -> None:
    """Delete replaced draft recordings (call after the commit) unless something refers to them
    now: the check before the commit is not enough, since a submit in another tab may have
    copied the old draft into a version meanwhile. One fresh query, whatever the number."""
    wanted = sorted({name for name in names if name})
    if not wanted:
        return
    used = set(
        db.session.scalars(
            select(SubmissionVersion.audio_file)
            .where(SubmissionVersion.audio_file.in_(wanted))
            .union(
                select(Submission.draft_audio_file).where(Submission.draft_audio_file.in_(wanted))
            )
        )
    )
    discard_audio(name for name in wanted if name not in used)


def discard_audio(names: Iterable[str | None]) -> None:
    """Delete recordings nothing refers to any more (call after the commit)."""
    for name in names:
        if not name:
            continue
        try:
            audio_path(name, AUDIO_FOLDER).unlink(missing_ok=True)
        except (NotAudio, OSError):
            log.warning("could not delete the recording %s", name, exc_info=True)


# --- rubrics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelDetails:
    description: str
    points: int


@dataclass(frozen=True)
class CriterionDetails:
    title: str
    description: str
    levels: tuple[LevelDetails, ...]


@dataclass(frozen=True)
class RubricDetails:
    title: str
    description: str
    criteria: tuple[CriterionDetails, ...] | None  # None: keep the criteria as they are


RubricTable = Sequence[tuple[str, Sequence[tuple[int, str]]]]


def rubric_details(title: str, table: RubricTable, description: str = "") -> RubricDetails:
    """The details of a rubric written as a table: (criterion, [(points, level), …]) per row."""
    return RubricDetails(
        title=title,
        description=description,
        criteria=tuple(
            CriterionDetails(
                title=name,
                description="",
                levels=tuple(LevelDetails(text, points) for points, text in levels),
            )
            for name, levels in table
        ),
    )


def _rubric_query() -> Any:
    """Rubrics with their criteria and levels (three queries, whatever their number)."""
    return select(Rubric).options(
        selectinload(Rubric.criteria).selectinload(RubricCriterion.levels)
    )


def get_rubric(rubric_id: int) -> Rubric | None:
    """A rubric with its criteria and levels."""
    return db.session.scalar(_rubric_query().where(Rubric.id == rubric_id))


def _graded_with_levels() -> ColumnElement[bool]:
    """Grades that chose rubric levels (a JSON object other than {})."""
    as_text = cast(Grade.rubric_levels, String)
    return and_(Grade.rubric_levels.is_not(None), as_text.not_in(["{}", "null", ""]))


def locked_rubric_ids(rubric_ids: Iterable[int]) -> set[int]:
    """The rubrics whose levels some grade already uses (their points can't change)."""
    ids = list(rubric_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Assignment.rubric_id)
            .distinct()
            .join(Grade, Grade.assignment_id == Assignment.id)
            .where(Assignment.rubric_id.in_(ids), _graded_with_levels())
        )
    )


def rubric_locked(rubric: Rubric) -> bool:
    return rubric.id in locked_rubric_ids([rubric.id])


def can_edit_rubric(user: User, rubric: Rubric) -> bool:
    """Only the rubric's owner (or an admin) changes it."""
    return user.is_authenticated and (rubric.owner_id == user.id or user.has_role(Role.ADMIN))


def can_use_rubric(user: User, rubric: Rubric) -> bool:
    """Its owner, an admin, or a teacher of a class with an assignment that uses it."""
    if can_edit_rubric(user, rubric):
        return True
    used = select(
        exists().where(Assignment.rubric_id == rubric.id, taught_by(user, Assignment.class_id))
    )
    return bool(db.session.scalar(used))


@dataclass(frozen=True)
class RubricRow:
    rubric: Rubric
    assignments: int  # how many assignments use it
    locked: bool
    editable: bool


def teacher_rubrics(user: User) -> list[RubricRow]:
    """The teacher's rubrics and those used in their classes (every rubric for an admin), with
    their owners (the page names them; users' roles are not needed)."""
    query = (
        _rubric_query()
        .options(selectinload(Rubric.owner).lazyload(User.role_links))
        .order_by(Rubric.title, Rubric.id)
    )
    if not user.has_role(Role.ADMIN):
        used = select(Assignment.rubric_id).where(taught_by(user, Assignment.class_id))
        query = query.where(or_(Rubric.owner_id == user.id, Rubric.id.in_(used)))
    rubrics = list(db.session.scalars(query))
    ids = [r.id for r in rubrics]
    usage: dict[int, int] = {}
    if ids:
        usage = {
            rubric_id: n
            for rubric_id, n in db.session.execute(
                select(Assignment.rubric_id, func.count())
                .where(Assignment.rubric_id.in_(ids))
                .group_by(Assignment.rubric_id)
            )
            if rubric_id is not None
        }
    locked = locked_rubric_ids(ids)
    return [
        RubricRow(
            rubric=r,
            assignments=usage.get(r.id, 0),
            locked=r.id in locked,
            editable=can_edit_rubric(user, r),
        )
        for r in rubrics
    ]


def rubric_choices(user: User, class_id: int, current_id: int | None) -> list[Rubric]:
    """Rubrics a teacher may pick for an assignment of a class: theirs, the class's, the current."""
    used_by_class = select(Assignment.rubric_id).where(Assignment.class_id == class_id)
    conditions = [Rubric.owner_id == user.id, Rubric.id.in_(used_by_class)]
    if current_id is not None:
        conditions.append(Rubric.id == current_id)
    return list(db.session.scalars(_rubric_query().where(or_(*conditions)).order_by(Rubric.title)))


def _structure(rubric: Rubric) -> tuple[CriterionDetails, ...]:
    return tuple(
        CriterionDetails(
            title=c.title,
            description=c.description,
            levels=tuple(LevelDetails(level.description, level.points) for level in c.levels),
        )
        for c in rubric.criteria
    )


def _set_criteria(rubric: Rubric, criteria: Sequence[CriterionDetails]) -> None:
    rubric.criteria.clear()
    db.session.flush()
    for position, details in enumerate(criteria):
        criterion = RubricCriterion(
            position=position, title=details.title, description=details.description
        )
        criterion.levels = [
            RubricLevel(position=n, description=level.description, points=level.points)
            for n, level in enumerate(details.levels)
        ]
        rubric.criteria.append(criterion)


def create_rubric(owner: User, details: RubricDetails) -> Rubric:
    """A new rubric owned by `owner`."""
    rubric = Rubric(owner_id=owner.id, title=details.title.strip(), description=details.description)
    db.session.add(rubric)
    _set_criteria(rubric, details.criteria or ())
    db.session.flush()
    return rubric


def update_rubric(rubric: Rubric, details: RubricDetails) -> None:
    """Change a rubric; once a grade uses its levels, only its title and description."""
    if details.criteria is not None and details.criteria != _structure(rubric):
        if rubric_locked(rubric):
            raise RubricLocked()
        _set_criteria(rubric, details.criteria)
    rubric.title = details.title.strip()
    rubric.description = details.description
    db.session.flush()


def duplicate_rubric(rubric: Rubric, owner: User, title: str) -> Rubric:
    """An editable copy of a rubric, owned by `owner`."""
    return create_rubric(
        owner,
        RubricDetails(title=title, description=rubric.description, criteria=_structure(rubric)),
    )
