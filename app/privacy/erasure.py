"""Deleting an account and purging a past contest edition: erase what is personal, keep what
others rely on (graded work in a class, contest results) under a neutral name."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import delete, exists, select

from app.auth import passwords
from app.auth.models import AuthAttempt, Role, User, UserRole, UserSession, new_session_token
from app.calendar.models import CalendarFeed
from app.contest import editions as editions_service
from app.contest import registration as registration_service
from app.contest.models import Edition, Prize, Registration, ScoreSheet, new_ticket_secret
from app.core.dbtypes import utcnow
from app.core.models import MailStatus, OutboxMessage
from app.events import attendance as attendance_service
from app.events.models import Attendance, ShiftSignup, VolunteerCertificate
from app.extensions import db
from app.lessons.models import Enrollment, LessonProgress
from app.privacy.models import Consent, EditionPurge
from app.progress.models import Grade, GradeState, Submission
from app.quizzes.models import (
    Answer,
    AnswerReport,
    QuizSession,
    ReviewCard,
    ReviewLog,
    SoundQuestion,
    SoundRound,
)

STAFF_ROLES = frozenset({Role.TEACHER, Role.ORGANIZER, Role.JUDGE, Role.ADMIN})
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never receive mail
KEPT_GRADE_STATES = (GradeState.GRADED, GradeState.RELEASED)


class ErasureError(Exception):
    """The erasure can't be done; the view explains why."""


class StaffAccount(ErasureError):
    """Teachers, organizers, judges and admins are closed by an administrator."""


class AlreadyPurged(ErasureError):
    pass


class EditionNotOver(ErasureError):
    pass


def neutral_name(user_id: int) -> str:
    """The name a deleted account is shown under, readable in both interface languages."""
    return f"退会したユーザー {user_id} / Former user {user_id}"


def erased_email(kind: str, ident: int) -> str:
    return f"{kind}-{ident}@{ERASED_DOMAIN}"


def anonymise_registration(registration: Registration, name: str) -> None:
    """Erase what the registrant told us; number, division, status, scores and prizes stay."""
    registration.full_name = name[:100]
    registration.furigana = ""
    registration.name_latin = ""
    registration.phone = ""
    registration.age_group = ""
    registration.affiliation = ""
    registration.affiliation_detail = ""
    registration.study_months = 0
    registration.study_place = ""
    registration.months_in_kyrgyzstan = 0
    registration.not_native_speaker = False
    registration.japanese_citizen = False
    registration.speech_title_ky = ""
    registration.speech_title_ja = ""
    registration.rejection_reason = ""
    registration.email = erased_email("registration", registration.id)
    registration.ticket_secret = new_ticket_secret()
    registration.search_key = registration_service.search_key(registration)


def _has_results(registration: Registration) -> bool:
    """The person took part: scored, awarded, or checked in on the day."""
    if registration.award or registration.checked_in_at is not None:
        return True
    return bool(
        db.session.scalar(
            select(
                exists().where(ScoreSheet.registration_id == registration.id)
                | exists().where(Prize.registration_id == registration.id)
            )
        )
    )


@dataclass
class AccountErasure:
    """What deleting an account did, and the recordings to remove once it is committed."""

    kept_submissions: int = 0
    deleted_submissions: int = 0
    kept_registrations: int = 0
    deleted_registrations: int = 0
    recordings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AccountSummary:
    """What the confirmation page tells a person before they delete their account."""

    graded_submissions: int
    other_submissions: int
    contest_results: int
    other_registrations: int


def account_summary(user: User) -> AccountSummary:
    """Counts for the confirmation page: what stays (anonymised) and what goes."""
    states = db.session.execute(
        select(Submission.id, Grade.state)
        .outerjoin(Grade, Grade.submission_id == Submission.id)
        .where(Submission.student_id == user.id)
    ).all()
    kept = sum(1 for _id, state in states if state in KEPT_GRADE_STATES)
    total = len(states)
    registrations = db.session.scalars(
        select(Registration).where(Registration.user_id == user.id)
    ).all()
    results = sum(1 for r in registrations if _has_results(r))
    return AccountSummary(
        graded_submissions=kept,
        other_submissions=total - kept,
        contest_results=results,
        other_registrations=len(registrations) - results,
    )


def delete_account(user: User, *, now: datetime | None = None) -> AccountErasure:
    """Delete everything about `user` except what others rely on, which is anonymised;
    the account can't sign in again. Call `remove_recordings` after the commit."""
    if not STAFF_ROLES.isdisjoint(user.roles):
        raise StaffAccount()
    now = now or utcnow()
    result = AccountErasure()
    name = neutral_name(user.id)
    address = user.email
    _erase_contest(user, name, result, now)
    _erase_events(user, address, now)
    kept_classes = _erase_course_work(user, result)
    db.session.execute(
        delete(Enrollment).where(
            Enrollment.user_id == user.id, Enrollment.class_id.not_in(kept_classes)
        )
    )
    db.session.execute(delete(LessonProgress).where(LessonProgress.user_id == user.id))
    _erase_quizzes(user)
    db.session.execute(delete(Consent).where(Consent.user_id == user.id))
    # mail already sent to them; anything still queued (e.g. the withdrawal notice) goes out
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.recipient == address, OutboxMessage.status != MailStatus.QUEUED
        )
    )
    db.session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    db.session.expire(user, ["role_links"])
    # Every signed-in browser and the calendar feed's link of the person end now; counted sign-in
    # attempts name their address.
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.execute(delete(AuthAttempt).where(AuthAttempt.email == user.email))
    user.display_name = name
    user.name_katakana = None
    user.email = erased_email("user", user.id)
    user.password_hash = passwords.hash_password(secrets.token_urlsafe(32))
    user.session_token = new_session_token()
    user.active = False
    user.last_login_at = None
    user.refresh_search_key()
    db.session.flush()
    return result


def _erase_contest(user: User, name: str, result: AccountErasure, now: datetime) -> None:
    registrations = db.session.scalars(
        select(Registration).where(Registration.user_id == user.id).order_by(Registration.id)
    ).all()
    for registration in registrations:
        if _has_results(registration):
            anonymise_registration(registration, name)
            result.kept_registrations += 1
            continue
        if registration.active:
            # frees the seat for the waiting list, as withdrawing would
            registration_service.withdraw(registration, now=now)
        db.session.delete(registration)
        result.deleted_registrations += 1
    db.session.flush()


def _erase_events(user: User, address: str, now: datetime) -> None:
    """Cancel the person's reservations (the seat goes to the next person waiting), then delete
    them, their volunteer shifts and hours, and their certificates of appreciation."""
    reservations = db.session.scalars(
        select(Attendance)
        .where((Attendance.user_id == user.id) | (Attendance.email == address))
        .order_by(Attendance.id)
    ).all()
    for reservation in reservations:
        attendance_service.cancel(reservation, now)
        db.session.delete(reservation)
    db.session.execute(delete(ShiftSignup).where(ShiftSignup.user_id == user.id))
    db.session.execute(delete(VolunteerCertificate).where(VolunteerCertificate.user_id == user.id))
    db.session.flush()


def _erase_course_work(user: User, result: AccountErasure) -> list[int]:
    """Delete ungraded work and its recordings; returns the classes where graded work stays."""
    submissions = db.session.scalars(
        select(Submission).where(Submission.student_id == user.id)
    ).all()
    kept_classes: set[int] = set()
    for submission in submissions:
        grade = submission.grade
        if grade is not None and grade.state in KEPT_GRADE_STATES:
            kept_classes.add(submission.assignment.class_id)
            result.kept_submissions += 1
            used = {v.audio_file for v in submission.versions}
            if submission.draft_audio_file and submission.draft_audio_file not in used:
                result.recordings.append(submission.draft_audio_file)
            submission.draft_text = ""
            submission.draft_audio_file = None
            submission.draft_audio_mimetype = None
            continue
        result.recordings.extend(v.audio_file for v in submission.versions if v.audio_file)
        if submission.draft_audio_file:
            result.recordings.append(submission.draft_audio_file)
        if grade is not None:
            db.session.delete(grade)
        db.session.delete(submission)
        result.deleted_submissions += 1
    db.session.flush()
    return sorted(kept_classes)


def _erase_quizzes(user: User) -> None:
    cards = select(ReviewCard.id).where(ReviewCard.user_id == user.id)
    db.session.execute(delete(ReviewLog).where(ReviewLog.card_id.in_(cards)))
    db.session.execute(delete(ReviewCard).where(ReviewCard.user_id == user.id))
    db.session.execute(delete(AnswerReport).where(AnswerReport.user_id == user.id))
    db.session.execute(delete(Answer).where(Answer.user_id == user.id))
    db.session.execute(delete(QuizSession).where(QuizSession.user_id == user.id))
    db.session.execute(delete(SoundQuestion).where(SoundQuestion.user_id == user.id))
    db.session.execute(delete(SoundRound).where(SoundRound.user_id == user.id))


def remove_recordings(erasure: AccountErasure) -> None:
    """Delete the erased recordings from disk (after the commit, so a rollback loses nothing)."""
    from app.progress.assignments import discard_unused_audio

    discard_unused_audio(erasure.recordings)


# --- contest editions --------------------------------------------------------------------------


def retention_years() -> int:
    return int(current_app.config["CONTEST_DATA_RETENTION_YEARS"])


def retention_ends(edition: Edition) -> date:
    """The day after which the policy says an edition's personal data should be gone."""
    day = edition.event_date
    try:
        return day.replace(year=day.year + retention_years())
    except ValueError:  # 29 February
        return day.replace(year=day.year + retention_years(), day=28)


def purge_of(edition: Edition) -> EditionPurge | None:
    return db.session.get(EditionPurge, edition.id)


def editions_due(today: date) -> list[Edition]:
    """Editions past the retention period whose data is still there, oldest first."""
    purged = select(EditionPurge.edition_id)
    editions = db.session.scalars(
        select(Edition).where(Edition.id.not_in(purged)).order_by(Edition.year)
    )
    return [edition for edition in editions if today > retention_ends(edition)]


def purge_edition(edition: Edition, by: User, *, now: datetime | None = None) -> EditionPurge:
    """Erase every registrant's personal details of a past edition; results and numbers stay."""
    now = now or utcnow()
    if purge_of(edition) is not None:
        raise AlreadyPurged()
    if not editions_service.event_over(edition, now):
        raise EditionNotOver()
    registrations = db.session.scalars(
        select(Registration).where(Registration.edition_id == edition.id).order_by(Registration.id)
    ).all()
    for registration in registrations:
        label = registration.participant_number or f"#{registration.id}"
        anonymise_registration(registration, label)
    purge = EditionPurge(
        edition_id=edition.id, purged_at=now, purged_by_id=by.id, registrations=len(registrations)
    )
    db.session.add(purge)
    db.session.flush()
    return purge
