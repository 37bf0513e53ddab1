"""Contest rules: registration with eligibility, seats and the waiting list, holds, moderation.

Every change to who holds a seat in a division happens while that division's row is locked
(`lock_division`), so counting the seats and taking one is atomic on PostgreSQL and SQLite alike.
Services flush; the view commits once.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User, UserRole, fold
from app.auth.services import normalize_email
from app.contest import eligibility, results
from app.contest.models import (
    ACTIVE_STATUSES,
    PLACES,
    SEAT_STATUSES,
    Conflict,
    Criterion,
    Division,
    Edition,
    JudgeAssignment,
    Prize,
    PrizeKind,
    Registration,
    Score,
    ScoreSheet,
    Scoring,
    Status,
    UnlockLog,
)
from app.core.dbtypes import utcnow
from app.core.mail import queue_mail
from app.extensions import db

TOKYO = ZoneInfo("Asia/Tokyo")


class ContestError(Exception):
    """A contest rule was broken; the view turns it into a message."""


class RegistrationClosed(ContestError):
    pass


class NotEligible(ContestError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


class AlreadyRegistered(ContestError):
    def __init__(self, registration: Registration | None) -> None:
        super().__init__(registration)
        self.registration = registration


class HoldExpired(ContestError):
    pass


class WrongState(ContestError):
    pass


class NotAJudge(ContestError):
    pass


class SheetLocked(ContestError):
    """The sheet was submitted: only an organizer's unlock reopens it."""


class InvalidScores(ContestError):
    def __init__(self, problems: dict[int, str]) -> None:
        super().__init__(problems)
        self.problems = problems  # criterion id → "missing" or "range"


class JudgingStarted(ContestError):
    """Judging has begun: the scoring rule is fixed (first sheet submitted), moves are over."""


class EventOver(ContestError):
    """The day of the contest has passed (no more reminders)."""


class ResultsIncomplete(ContestError):
    def __init__(self, missing: int) -> None:
        super().__init__(missing)
        self.missing = missing


class ResultsPublished(ContestError):
    pass


@dataclass(frozen=True)
class Details:
    """What a registrant tells us about themselves (everything but division and account)."""

    full_name: str
    furigana: str
    name_latin: str
    phone: str
    age_group: str
    affiliation: str
    affiliation_detail: str
    study_months: int
    study_place: str
    months_in_kyrgyzstan: int
    not_native_speaker: bool
    japanese_citizen: bool
    speech_title_ky: str
    speech_title_ja: str
    consent_privacy: bool
    consent_photos: bool


DETAIL_FIELDS = tuple(f.name for f in fields(Details))


@dataclass(frozen=True)
class DivisionCounts:
    """How many registrations of a division are in each state, and the seats left."""

    capacity: int
    by_status: dict[str, int]

    @property
    def taken(self) -> int:
        return sum(self.by_status.get(s, 0) for s in SEAT_STATUSES)

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def waiting(self) -> int:
        return self.by_status.get(Status.WAITLISTED, 0)

    @property
    def active(self) -> int:
        return sum(self.by_status.get(s, 0) for s in ACTIVE_STATUSES)


# --- reading ----------------------------------------------------------------------------------


def current_edition() -> Edition | None:
    """The edition the public page shows: the newest published one."""
    return db.session.scalar(
        select(Edition)
        .where(Edition.published.is_(True))
        .options(selectinload(Edition.divisions).selectinload(Division.criteria))
        .order_by(Edition.year.desc())
        .limit(1)
    )


def edition_by_year(year: int, *, published_only: bool = True) -> Edition | None:
    """An edition with its divisions and their rubrics loaded."""
    query = (
        select(Edition)
        .where(Edition.year == year)
        .options(selectinload(Edition.divisions).selectinload(Division.criteria))
    )
    if published_only:
        query = query.where(Edition.published.is_(True))
    return db.session.scalar(query)


def division_counts(edition: Edition) -> dict[int, DivisionCounts]:
    """Counts per division and state in one query."""
    rows = db.session.execute(
        select(Registration.division_id, Registration.status, func.count())
        .where(Registration.edition_id == edition.id)
        .group_by(Registration.division_id, Registration.status)
    ).all()
    by_division: dict[int, dict[str, int]] = {d.id: {} for d in edition.divisions}
    for division_id, status, count in rows:
        by_division.setdefault(division_id, {})[status] = count
    capacities = {d.id: d.capacity for d in edition.divisions}
    return {
        division_id: DivisionCounts(capacities.get(division_id, 0), counts)
        for division_id, counts in by_division.items()
    }


def registration_of(user: User, edition: Edition) -> Registration | None:
    """The user's active registration in the edition, else their latest one."""
    return db.session.scalar(
        select(Registration)
        .where(Registration.edition_id == edition.id, Registration.user_id == user.id)
        .options(selectinload(Registration.division))
        .order_by(
            Registration.status.in_([s.value for s in ACTIVE_STATUSES]).desc(),
            Registration.id.desc(),
        )
        .limit(1)
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the division's waiting list; None when not waiting."""
    if registration.status != Status.WAITLISTED or registration.waitlist_seq is None:
        return None
    return db.session.scalar(
        select(func.count()).where(
            Registration.division_id == registration.division_id,
            Registration.status == Status.WAITLISTED,
            Registration.waitlist_seq <= registration.waitlist_seq,
        )
    )


def waitlist_positions(edition: Edition) -> dict[int, int]:
    """Registration id → waiting-list position, for every waiting registration of the edition."""
    rows = db.session.execute(
        select(Registration.id, Registration.division_id)
        .where(Registration.edition_id == edition.id, Registration.status == Status.WAITLISTED)
        .order_by(Registration.division_id, Registration.waitlist_seq)
    ).all()
    positions: dict[int, int] = {}
    seen: dict[int, int] = {}
    for registration_id, division_id in rows:
        seen[division_id] = seen.get(division_id, 0) + 1
        positions[registration_id] = seen[division_id]
    return positions


@dataclass(frozen=True)
class RegistrationFilter:
    query: str = ""
    division_id: int | None = None
    status: str = ""


def registration_search(edition: Edition, filters: RegistrationFilter) -> Select[Registration]:
    """The console list: search by name, furigana, Latin name, e-mail or number; filters."""
    stmt = (
        select(Registration)
        .where(Registration.edition_id == edition.id)
        .options(selectinload(Registration.division))
        .order_by(Registration.division_id, Registration.created_at, Registration.id)
    )
    q = fold(filters.query.strip())
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Registration.search_key.like(f"%{escaped}%", escape="\\"))
    if filters.division_id:
        stmt = stmt.where(Registration.division_id == filters.division_id)
    if filters.status == "active":
        stmt = stmt.where(Registration.status.in_([s.value for s in ACTIVE_STATUSES]))
    elif filters.status in {s.value for s in Status}:
        stmt = stmt.where(Registration.status == filters.status)
    return stmt


# --- locking and seats ------------------------------------------------------------------------


def lock_division(division_id: int) -> Division:
    """Lock the division row for this transaction and return it freshly loaded.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks but one writer at a time: a
    no-op UPDATE takes the database's write lock first, so what follows is read under it.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(Division)
            .where(Division.id == division_id)
            .values(capacity=Division.capacity)
            .execution_options(synchronize_session=False)
        )
        query = select(Division).where(Division.id == division_id)
    else:
        query = select(Division).where(Division.id == division_id).with_for_update()
    return db.session.scalars(query.execution_options(populate_existing=True)).one()


def _refresh(registration: Registration) -> Registration:
    """Re-read a registration after taking the lock (another request may have changed it)."""
    db.session.refresh(registration)
    return registration


def _seats_taken(division: Division) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                Registration.division_id == division.id,
                Registration.status.in_([s.value for s in SEAT_STATUSES]),
            )
        )
        or 0
    )


def _anyone_waiting(division: Division) -> bool:
    return (
        db.session.scalar(
            select(Registration.id)
            .where(
                Registration.division_id == division.id,
                Registration.status == Status.WAITLISTED,
            )
            .limit(1)
        )
        is not None
    )


def _seat_free(division: Division) -> bool:
    """A seat is free and nobody waits for it (division locked)."""
    return _seats_taken(division) < division.capacity and not _anyone_waiting(division)


def _give_seat(division: Division, registration: Registration, now: datetime) -> None:
    """A seat and the next participant number of the division's series (division locked)."""
    division.numbers_issued += 1
    registration.status = Status.CONFIRMED
    registration.participant_number = (
        f"{division.edition.year}-{division.letter}-{division.numbers_issued:03d}"
    )
    registration.confirmed_at = now
    registration.hold_expires_at = None
    registration.waitlist_seq = None


def _confirm(division: Division, registration: Registration, now: datetime) -> None:
    """Give a seat and the next participant number, and tell the registrant (division locked)."""
    _give_seat(division, registration, now)
    _send(registration, "contest_confirmed")


def _waitlist(division: Division, registration: Registration) -> None:
    """Put at the end of the waiting list (division locked)."""
    division.waitlist_issued += 1
    registration.status = Status.WAITLISTED
    registration.waitlist_seq = division.waitlist_issued


def _place(division: Division, registration: Registration, now: datetime) -> None:
    """Confirm if a seat is free and nobody is ahead in the queue, else waiting list."""
    if _seat_free(division):
        _confirm(division, registration, now)
    else:
        _waitlist(division, registration)
        db.session.flush()
        _send(registration, "contest_waitlisted", position=waitlist_position(registration))


def _fill_seats(division: Division, now: datetime) -> list[Registration]:
    """Offer free seats to the first on the waiting list, each with a hold (division locked)."""
    free = division.capacity - _seats_taken(division)
    if free <= 0:
        return []
    promoted = list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.division_id == division.id,
                Registration.status == Status.WAITLISTED,
            )
            .order_by(Registration.waitlist_seq)
            .limit(free)
        )
    )
    hold = timedelta(hours=division.edition.hold_hours)
    for registration in promoted:
        registration.status = Status.OFFERED
        registration.hold_expires_at = now + hold
        _send(registration, "contest_promoted")
    db.session.flush()
    return promoted


# --- registrant actions -----------------------------------------------------------------------


def search_key(registration: Registration) -> str:
    parts = (
        registration.full_name,
        registration.furigana,
        registration.name_latin,
        registration.email,
        registration.participant_number or "",
    )
    return fold(" ".join(parts))[:600]


def applicant(email: str, details: Details) -> eligibility.Applicant:
    return eligibility.Applicant(
        email=normalize_email(email),
        study_months=details.study_months,
        months_in_kyrgyzstan=details.months_in_kyrgyzstan,
        not_native_speaker=details.not_native_speaker,
        japanese_citizen=details.japanese_citizen,
    )


def active_registration(edition: Edition, email: str) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.edition_id == edition.id,
            Registration.email == normalize_email(email),
            Registration.status.in_([s.value for s in ACTIVE_STATUSES]),
        )
    )


def check_can_register(
    edition: Edition, division: Division, email: str, details: Details, now: datetime
) -> None:
    """Raise if the window is closed, the person is already in, or not eligible."""
    if not edition.registration_open(now):
        raise RegistrationClosed()
    existing = active_registration(edition, email)
    if existing is not None:
        raise AlreadyRegistered(existing)
    problems = eligibility.problems(division, applicant(email, details))
    if problems:
        raise NotEligible(problems)


def register(
    edition: Edition,
    division: Division,
    user: User,
    details: Details,
    *,
    language: str = "ja",
    now: datetime | None = None,
) -> Registration:
    """Register `user`: confirmed with a number, waiting list, or pending moderation."""
    now = now or utcnow()
    if division.edition_id != edition.id:
        raise ValueError("division of another edition")
    check_can_register(edition, division, user.email, details, now)
    division = lock_division(division.id)
    if active_registration(edition, user.email) is not None:  # a second tab got here first
        raise AlreadyRegistered(active_registration(edition, user.email))
    registration = Registration(
        edition_id=edition.id,
        division_id=division.id,
        user_id=user.id,
        email=normalize_email(user.email),
        language=language,
        status=Status.PENDING,
        **{name: getattr(details, name) for name in DETAIL_FIELDS},
    )
    registration.search_key = search_key(registration)
    try:
        with db.session.begin_nested():
            db.session.add(registration)
    except IntegrityError as error:
        raise AlreadyRegistered(active_registration(edition, user.email)) from error
    registration.division = division
    registration.edition = edition
    if division.requires_moderation:
        _send(registration, "contest_received")
    else:
        _place(division, registration, now)
    registration.search_key = search_key(registration)
    db.session.flush()
    return registration


def can_change(registration: Registration, now: datetime) -> bool:
    """The registrant may edit or withdraw while registration is open."""
    return registration.active and registration.edition.registration_open(now)


def update_details(registration: Registration, details: Details) -> None:
    """Change the registrant's details; eligibility is checked again."""
    problems = eligibility.problems(registration.division, applicant(registration.email, details))
    if problems:
        raise NotEligible(problems)
    for name in DETAIL_FIELDS:
        setattr(registration, name, getattr(details, name))
    registration.search_key = search_key(registration)
    db.session.flush()


def withdraw(registration: Registration, *, now: datetime | None = None) -> None:
    """Withdraw; a freed seat is offered to the first on the waiting list."""
    now = now or utcnow()
    division = lock_division(registration.division_id)
    _refresh(registration)
    if not registration.active:
        raise WrongState(registration.status)
    had_seat = registration.status in SEAT_STATUSES
    registration.status = Status.WITHDRAWN
    registration.withdrawn_at = now
    registration.hold_expires_at = None
    db.session.flush()
    _send(registration, "contest_withdrawn")
    if had_seat:
        _fill_seats(division, now)


def confirm_offer(registration: Registration, *, now: datetime | None = None) -> None:
    """Take the seat offered from the waiting list, while the hold lasts."""
    now = now or utcnow()
    division = lock_division(registration.division_id)
    _refresh(registration)
    if registration.status != Status.OFFERED:
        raise WrongState(registration.status)
    if registration.hold_expires_at is not None and registration.hold_expires_at <= now:
        _expire(division, [registration], now)
        raise HoldExpired()
    _confirm(division, registration, now)
    registration.search_key = search_key(registration)
    db.session.flush()


def _expire(division: Division, registrations: Iterable[Registration], now: datetime) -> int:
    count = 0
    for registration in registrations:
        registration.status = Status.EXPIRED
        registration.hold_expires_at = None
        _send(registration, "contest_hold_expired")
        count += 1
    db.session.flush()
    _fill_seats(division, now)
    return count


def expire_holds(now: datetime | None = None) -> int:
    """Holds past their time pass the seat on to the next person; returns how many expired."""
    now = now or utcnow()
    division_ids = db.session.scalars(
        select(Registration.division_id)
        .where(Registration.status == Status.OFFERED, Registration.hold_expires_at <= now)
        .distinct()
    ).all()
    expired = 0
    for division_id in division_ids:
        division = lock_division(division_id)
        due = db.session.scalars(
            select(Registration)
            .where(
                Registration.division_id == division_id,
                Registration.status == Status.OFFERED,
                Registration.hold_expires_at <= now,
            )
            .execution_options(populate_existing=True)
        ).all()
        if due:
            expired += _expire(division, due, now)
    return expired


# --- organizer actions ------------------------------------------------------------------------


def approve(registration: Registration, *, now: datetime | None = None) -> None:
    """Accept a registration waiting for moderation: a seat if free, else the waiting list."""
    now = now or utcnow()
    division = lock_division(registration.division_id)
    _refresh(registration)
    if registration.status != Status.PENDING:
        raise WrongState(registration.status)
    _place(division, registration, now)
    registration.search_key = search_key(registration)
    db.session.flush()


def reject(registration: Registration, reason: str, *, now: datetime | None = None) -> None:
    """Refuse a registration with a reason the registrant is told; a freed seat moves on."""
    now = now or utcnow()
    division = lock_division(registration.division_id)
    _refresh(registration)
    if not registration.active:
        raise WrongState(registration.status)
    had_seat = registration.status in SEAT_STATUSES
    registration.status = Status.REJECTED
    registration.rejection_reason = reason.strip()
    registration.hold_expires_at = None
    db.session.flush()
    _send(registration, "contest_rejected", reason=registration.rejection_reason)
    if had_seat:
        _fill_seats(division, now)


def set_capacity(
    division: Division, capacity: int, *, now: datetime | None = None
) -> list[Registration]:
    """Change the capacity. Raising offers seats to the waiting list; lowering removes nobody."""
    if capacity < 0:
        raise ValueError("capacity must not be negative")
    now = now or utcnow()
    division = lock_division(division.id)
    division.capacity = capacity
    db.session.flush()
    return _fill_seats(division, now)


def draw_speaking_order(
    division: Division, *, rng: random.Random | None = None
) -> list[Registration]:
    """Draw lots for the order of speeches among the confirmed participants."""
    rng = rng or random.SystemRandom()
    division = lock_division(division.id)
    registrations = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.division_id == division.id)
            .order_by(Registration.id)
        )
    )
    confirmed = [r for r in registrations if r.status == Status.CONFIRMED]
    for registration in registrations:
        registration.speaking_order = None
    db.session.flush()  # clear first: the new order reuses the numbers
    rng.shuffle(confirmed)
    for order, registration in enumerate(confirmed, start=1):
        registration.speaking_order = order
    db.session.flush()
    return confirmed


def email_division(division: Division, subject: str, body: str, statuses: Iterable[str]) -> int:
    """Queue one message to each registration of the division in `statuses`; returns how many."""
    recipients = db.session.scalars(
        select(Registration.email)
        .where(Registration.division_id == division.id, Registration.status.in_(list(statuses)))
        .distinct()
        .order_by(Registration.email)
    ).all()
    for recipient in recipients:
        queue_mail(recipient, subject.strip(), body.strip() + "\n", topic="contest_announcement")
    return len(recipients)


def judging_started(division: Division) -> bool:
    """A judge has begun a score sheet in the division (a draft counts), or results are out."""
    return division.results_published_at is not None or _sheet_exists(division)


@dataclass(frozen=True)
class Move:
    """What moving a registration did: where from, and who was offered the seat it left."""

    registration: Registration
    source: Division
    promoted: list[Registration]


def _applicant_of(registration: Registration) -> eligibility.Applicant:
    return eligibility.Applicant(
        email=registration.email,
        study_months=registration.study_months,
        months_in_kyrgyzstan=registration.months_in_kyrgyzstan,
        not_native_speaker=registration.not_native_speaker,
        japanese_citizen=registration.japanese_citizen,
    )


def move_registration(
    registration: Registration,
    target: Division,
    *,
    override_eligibility: bool = False,
    now: datetime | None = None,
) -> Move:
    """Move a registration to another division of its edition (an organizer's decision).

    Both divisions are locked in id order, so two moves can't deadlock. In the target it takes a
    free seat with the next number of the target's series, else the end of its waiting list; a
    registration awaiting approval stays so if the target needs approval too. A seat it leaves
    is offered to the first waiting in the old division. Eligibility for the target is checked
    unless the organizer overrides it; once judging has begun in either division, nothing moves.
    """
    now = now or utcnow()
    if target.edition_id != registration.edition_id:
        raise ValueError("division of another edition")
    source_id = registration.division_id
    if target.id == source_id:
        raise WrongState("same division")
    locked = {
        division_id: lock_division(division_id) for division_id in sorted({source_id, target.id})
    }
    source, target = locked[source_id], locked[target.id]
    _refresh(registration)
    if registration.division_id != source_id:  # moved by someone else meanwhile
        raise WrongState("moved")
    if not registration.active:
        raise WrongState(registration.status)
    if judging_started(source) or judging_started(target):
        raise JudgingStarted()
    if not override_eligibility:
        problems = eligibility.problems(target, _applicant_of(registration))
        if problems:
            raise NotEligible(problems)
    had_seat = registration.status in SEAT_STATUSES
    stays_pending = registration.status == Status.PENDING and target.requires_moderation
    registration.division = target
    registration.participant_number = None
    registration.confirmed_at = None
    registration.hold_expires_at = None
    registration.waitlist_seq = None
    registration.speaking_order = None
    registration.status = Status.PENDING  # holds no seat while the target's seats are counted
    db.session.flush()
    if not stays_pending:
        if _seat_free(target):
            _give_seat(target, registration, now)
        else:
            _waitlist(target, registration)
    registration.search_key = search_key(registration)
    db.session.flush()
    _send(registration, "contest_moved", source=source, position=waitlist_position(registration))
    promoted = _fill_seats(source, now) if had_seat else []
    return Move(registration=registration, source=source, promoted=promoted)


# --- reminders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderCounts:
    """Confirmed participants still to be reminded of the contest, and those already reminded."""

    due: int
    sent: int


def reminder_counts(edition: Edition) -> ReminderCounts:
    """Both counts in one query."""
    total, sent = db.session.execute(
        select(func.count(), func.count(Registration.reminder_sent_at)).where(
            Registration.edition_id == edition.id, Registration.status == Status.CONFIRMED
        )
    ).one()
    return ReminderCounts(due=total - sent, sent=sent)


def event_over(edition: Edition, now: datetime) -> bool:
    """The contest day has passed in Japan."""
    return now.astimezone(TOKYO).date() > edition.event_date


def send_reminders(edition: Edition, now: datetime | None = None) -> int:
    """Queue a reminder to each confirmed participant not yet reminded; returns how many.

    One UPDATE ... WHERE reminder_sent_at IS NULL ... RETURNING claims the rows: a second run at
    the same time (a double click, cron and an organizer) waits for the first one's row locks
    (PostgreSQL) or write lock (SQLite), then finds them claimed, so nobody gets two.
    """
    now = now or utcnow()
    if event_over(edition, now):
        raise EventOver()
    claimed = db.session.scalars(
        update(Registration)
        .where(
            Registration.edition_id == edition.id,
            Registration.status == Status.CONFIRMED,
            Registration.reminder_sent_at.is_(None),
        )
        .values(reminder_sent_at=now)
        .returning(Registration.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.id.in_(claimed))
        .options(selectinload(Registration.division), selectinload(Registration.edition))
        .order_by(Registration.id)
        .execution_options(populate_existing=True)
    ).all()
    for registration in registrations:
        _send(registration, "contest_reminder")
    return len(registrations)


def editions_to_remind(now: datetime, days_before: int) -> list[Edition]:
    """Published editions whose contest day (Japan time) is today or at most `days_before` away."""
    today = now.astimezone(TOKYO).date()
    return list(
        db.session.scalars(
            select(Edition)
            .where(
                Edition.published.is_(True),
                Edition.event_date >= today,
                Edition.event_date <= today + timedelta(days=days_before),
            )
            .order_by(Edition.year)
        )
    )


# --- check-in ---------------------------------------------------------------------------------


def registration_by_ticket(secret: str) -> Registration | None:
    """The registration whose QR ticket holds `secret`."""
    return db.session.scalar(
        select(Registration)
        .where(Registration.ticket_secret == secret)
        .options(selectinload(Registration.division), selectinload(Registration.edition))
    )


def checkin_search(edition: Edition, query: str, limit: int = 20) -> list[Registration]:
    """Confirmed participants matching a name, furigana, Latin name or number."""
    if not query.strip():
        return []
    stmt = registration_search(edition, RegistrationFilter(query=query, status=Status.CONFIRMED))
    return list(db.session.scalars(stmt.limit(limit)))


def check_in(registration: Registration, by: User, *, now: datetime | None = None) -> bool:
    """Record arrival; True if newly checked in, False if already (scanning twice is harmless)."""
    if registration.status != Status.CONFIRMED:
        raise WrongState(registration.status)
    if registration.checked_in_at is not None:
        return False
    registration.checked_in_at = now or utcnow()
    registration.checked_in_by_id = by.id
    db.session.flush()
    return True


def give_gift(registration: Registration, by: User, *, now: datetime | None = None) -> bool:
    """Record that the participation gift was handed over (which implies arrival)."""
    now = now or utcnow()
    check_in(registration, by, now=now)
    if registration.gift_given_at is not None:
        return False
    registration.gift_given_at = now
    db.session.flush()
    return True


# --- judges and conflicts ---------------------------------------------------------------------


def judge_accounts() -> list[User]:
    """Every active account with the judge role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.JUDGE, User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )


def judges_of(division: Division) -> list[User]:
    """The judges assigned to a division."""
    return list(
        db.session.scalars(
            select(User)
            .join(JudgeAssignment, JudgeAssignment.judge_id == User.id)
            .where(JudgeAssignment.division_id == division.id)
            .order_by(User.display_name, User.id)
        )
    )


def is_assigned(judge: User, division: Division) -> bool:
    return (
        db.session.scalar(
            select(JudgeAssignment.id).where(
                JudgeAssignment.division_id == division.id, JudgeAssignment.judge_id == judge.id
            )
        )
        is not None
    )


def assigned_divisions(judge: User) -> list[Division]:
    """The divisions a judge scores, newest edition first."""
    return list(
        db.session.scalars(
            select(Division)
            .join(JudgeAssignment, JudgeAssignment.division_id == Division.id)
            .join(Edition, Edition.id == Division.edition_id)
            .where(JudgeAssignment.judge_id == judge.id)
            .options(selectinload(Division.edition))
            .order_by(Edition.year.desc(), Division.position)
        )
    )


def assign_judge(division: Division, judge: User) -> None:
    """Let a judge score a division (idempotent)."""
    if not judge.has_role(Role.JUDGE):
        raise NotAJudge(judge.id)
    if not is_assigned(judge, division):
        db.session.add(JudgeAssignment(division_id=division.id, judge_id=judge.id))
        db.session.flush()


def unassign_judge(division: Division, judge: User) -> None:
    """Take a judge off a division; their sheets stay but no longer count."""
    if division.results_published_at is not None:
        raise ResultsPublished()
    assignment = db.session.scalar(
        select(JudgeAssignment).where(
            JudgeAssignment.division_id == division.id, JudgeAssignment.judge_id == judge.id
        )
    )
    if assignment is not None:
        db.session.delete(assignment)
        db.session.flush()


def contestants(division: Division) -> list[Registration]:
    """Who is judged: confirmed participants who checked in, in speaking order."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.division_id == division.id,
                Registration.status == Status.CONFIRMED,
                Registration.checked_in_at.is_not(None),
            )
            .order_by(
                Registration.speaking_order.is_(None),
                Registration.speaking_order,
                Registration.participant_number,
            )
        )
    )


def conflicted_ids(judge: User, division: Division) -> set[int]:
    """Registrations of the division the judge has declared a conflict with."""
    return set(
        db.session.scalars(
            select(Conflict.registration_id)
            .join(Registration, Registration.id == Conflict.registration_id)
            .where(Conflict.judge_id == judge.id, Registration.division_id == division.id)
        )
    )


def conflict_candidates(division: Division) -> list[Registration]:
    """Everyone confirmed in the division, by furigana (no numbers: names can't be matched
    to the numbers a blind judge sees)."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.division_id == division.id, Registration.status == Status.CONFIRMED)
            .order_by(Registration.furigana, Registration.id)
        )
    )


def declare_conflict(judge: User, registration: Registration, reason: str = "") -> None:
    """The judge won't judge this contestant; an unsubmitted sheet for them is discarded."""
    sheet = _sheet(judge, registration)
    if sheet is not None:
        if sheet.submitted:
            raise SheetLocked()
        db.session.delete(sheet)
    exists = db.session.scalar(
        select(Conflict.id).where(
            Conflict.judge_id == judge.id, Conflict.registration_id == registration.id
        )
    )
    if exists is None:
        db.session.add(
            Conflict(judge_id=judge.id, registration_id=registration.id, reason=reason[:200])
        )
    db.session.flush()


def withdraw_conflict(judge: User, registration: Registration) -> None:
    """Undo a conflict declared by mistake."""
    conflict = db.session.scalar(
        select(Conflict).where(
            Conflict.judge_id == judge.id, Conflict.registration_id == registration.id
        )
    )
    if conflict is not None:
        db.session.delete(conflict)
        db.session.flush()


# --- score sheets -----------------------------------------------------------------------------


def _sheet(judge: User, registration: Registration) -> ScoreSheet | None:
    return db.session.scalar(
        select(ScoreSheet)
        .where(ScoreSheet.judge_id == judge.id, ScoreSheet.registration_id == registration.id)
        .options(selectinload(ScoreSheet.scores))
    )


def sheet_of(judge: User, registration: Registration) -> ScoreSheet | None:
    """The judge's sheet for a contestant, with its scores."""
    return _sheet(judge, registration)


def judge_sheets(judge: User, division: Division) -> dict[int, ScoreSheet]:
    """Registration id → the judge's sheet, for the division, in one query."""
    sheets = db.session.scalars(
        select(ScoreSheet)
        .join(Registration, Registration.id == ScoreSheet.registration_id)
        .where(ScoreSheet.judge_id == judge.id, Registration.division_id == division.id)
    )
    return {sheet.registration_id: sheet for sheet in sheets}


def check_scores(division: Division, values: dict[int, int | None], *, submit: bool) -> None:
    """Raise InvalidScores for a value out of range, or (to submit) a criterion without one."""
    problems: dict[int, str] = {}
    for criterion in division.criteria:
        value = values.get(criterion.id)
        if value is None:
            if submit:
                problems[criterion.id] = "missing"
        elif not 0 <= value <= criterion.max_score:
            problems[criterion.id] = "range"
    if problems:
        raise InvalidScores(problems)


def sheet_total(division: Division, values: dict[int, int | None]) -> Fraction:
    """The judge's weighted total of these scores on the 0–100 scale the results use."""
    specs = [results.CriterionSpec(c.id, c.weight, c.max_score) for c in division.criteria]
    return results.sheet_total(specs, {k: v for k, v in values.items() if v is not None})


def save_sheet(
    judge: User,
    registration: Registration,
    values: dict[int, int | None],
    comment: str,
    *,
    submit: bool,
    now: datetime | None = None,
) -> ScoreSheet:
    """Save a judge's scores (a draft may be partial); submitting needs all and locks them."""
    division = registration.division
    criteria = {c.id: c for c in division.criteria}
    check_scores(division, values, submit=submit)
    sheet = _sheet(judge, registration)
    if sheet is None:
        sheet = ScoreSheet(judge_id=judge.id, registration_id=registration.id)
        try:
            with db.session.begin_nested():
                db.session.add(sheet)
        except IntegrityError:  # another tab created it first
            sheet = _sheet(judge, registration)
            assert sheet is not None
    else:
        db.session.refresh(sheet, with_for_update=_for_update())
    if sheet.submitted:
        raise SheetLocked()
    existing = {score.criterion_id: score for score in sheet.scores}
    for criterion_id in criteria:
        value = values.get(criterion_id)
        if value is None:
            if criterion_id in existing:
                sheet.scores.remove(existing[criterion_id])
        elif criterion_id in existing:
            existing[criterion_id].value = value
        else:
            sheet.scores.append(Score(criterion_id=criterion_id, value=value))
    sheet.comment = comment.strip()
    if submit:
        sheet.submitted = True
        sheet.submitted_at = now or utcnow()
    db.session.flush()
    return sheet


def _for_update() -> bool:
    return db.session.get_bind().dialect.name != "sqlite"


def unlock_sheet(
    sheet: ScoreSheet, organizer: User, reason: str, *, now: datetime | None = None
) -> UnlockLog:
    """Reopen a submitted sheet for its judge; who, when and why is logged."""
    division = sheet.registration.division
    if division.results_published_at is not None:
        raise ResultsPublished()
    db.session.refresh(sheet, with_for_update=_for_update())  # two unlocks at once log one
    if not sheet.submitted:
        raise WrongState("draft")
    sheet.submitted = False
    sheet.submitted_at = None
    log = UnlockLog(
        sheet_id=sheet.id, unlocked_by_id=organizer.id, unlocked_at=now or utcnow(), reason=reason
    )
    db.session.add(log)
    db.session.flush()
    return log


def unlock_logs(division: Division) -> list[UnlockLog]:
    """The division's unlocks, newest first."""
    return list(
        db.session.scalars(
            select(UnlockLog)
            .join(ScoreSheet, ScoreSheet.id == UnlockLog.sheet_id)
            .join(Registration, Registration.id == ScoreSheet.registration_id)
            .where(Registration.division_id == division.id)
            .options(
                selectinload(UnlockLog.unlocked_by),
                selectinload(UnlockLog.sheet).selectinload(ScoreSheet.judge),
                selectinload(UnlockLog.sheet).selectinload(ScoreSheet.registration),
            )
            .order_by(UnlockLog.unlocked_at.desc(), UnlockLog.id.desc())
        )
    )


def set_judging(
    division: Division, *, blind: bool, scoring: str, tiebreak_position: int | None
) -> None:
    """Blind mode may change any time; method and tie-break only before the first submission."""
    if scoring not in {s.value for s in Scoring}:
        raise ValueError(scoring)
    changes_rule = (scoring, tiebreak_position) != (division.scoring, division.tiebreak_position)
    if changes_rule and _any_submitted(division):
        raise JudgingStarted()
    division.blind = blind
    division.scoring = scoring
    division.tiebreak_position = tiebreak_position
    db.session.flush()


def _any_submitted(division: Division) -> bool:
    return _sheet_exists(division, submitted_only=True)


def _sheet_exists(division: Division, *, submitted_only: bool = False) -> bool:
    """One cheap query: has any judge started (or submitted) a score sheet in the division?"""
    query = (
        select(ScoreSheet.id)
        .join(Registration, Registration.id == ScoreSheet.registration_id)
        .where(Registration.division_id == division.id)
    )
    if submitted_only:
        query = query.where(ScoreSheet.submitted.is_(True))
    return db.session.scalar(query.limit(1)) is not None


def has_scores(division: Division) -> bool:
    """Whether any score of the division exists (its rubric is then fixed)."""
    return (
        db.session.scalar(
            select(Score.id)
            .join(Criterion, Criterion.id == Score.criterion_id)
            .where(Criterion.division_id == division.id)
            .limit(1)
        )
        is not None
    )


# --- progress and results ---------------------------------------------------------------------


@dataclass(frozen=True)
class Judging:
    """Everything the organizer's judging and results pages show, loaded in fixed queries."""

    division: Division
    judges: list[User]
    contestants: list[Registration]
    sheets: dict[tuple[int, int], ScoreSheet]  # (judge id, registration id) → sheet
    conflicts: set[tuple[int, int]]  # (judge id, registration id)

    def expected(self, judge: User, registration: Registration) -> bool:
        return (judge.id, registration.id) not in self.conflicts

    @property
    def missing(self) -> int:
        """How many (judge, contestant) pairs still lack a submitted sheet."""
        count = 0
        for judge in self.judges:
            for registration in self.contestants:
                if not self.expected(judge, registration):
                    continue
                sheet = self.sheets.get((judge.id, registration.id))
                if sheet is None or not sheet.submitted:
                    count += 1
        return count

    @property
    def complete(self) -> bool:
        return bool(self.judges and self.contestants) and self.missing == 0

    def ranking(self) -> list[results.Ranked]:
        """Contestants ranked on their submitted sheets from assigned judges."""
        criteria = [
            results.CriterionSpec(c.id, c.weight, c.max_score) for c in self.division.criteria
        ]
        judge_ids = {j.id for j in self.judges}
        entries = []
        for registration in self.contestants:
            sheets = [
                {score.criterion_id: score.value for score in sheet.scores}
                for (judge_id, registration_id), sheet in sorted(self.sheets.items())
                if registration_id == registration.id and judge_id in judge_ids and sheet.submitted
            ]
            entries.append(results.Entry(registration.id, sheets))
        tiebreak = self.tiebreak_criterion
        return results.rank(
            entries,
            criteria,
            method=self.division.scoring,
            tiebreak_criterion=tiebreak.id if tiebreak else None,
        )

    @property
    def tiebreak_criterion(self) -> Criterion | None:
        position = self.division.tiebreak_position
        return next((c for c in self.division.criteria if c.position == position), None)


def judging(division: Division) -> Judging:
    """Judges, contestants, sheets with scores and conflicts of a division."""
    judges = judges_of(division)
    people = contestants(division)
    sheets = db.session.scalars(
        select(ScoreSheet)
        .join(Registration, Registration.id == ScoreSheet.registration_id)
        .where(Registration.division_id == division.id)
        .options(selectinload(ScoreSheet.scores))
    ).all()
    conflicts = db.session.execute(
        select(Conflict.judge_id, Conflict.registration_id)
        .join(Registration, Registration.id == Conflict.registration_id)
        .where(Registration.division_id == division.id)
    ).all()
    return Judging(
        division=division,
        judges=judges,
        contestants=people,
        sheets={(s.judge_id, s.registration_id): s for s in sheets},
        conflicts={(j, r) for j, r in conflicts},
    )


def prizes_of(division: Division) -> list[Prize]:
    """The division's prizes: places first, then special prizes."""
    prizes = db.session.scalars(
        select(Prize)
        .where(Prize.division_id == division.id)
        .options(selectinload(Prize.registration))
        .order_by(Prize.id)
    ).all()
    order = {kind: i for i, kind in enumerate([*PLACES, PrizeKind.SPECIAL])}
    return sorted(prizes, key=lambda p: (order.get(PrizeKind(p.kind), 9), p.id))


def set_prizes(division: Division, awards: Iterable[tuple[int, str, str]]) -> None:
    """Replace the division's prizes with (registration id, kind, special-prize name) rows."""
    if division.results_published_at is not None:
        raise ResultsPublished()
    allowed = {r.id for r in contestants(division)}
    seen_places: set[str] = set()
    rows = []
    for registration_id, kind, name in awards:
        if registration_id not in allowed or kind not in {k.value for k in PrizeKind}:
            raise ValueError((registration_id, kind))
        if kind != PrizeKind.SPECIAL:
            if kind in seen_places:
                raise WrongState(kind)
            seen_places.add(kind)
            name = ""
        elif not name.strip():
            raise WrongState("special prize without a name")
        rows.append(Prize(division_id=division.id, registration_id=registration_id, kind=kind,
                          name=name.strip()[:200]))  # fmt: skip
    for prize in db.session.scalars(select(Prize).where(Prize.division_id == division.id)):
        db.session.delete(prize)
    db.session.flush()
    db.session.add_all(rows)
    db.session.flush()


def publish_results(division: Division, *, now: datetime | None = None) -> None:
    """Publish once every judge has submitted every contestant; winners get their award."""
    state = judging(division)
    if not state.complete:
        raise ResultsIncomplete(state.missing)
    prizes = prizes_of(division)
    awards: dict[int, str] = {}
    for prize in prizes:  # a place beats a special prize on the registration's award
        awards.setdefault(prize.registration_id, prize.kind)
    for registration in state.contestants:
        registration.award = awards.get(registration.id)
    division.results_published_at = now or utcnow()
    db.session.flush()


def unpublish_results(division: Division) -> None:
    """Take results down again (to correct them); awards are cleared with them."""
    division.results_published_at = None
    db.session.execute(
        update(Registration)
        .where(Registration.division_id == division.id)
        .values(award=None)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()


def published_prizes(edition: Edition) -> dict[int, list[Prize]]:
    """Division id → prizes, for the divisions of the edition whose results are published."""
    prizes = db.session.scalars(
        select(Prize)
        .join(Division, Division.id == Prize.division_id)
        .where(Division.edition_id == edition.id, Division.results_published_at.is_not(None))
        .options(selectinload(Prize.registration))
        .order_by(Prize.id)
    ).all()
    order = {kind: i for i, kind in enumerate([*PLACES, PrizeKind.SPECIAL])}
    grouped: dict[int, list[Prize]] = {}
    for prize in sorted(prizes, key=lambda p: (order.get(PrizeKind(p.kind), 9), p.id)):
        grouped.setdefault(prize.division_id, []).append(prize)
    return grouped


# --- mail -------------------------------------------------------------------------------------


def _mail_context() -> AbstractContextManager[object]:
    """Mail is also sent from the command line: render it in a request for SITE_URL then."""
    if has_request_context():
        return nullcontext()
    base = current_app.config.get("SITE_URL") or "http://localhost:5000"
    return current_app.test_request_context(base_url=base)


def _send(registration: Registration, template: str, **context: object) -> None:
    """One bilingual message: the registrant's language first, then the other."""
    languages = ["ja", "en"] if registration.language != "en" else ["en", "ja"]
    parts: list[tuple[str, str]] = []
    with _mail_context():
        link = url_for("contest.my_registration", year=registration.edition.year, _external=True)
        for language in languages:
            parts.append(_render(template, language, registration, link, context))
    subject = " / ".join(p[0] for p in parts)
    body = "\n\n―――――――――――――――――――――――――\n\n".join(p[1] for p in parts)
    queue_mail(registration.email, subject, body + "\n", topic=template)


def _render(
    template: str, language: str, registration: Registration, link: str, context: dict[str, object]
) -> tuple[str, str]:
    with force_locale(language):
        rendered = render_template(
            f"mail/{template}.txt",
            registration=registration,
            edition=registration.edition,
            division=registration.division,
            language=language,
            link=link,
            **context,
        ).strip()
    subject, _sep, body = rendered.partition("\n")
    return subject.strip(), body.strip()
