"""Seats for the public: reservations without overbooking, the waiting list, check-in at the door.

Every change to who holds a seat happens with the event's row locked (`locks.lock_row`), so
counting the seats and taking one is atomic; services flush, the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.events.errors import AlreadyReserved, NotAttending, NotTakingReservations
from app.events.locks import lock_row
from app.events.models import Attendance, AttendanceStatus, Event, EventSession
from app.events.notifications import send_attendance
from app.extensions import db


@dataclass(frozen=True)
class Seats:
    """The seats of an event: how many, how many taken, how many people wait."""

    capacity: int
    taken: int
    waiting: int

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.taken)


def seats(event: Event) -> Seats | None:
    """The seat counts in one query; None when the event takes no reservations."""
    if event.capacity is None:
        return None
    rows = db.session.execute(
        select(Attendance.status, func.count())
        .where(Attendance.event_id == event.id)
        .group_by(Attendance.status)
    ).all()
    counts = {status: count for status, count in rows}
    return Seats(
        event.capacity,
        counts.get(AttendanceStatus.CONFIRMED, 0),
        counts.get(AttendanceStatus.WAITLISTED, 0),
    )


def reservations_open(event: Event, now: datetime) -> bool:
    """Published, with seats, and not begun yet."""
    starts = event.starts_at
    return event.published and event.capacity is not None and starts is not None and now < starts


def _lock(event: Event) -> Event:
    return lock_row(Event, event.id, Event.waitlist_issued)


def _taken(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                Attendance.event_id == event.id, Attendance.status == AttendanceStatus.CONFIRMED
            )
        )
        or 0
    )


def _waiting_exists(event: Event) -> bool:
    first = select(Attendance.id).where(
        Attendance.event_id == event.id, Attendance.status == AttendanceStatus.WAITLISTED
    )
    return db.session.scalar(first.limit(1)) is not None


def reserve(
    event: Event, *, name: str, email: str, language: str, user: User | None, now: datetime
) -> Attendance:
    """A seat if one is free and nobody waits for it, else a place on the waiting list."""
    if not reservations_open(event, now):
        raise NotTakingReservations()
    event = _lock(event)
    email = email.strip().lower()
    active = select(Attendance.id).where(
        Attendance.event_id == event.id,
        Attendance.email == email,
        Attendance.status.in_([AttendanceStatus.CONFIRMED, AttendanceStatus.WAITLISTED]),
    )
    if db.session.scalar(active) is not None:
        raise AlreadyReserved()
    attendance = Attendance(
        event=event, name=name.strip(), email=email, language=language, created_at=now
    )
    if user is not None:
        attendance.user_id = user.id
    assert event.capacity is not None
    if _taken(event) < event.capacity and not _waiting_exists(event):
        attendance.status = AttendanceStatus.CONFIRMED
        template = "events_reserved"
    else:
        event.waitlist_issued += 1
        attendance.status = AttendanceStatus.WAITLISTED
        attendance.waitlist_seq = event.waitlist_issued
        template = "events_waitlisted"
    db.session.add(attendance)
    db.session.flush()
    send_attendance(attendance, template)
    return attendance


def cancel(attendance: Attendance, now: datetime) -> list[Attendance]:
    """Give up a seat (or a place in the queue); a freed seat goes to the first who waits."""
    event = _lock(attendance.event)
    db.session.refresh(attendance)
    if attendance.status == AttendanceStatus.CANCELLED:
        return []
    attendance.status = AttendanceStatus.CANCELLED
    attendance.cancelled_at = now
    attendance.waitlist_seq = None
    db.session.flush()
    send_attendance(attendance, "events_cancelled")
    return fill_seats(event)


def fill_seats(event: Event) -> list[Attendance]:
    """Free seats go to the waiting list in order, each told by mail (event locked)."""
    free = (event.capacity or 0) - _taken(event)
    if free <= 0:
        return []
    promoted = list(
        db.session.scalars(
            select(Attendance)
            .where(
                Attendance.event_id == event.id, Attendance.status == AttendanceStatus.WAITLISTED
            )
            .order_by(Attendance.waitlist_seq)
            .limit(free)
        )
    )
    for attendance in promoted:
        attendance.status = AttendanceStatus.CONFIRMED
        attendance.waitlist_seq = None
        send_attendance(attendance, "events_promoted")
    db.session.flush()
    return promoted


def set_capacity(event: Event, capacity: int | None) -> list[Attendance]:
    """Change the seats; more seats go to the waiting list, fewer remove nobody."""
    event = _lock(event)
    event.capacity = capacity
    db.session.flush()
    return fill_seats(event) if capacity is not None else []


def attendance_by_ticket(secret: str) -> Attendance | None:
    """The reservation whose QR ticket holds `secret`."""
    return db.session.scalar(
        select(Attendance)
        .where(Attendance.ticket_secret == secret)
        .options(selectinload(Attendance.event))
    )


def attendances(event: Event, query: str = "") -> list[Attendance]:
    """The event's active reservations (seats first, then the waiting list), optionally by name."""
    stmt = select(Attendance).where(
        Attendance.event_id == event.id,
        Attendance.status.in_([AttendanceStatus.CONFIRMED, AttendanceStatus.WAITLISTED]),
    )
    if query.strip():
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(func.lower(Attendance.name).like(like) | Attendance.email.like(like))
    return list(
        db.session.scalars(stmt.order_by(Attendance.status, Attendance.waitlist_seq, Attendance.id))
    )


def check_in(attendance: Attendance, by: User, now: datetime) -> bool:
    """Record arrival; True if newly checked in, False if already (scanning twice is harmless)."""
    if attendance.status != AttendanceStatus.CONFIRMED:
        raise NotAttending()
    if attendance.checked_in_at is not None:
        return False
    attendance.checked_in_at = now
    attendance.checked_in_by_id = by.id
    db.session.flush()
    return True


def prune_visitors_reservations(now: datetime, keep_days: int) -> int:
    """Delete the reservations made without an account (a name and an e-mail address) for events
    whose last session ended more than `keep_days` ago, as the privacy policy promises; an
    account holder's stay until they delete the account. Returns how many were deleted; run
    twice, or on two hosts at once, the second deletes nothing."""
    ended = (
        select(EventSession.event_id)
        .group_by(EventSession.event_id)
        .having(func.max(EventSession.ends_at) < now - timedelta(days=keep_days))
    )
    result = db.session.execute(
        delete(Attendance)
        .where(Attendance.user_id.is_(None), Attendance.event_id.in_(ended))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
