"""Seats and the waiting list: every change to who holds a seat happens under the division's lock.

`lock_division` locks the division's row, so counting the seats and taking one is atomic on
PostgreSQL and SQLite alike. Services flush; the view commits once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from app.contest.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Division,
    Edition,
    Registration,
    Status,
)
from app.contest.notifications import send
from app.core.dbtypes import utcnow
from app.extensions import db


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


def refresh(registration: Registration) -> Registration:
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


def seat_free(division: Division) -> bool:
    """A seat is free and nobody waits for it (division locked)."""
    return _seats_taken(division) < division.capacity and not _anyone_waiting(division)


def give_seat(division: Division, registration: Registration, now: datetime) -> None:
    """A seat and the next participant number of the division's series (division locked)."""
    division.numbers_issued += 1
    registration.status = Status.CONFIRMED
    registration.participant_number = (
        f"{division.edition.year}-{division.letter}-{division.numbers_issued:03d}"
    )
    registration.confirmed_at = now
    registration.hold_expires_at = None
    registration.waitlist_seq = None


def confirm(division: Division, registration: Registration, now: datetime) -> None:
    """Give a seat and the next participant number, and tell the registrant (division locked)."""
    give_seat(division, registration, now)
    send(registration, "contest_confirmed")


def waitlist(division: Division, registration: Registration) -> None:
    """Put at the end of the waiting list (division locked)."""
    division.waitlist_issued += 1
    registration.status = Status.WAITLISTED
    registration.waitlist_seq = division.waitlist_issued


def place(division: Division, registration: Registration, now: datetime) -> None:
    """Confirm if a seat is free and nobody is ahead in the queue, else waiting list."""
    if seat_free(division):
        confirm(division, registration, now)
    else:
        waitlist(division, registration)
        db.session.flush()
        send(registration, "contest_waitlisted", position=waitlist_position(registration))


def fill_seats(division: Division, now: datetime) -> list[Registration]:
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
        send(registration, "contest_promoted")
    db.session.flush()
    return promoted


def expire(division: Division, registrations: Iterable[Registration], now: datetime) -> int:
    count = 0
    for registration in registrations:
        registration.status = Status.EXPIRED
        registration.hold_expires_at = None
        send(registration, "contest_hold_expired")
        count += 1
    db.session.flush()
    fill_seats(division, now)
    return count


def next_hold_expiry() -> datetime | None:
    """When the next seat on hold passes on (a page showing seats is stale after it)."""
    return db.session.scalar(
        select(func.min(Registration.hold_expires_at)).where(Registration.status == Status.OFFERED)
    )


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
            expired += expire(division, due, now)
    return expired


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
    return fill_seats(division, now)
