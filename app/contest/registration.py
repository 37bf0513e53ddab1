"""Registration: eligibility, registering, changing and withdrawing, holds, moderation and moves.

Services flush; the view commits once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.auth import services as accounts
from app.auth.models import User, fold
from app.auth.services import normalize_email
from app.contest import eligibility
from app.contest.errors import ContestError, WrongState
from app.contest.judging import JudgingStarted, judging_started
from app.contest.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Division,
    Edition,
    Preliminary,
    Registration,
    Status,
)
from app.contest.notifications import send
from app.contest.seats import (
    confirm,
    expire,
    fill_seats,
    give_seat,
    lock_division,
    place,
    refresh,
    seat_free,
    waitlist,
    waitlist_position,
)
from app.core.dbtypes import utcnow
from app.extensions import db


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
    preliminary = _preliminary(division)
    if preliminary is not None and not preliminary.open(now):
        raise RegistrationClosed()  # its entries are in: nobody joins the preliminary late
    existing = active_registration(edition, email)
    if existing is not None:
        raise AlreadyRegistered(existing)
    problems = eligibility.problems(division, applicant(email, details))
    if problems:
        raise NotEligible(problems)


def _preliminary(division: Division) -> Preliminary | None:
    return db.session.scalar(select(Preliminary).where(Preliminary.division_id == division.id))


class DecidedByPreliminary(ContestError):
    """The division's seats are given by its preliminary round, not by approval."""


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
    preliminary = db.session.scalar(
        select(Preliminary).where(Preliminary.division_id == division.id)
    )
    if preliminary is not None:  # the preliminary decides who gets a seat
        send(registration, "contest_preliminary_received", preliminary=preliminary)
    elif division.requires_moderation:
        send(registration, "contest_received")
    else:
        place(division, registration, now)
    registration.search_key = search_key(registration)
    db.session.flush()
    return registration


def register_with_account(
    edition: Edition,
    division: Division,
    user: User | None,
    details: Details,
    *,
    email: str,
    password: str,
    language: str,
    now: datetime,
) -> Registration:
    """Register, creating the registrant's account in the same step when they have none yet.

    Eligibility is checked before the account is made, so a refusal leaves no account behind;
    an address that already has an account raises `accounts.EmailTaken`: its owner signs in first.
    """
    check_can_register(edition, division, email, details, now)
    if user is None:
        if accounts.get_user_by_email(email) is not None:
            raise accounts.EmailTaken(email)
        user = accounts.create_user(
            email=email,
            password=password,
            display_name=details.full_name,
            name_katakana=details.furigana,
            language=language,
        )
    return register(edition, division, user, details, language=language, now=now)


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
    refresh(registration)
    if not registration.active:
        raise WrongState(registration.status)
    had_seat = registration.status in SEAT_STATUSES
    registration.status = Status.WITHDRAWN
    registration.withdrawn_at = now
    registration.hold_expires_at = None
    db.session.flush()
    send(registration, "contest_withdrawn")
    if had_seat:
        fill_seats(division, now)


def confirm_offer(registration: Registration, *, now: datetime | None = None) -> None:
    """Take the seat offered from the waiting list, while the hold lasts."""
    now = now or utcnow()
    division = lock_division(registration.division_id)
    refresh(registration)
    if registration.status != Status.OFFERED:
        raise WrongState(registration.status)
    if registration.hold_expires_at is not None and registration.hold_expires_at <= now:
        expire(division, [registration], now)
        raise HoldExpired()
    confirm(division, registration, now)
    registration.search_key = search_key(registration)
    db.session.flush()


def approve(registration: Registration, *, now: datetime | None = None) -> None:
    """Accept a registration waiting for moderation: a seat if free, else the waiting list."""
    now = now or utcnow()
    division = lock_division(registration.division_id)
    refresh(registration)
    if registration.status != Status.PENDING:
        raise WrongState(registration.status)
    if _preliminary(division) is not None:
        raise DecidedByPreliminary()
    place(division, registration, now)
    registration.search_key = search_key(registration)
    db.session.flush()


def reject(registration: Registration, reason: str, *, now: datetime | None = None) -> None:
    """Refuse a registration with a reason the registrant is told; a freed seat moves on."""
    now = now or utcnow()
    division = lock_division(registration.division_id)
    refresh(registration)
    if not registration.active:
        raise WrongState(registration.status)
    had_seat = registration.status in SEAT_STATUSES
    registration.status = Status.REJECTED
    registration.rejection_reason = reason.strip()
    registration.hold_expires_at = None
    db.session.flush()
    send(registration, "contest_rejected", reason=registration.rejection_reason)
    if had_seat:
        fill_seats(division, now)


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
    refresh(registration)
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
        if seat_free(target):
            give_seat(target, registration, now)
        else:
            waitlist(target, registration)
    registration.search_key = search_key(registration)
    db.session.flush()
    send(registration, "contest_moved", source=source, position=waitlist_position(registration))
    promoted = fill_seats(source, now) if had_seat else []
    return Move(registration=registration, source=source, promoted=promoted)
