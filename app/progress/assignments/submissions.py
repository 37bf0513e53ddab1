"""Submissions, written and spoken: who may submit when, drafts, versions, late marking,
reopening.

Times are UTC in the database; teachers enter and everyone reads them in Japan time.

Submission rules (Moodle's assignment without a cut-off date, simplified):
- before the due date a student saves drafts and submits as often as they like; every submit
  adds a version (1, 2, ...) and every version is kept;
- after the due date a student who never submitted may still submit, marked late, and may
  replace that late work (a new version, the old one kept) until the teacher starts grading it
  (a grade, even a draft, exists); any other resubmission after the due date needs the teacher
  to reopen it for them until a moment (`Submission.reopened_until`); anything submitted after
  the due date is marked late;
- submitting what is already the latest version (a double click, a second tab) adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.core.media import NotAudio, same_audio, store_audio
from app.extensions import db
from app.progress.assignments.recordings import AUDIO_FOLDER, discard_audio
from app.progress.assignments.services import AssignmentError
from app.progress.models import Assignment, Grade, Submission, SubmissionVersion

MAX_SUBMISSION_BYTES = 10 * 1024 * 1024


# --- errors ----------------------------------------------------------------------------------


class SubmissionClosed(AssignmentError):
    """The due date has passed and the student already submitted; not reopened."""


class GradingStarted(SubmissionClosed):
    """The late work could be replaced, but the teacher has started grading it."""


class NothingToSubmit(AssignmentError):
    """The draft is empty (no text for a written answer, no recording for a spoken one)."""


class AudioTooLarge(AssignmentError):
    """The recording is larger than MAX_SUBMISSION_BYTES."""


class NotAnAudioFile(AssignmentError):
    """The file's bytes are not an audio format we accept (whatever its name says)."""


# --- the student's submission ----------------------------------------------------------------


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
    replaceable: bool = False  # late work, replaceable until the teacher starts grading it
    grading_started: bool = False  # late work the teacher has started grading: closed for it


def submission_window(
    assignment: Assignment, submission: Submission | None, now: datetime
) -> Window:
    """Before the due date: open. After it: open (late) if never submitted, if reopened, or if
    the first version was late already and the teacher has not started grading it."""
    reopened = bool(
        submission is not None
        and submission.reopened_until is not None
        and submission.reopened_until > now
    )
    if now <= assignment.due_at:
        return Window(open=True, late=False, reopened=reopened)
    if submission is None or submission.version_count == 0:
        return Window(open=True, late=True, reopened=reopened)
    late_from_the_start = bool(submission.versions) and submission.versions[0].late
    if not late_from_the_start:
        return Window(open=reopened, late=True, reopened=reopened)
    started = _grading_started(submission)
    return Window(
        open=reopened or not started,
        late=True,
        reopened=reopened,
        replaceable=not started,
        grading_started=started and not reopened,
    )


def _grading_started(submission: Submission) -> bool:
    """A grade of the submission exists (a draft counts): read from the database, not from the
    session, so that a teacher's draft saved a moment ago is seen."""
    return bool(db.session.scalar(select(exists().where(Grade.submission_id == submission.id))))


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
    window = submission_window(assignment, submission, now)
    if not window.open:
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
        if submission is not None and window.grading_started:
            raise GradingStarted()
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
        window = submission_window(assignment, submission, now)
        if not window.open:
            raise GradingStarted() if window.grading_started else SubmissionClosed()
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


# --- reopening after the due date -------------------------------------------------------------


def reopen(
    assignment: Assignment, student_id: int, until: datetime | None, *, now: datetime
) -> Submission:
    """Let a student (re)submit after the due date until `until` (None: close it again)."""
    submission = get_or_create_submission(assignment, student_id)
    submission.reopened_until = until
    submission.updated_at = now
    db.session.flush()
    return submission
