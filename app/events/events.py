"""Events and their sessions: what organizers write, what the public lists."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.dates import tokyo_to_utc
from app.events.models import Event, EventSession, Shift, VolunteerRole
from app.extensions import db


def japan_moment(day: date, at: time) -> datetime:
    """A date and a time of day entered in Japan time, as the UTC moment stored."""
    return tokyo_to_utc(datetime.combine(day, at))


def _with_parts() -> tuple[object, ...]:
    return (
        selectinload(Event.sessions),
        selectinload(Event.roles).selectinload(VolunteerRole.shifts),
    )


def published_events(now: datetime) -> tuple[list[Event], list[Event]]:
    """(upcoming soonest first, past latest first) of the published events."""
    events = db.session.scalars(
        select(Event).where(Event.published.is_(True)).options(*_with_parts())  # type: ignore[arg-type]
    ).all()
    dated = [e for e in events if e.sessions]
    upcoming = sorted((e for e in dated if e.ends_at and e.ends_at > now), key=_start)
    past = sorted((e for e in dated if e.ends_at and e.ends_at <= now), key=_start, reverse=True)
    return upcoming, past


def _start(event: Event) -> datetime:
    assert event.starts_at is not None
    return event.starts_at


def all_events() -> list[Event]:
    """Every event for the organizers' console, latest first."""
    events = db.session.scalars(select(Event).options(*_with_parts())).all()  # type: ignore[arg-type]
    return sorted(events, key=lambda e: (e.starts_at is not None, e.starts_at or e.created_at),
                  reverse=True)  # fmt: skip


def create_event(**values: object) -> Event:
    event = Event(**values)
    db.session.add(event)
    db.session.flush()
    return event


def add_session(
    event: Event,
    *,
    day: date,
    starts: time,
    ends: time,
    venue_name: str,
    venue_address: str = "",
    map_url: str = "",
) -> EventSession:
    """A session on `day` from `starts` to `ends` (Japan time) at a venue."""
    if ends <= starts:
        raise ValueError("a session ends after it starts")
    session = EventSession(
        event=event,
        starts_at=japan_moment(day, starts),
        ends_at=japan_moment(day, ends),
        venue_name=venue_name,
        venue_address=venue_address,
        map_url=map_url,
    )
    db.session.add(session)
    db.session.flush()
    db.session.refresh(event, ["sessions"])
    return session


def remove_session(session: EventSession) -> None:
    event = session.event
    db.session.delete(session)
    db.session.flush()
    db.session.refresh(event, ["sessions"])


def remove_shift(shift: Shift) -> None:
    """Remove a shift (its sign-ups go with it)."""
    db.session.delete(shift)
    db.session.flush()
