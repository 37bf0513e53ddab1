"""'Download my data': a ZIP with a JSON file of everything about a person and their recordings."""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import date, datetime, time
from typing import IO, Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.contest.models import Registration
from app.core.dbtypes import utcnow
from app.core.media import read_audio
from app.core.models import OutboxMessage
from app.events.models import Attendance, ShiftSignup, VolunteerCertificate
from app.extensions import Model, db
from app.lessons.models import Enrollment, LessonProgress
from app.privacy import services
from app.progress.assignments import AUDIO_FOLDER
from app.progress.grading import FEEDBACK_AUDIO_FOLDER
from app.progress.models import GradeState, Submission
from app.quizzes.models import (
    Answer,
    AnswerReport,
    QuizSession,
    ReviewCard,
    ReviewLog,
    SoundQuestion,
    SoundRound,
)

DATA_FILE = "sabak-my-data.json"
# Secrets of the account are not the person's data and would only help whoever steals the file.
SECRET_COLUMNS = frozenset({"password_hash", "session_token", "ticket_secret", "search_key"})
SPOOL_BYTES = 8 * 1024 * 1024  # larger archives go to a temporary file


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def row(obj: Model, **extra: Any) -> dict[str, Any]:
    """Every column of a row (but secrets), JSON-ready, with `extra` readable context."""
    values = {
        column.key: _plain(getattr(obj, column.key))
        for column in inspect(obj).mapper.column_attrs
        if column.key not in SECRET_COLUMNS
    }
    return values | extra


def _audio(zip_file: zipfile.ZipFile, name: str | None, folder: str, arcname: str) -> str | None:
    """Copy a recording into the archive; its path in the archive, or None if it is gone."""
    data = read_audio(name, folder)
    if data is None:
        return None
    zip_file.writestr(arcname, data)
    return arcname


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1] if "." in name else "bin"


def _submissions(zip_file: zipfile.ZipFile, user: User) -> list[dict[str, Any]]:
    submissions = db.session.scalars(
        select(Submission)
        .where(Submission.student_id == user.id)
        .options(selectinload(Submission.versions), selectinload(Submission.grade))
        .order_by(Submission.id)
    ).all()
    out = []
    for submission in submissions:
        assignment = submission.assignment
        prefix = f"recordings/assignment-{assignment.id}"
        versions = []
        for version in submission.versions:
            arcname = f"{prefix}-version-{version.number}"
            file = version.audio_file
            recording = _audio(zip_file, file, AUDIO_FOLDER, f"{arcname}.{_extension(file or '')}")
            versions.append(row(version, recording=recording))
        draft = submission.draft_audio_file
        data = row(
            submission,
            assignment=assignment.title,
            class_name=assignment.course_class.name,
            versions=versions,
            draft_recording=_audio(
                zip_file, draft, AUDIO_FOLDER, f"{prefix}-draft.{_extension(draft or '')}"
            ),
        )
        grade = submission.grade
        # grades are the person's once released to them; before that they are the teacher's draft
        if grade is not None and grade.state == GradeState.RELEASED:
            feedback = grade.feedback_audio_file
            data["grade"] = {
                "points": grade.points,
                "max_points": assignment.max_points,
                "feedback": grade.feedback,
                "rubric_levels": grade.rubric_levels,
                "graded_version": grade.graded_version,
                "released_at": _plain(grade.released_at),
                "feedback_recording": _audio(
                    zip_file,
                    feedback,
                    FEEDBACK_AUDIO_FOLDER,
                    f"feedback/assignment-{assignment.id}.{_extension(feedback or '')}",
                ),
            }
        out.append(data)
    return out


def _rows(model: type[Model], *where: Any) -> list[dict[str, Any]]:
    return [row(obj) for obj in db.session.scalars(select(model).where(*where))]


def collect(zip_file: zipfile.ZipFile, user: User) -> dict[str, Any]:
    """Everything Sabak holds about `user`; recordings are written into `zip_file` on the way."""
    enrollments = db.session.scalars(select(Enrollment).where(Enrollment.user_id == user.id))
    registrations = db.session.scalars(
        select(Registration).where(Registration.user_id == user.id).order_by(Registration.id)
    )
    cards = select(ReviewCard.id).where(ReviewCard.user_id == user.id)
    return {
        "exported_at": _plain(utcnow()),
        "account": row(user, roles=sorted(user.roles)),
        "privacy_consents": [row(c) for c in services.consents_of(user)],
        "classes": [
            row(e, class_name=e.course_class.name, course=e.course_class.course.title_en)
            for e in enrollments
        ],
        "lessons_completed": _rows(LessonProgress, LessonProgress.user_id == user.id),
        "quiz_sessions": _rows(QuizSession, QuizSession.user_id == user.id),
        "quiz_answers": _rows(Answer, Answer.user_id == user.id),
        "review_cards": _rows(ReviewCard, ReviewCard.user_id == user.id),
        "review_log": _rows(ReviewLog, ReviewLog.card_id.in_(cards)),
        "answer_reports": _rows(AnswerReport, AnswerReport.user_id == user.id),
        "listening_rounds": _rows(SoundRound, SoundRound.user_id == user.id),
        "listening_answers": _rows(SoundQuestion, SoundQuestion.user_id == user.id),
        "submissions": _submissions(zip_file, user),
        "contest_registrations": [
            row(r, contest=r.edition.title_en, year=r.edition.year, division=r.division.name_en)
            for r in registrations
        ],
        "event_reservations": [
            row(a, event=a.event.title_en)
            for a in db.session.scalars(
                select(Attendance)
                .where((Attendance.user_id == user.id) | (Attendance.email == user.email))
                .order_by(Attendance.id)
            )
        ],
        "volunteer_shifts": [
            row(
                s,
                event=s.shift.event.title_en,
                role=s.shift.role.name_en,
                starts_at=_plain(s.shift.starts_at),
                ends_at=_plain(s.shift.ends_at),
            )
            for s in db.session.scalars(
                select(ShiftSignup).where(ShiftSignup.user_id == user.id).order_by(ShiftSignup.id)
            )
        ],
        "volunteer_certificates": _rows(
            VolunteerCertificate, VolunteerCertificate.user_id == user.id
        ),
        "emails": _rows(OutboxMessage, OutboxMessage.recipient == user.email),
    }


def build_archive(user: User) -> IO[bytes]:
    """The ZIP, rewound, in memory or (when large) in a temporary file."""
    archive: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        data = collect(zip_file, user)
        zip_file.writestr(DATA_FILE, json.dumps(data, ensure_ascii=False, indent=2))
    archive.seek(0)
    return archive
