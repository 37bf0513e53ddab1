"""Volunteers: shifts filled without overbooking, withdrawal until a deadline, the roster,
check-in and hours on the day, and finding volunteers (course students first).

A sign-up counts and takes a place with the shift's row locked (`locks.lock_row`), so fifty
people pressing the button at once for a three-person shift leave exactly three on it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User, fold
from app.core.i18n import mail_languages
from app.core.mail import queue_template_mail
from app.events.errors import (
    AlreadySignedUp,
    ShiftClosed,
    ShiftFull,
    TooLateToWithdraw,
)
from app.events.locks import lock_row
from app.events.models import Event, Shift, ShiftSignup, SignupStatus, VolunteerRole
from app.events.notifications import mail_context, send_signup
from app.extensions import db
from app.lessons.models import CourseClass, Enrollment


def filled(shift_ids: list[int]) -> dict[int, int]:
    """Shift id → confirmed volunteers, in one query."""
    if not shift_ids:
        return {}
    rows = db.session.execute(
        select(ShiftSignup.shift_id, func.count())
        .where(ShiftSignup.shift_id.in_(shift_ids), ShiftSignup.status == SignupStatus.CONFIRMED)
        .group_by(ShiftSignup.shift_id)
    ).all()
    return {shift_id: count for shift_id, count in rows}


def event_shifts(event: Event) -> list[Shift]:
    return [shift for role in event.roles for shift in role.shifts]


def open_places(events: list[Event]) -> dict[int, int]:
    """Event id → how many volunteers it still needs across its shifts (one query)."""
    shifts = [shift for event in events for shift in event_shifts(event)]
    counts = filled([s.id for s in shifts])
    places = {event.id: 0 for event in events}
    for shift in shifts:
        places[shift.event_id] += max(0, shift.needed - counts.get(shift.id, 0))
    return places


def withdraw_deadline(shift: Shift) -> datetime:
    return shift.starts_at - timedelta(hours=shift.event.withdraw_hours)


def signup_of(shift: Shift, user: User) -> ShiftSignup | None:
    return db.session.scalar(
        select(ShiftSignup).where(
            ShiftSignup.shift_id == shift.id,
            ShiftSignup.user_id == user.id,
            ShiftSignup.status == SignupStatus.CONFIRMED,
        )
    )


def sign_up(shift: Shift, user: User, now: datetime) -> ShiftSignup:
    """Put the user on the shift if it still needs someone; mail them the details."""
    if not shift.event.published or now >= shift.starts_at:
        raise ShiftClosed()
    shift = lock_row(Shift, shift.id, Shift.needed)
    if signup_of(shift, user) is not None:
        raise AlreadySignedUp()
    if filled([shift.id]).get(shift.id, 0) >= shift.needed:
        raise ShiftFull()
    signup = ShiftSignup(
        shift=shift, event_id=shift.event_id, user_id=user.id, user=user, created_at=now
    )
    db.session.add(signup)
    db.session.flush()
    send_signup(signup, "events_shift_confirmed")
    return signup


def withdraw(signup: ShiftSignup, now: datetime) -> None:
    """Leave a shift until its deadline; after it the volunteer writes to the organizers."""
    if signup.status != SignupStatus.CONFIRMED:
        return
    if now >= withdraw_deadline(signup.shift):
        raise TooLateToWithdraw()
    signup.status = SignupStatus.WITHDRAWN
    signup.withdrawn_at = now
    db.session.flush()
    send_signup(signup, "events_shift_withdrawn")


def my_signups(user: User) -> list[ShiftSignup]:
    """The user's confirmed shifts, soonest first."""
    return list(
        db.session.scalars(
            select(ShiftSignup)
            .join(Shift, Shift.id == ShiftSignup.shift_id)
            .where(ShiftSignup.user_id == user.id, ShiftSignup.status == SignupStatus.CONFIRMED)
            .options(
                selectinload(ShiftSignup.shift).selectinload(Shift.role),
                selectinload(ShiftSignup.shift)
                .selectinload(Shift.event)
                .selectinload(Event.sessions),
            )
            .order_by(Shift.starts_at)
        )
    )


@dataclass(frozen=True)
class VolunteerEvent:
    """One event a volunteer gave time to: their shifts there and the hours recorded."""

    event: Event
    signups: list[ShiftSignup]
    minutes: int


def volunteer_record(user: User) -> list[VolunteerEvent]:
    """The user's events as a volunteer, latest first, with their hours."""
    by_event: dict[int, list[ShiftSignup]] = defaultdict(list)
    for signup in my_signups(user):
        by_event[signup.event_id].append(signup)
    record = [
        VolunteerEvent(
            event=signups[0].shift.event,
            signups=signups,
            minutes=sum(s.minutes or 0 for s in signups),
        )
        for signups in by_event.values()
    ]
    return sorted(record, key=lambda r: r.signups[0].shift.starts_at, reverse=True)


def roster(event: Event) -> dict[int, list[ShiftSignup]]:
    """Shift id → its confirmed volunteers, for the organizers' roster."""
    signups = db.session.scalars(
        select(ShiftSignup)
        .where(ShiftSignup.event_id == event.id, ShiftSignup.status == SignupStatus.CONFIRMED)
        .options(selectinload(ShiftSignup.user))
        .order_by(ShiftSignup.created_at, ShiftSignup.id)
    )
    by_shift: dict[int, list[ShiftSignup]] = defaultdict(list)
    for signup in signups:
        by_shift[signup.shift_id].append(signup)
    return by_shift


def check_in(signup: ShiftSignup, by: User, now: datetime) -> bool:
    """Record the volunteer's arrival; False if they were already checked in."""
    if signup.checked_in_at is not None:
        return False
    signup.checked_in_at = now
    signup.checked_in_by_id = by.id
    db.session.flush()
    return True


def record_minutes(signup: ShiftSignup, minutes: int, by: User, now: datetime) -> None:
    """Record the time the volunteer gave (which implies they came)."""
    if not 0 <= minutes <= 24 * 60:
        raise ValueError("minutes out of range")
    check_in(signup, by, now)
    signup.minutes = minutes
    db.session.flush()


@dataclass(frozen=True)
class Candidate:
    """A person organizers might ask to volunteer; course students come first."""

    user: User
    course_student: bool


def candidates(query: str, limit: int = 30) -> list[Candidate]:
    """Signed-up users matching a name or address, course students (enrolled in a class) first."""
    enrolled = select(Enrollment.user_id).distinct()
    stmt = select(User, User.id.in_(enrolled).label("student")).where(User.active.is_(True))
    if query.strip():
        stmt = stmt.where(User.search_key.contains(fold(query.strip()), autoescape=True))
    rows = db.session.execute(
        stmt.order_by(User.id.in_(enrolled).desc(), User.display_name).limit(limit)
    ).all()
    return [Candidate(user, bool(student)) for user, student in rows]


def class_choices() -> list[CourseClass]:
    """The classes whose students organizers may call on, by name."""
    return list(db.session.scalars(select(CourseClass).order_by(CourseClass.name)))


def call_class(event: Event, course_class: CourseClass, note: str) -> int:
    """Mail every student of a class the shifts that still need people; returns how many."""
    shifts = event_shifts(event)
    counts = filled([s.id for s in shifts])
    gaps = [(s, s.needed - counts.get(s.id, 0)) for s in shifts if s.needed > counts.get(s.id, 0)]
    students = db.session.scalars(
        select(User)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.class_id == course_class.id, User.active.is_(True))
        .order_by(User.id)
    ).all()
    with mail_context():
        link = url_for("events.event", event_id=event.id, _external=True)
        for student in students:
            languages = mail_languages(student.language)
            queue_template_mail(
                student.email,
                "events_call_for_volunteers",
                language=languages,
                timezone=student.timezone,
                event=event,
                gaps=gaps,
                note=note.strip(),
                name=student.display_name,
                link=link,
                topic="events_call",
            )
    return len(students)


def add_role(event: Event, **values: str) -> VolunteerRole:
    role = VolunteerRole(event=event, position=len(event.roles), **values)
    db.session.add(role)
    db.session.flush()
    return role


def add_shift(role: VolunteerRole, starts_at: datetime, ends_at: datetime, needed: int) -> Shift:
    shift = Shift(role=role, event_id=role.event_id, starts_at=starts_at, ends_at=ends_at,
                  needed=needed)  # fmt: skip
    db.session.add(shift)
    db.session.flush()
    return shift
