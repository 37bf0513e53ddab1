"""Calendar files (.ics): an event's sessions, the feed of every event, a volunteer's shifts; their
entries are also the events' part of a person's calendar feed (`app/calendar`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from icalendar import Event as CalendarEvent

from app.core.calendar import calendar_entry as _entry
from app.core.calendar import new_calendar as _calendar
from app.events.models import Event, ShiftSignup


def session_entries(event: Event, *, language: str, url: str, now: datetime) -> list[CalendarEvent]:
    """One VEVENT per session of `event`, in UTC (calendars show it in local time)."""
    return [
        _entry(
            f"event-session-{session.id}@sabak",
            event.title(language),
            session.starts_at,
            session.ends_at,
            ", ".join(p for p in (session.venue_name, session.venue_address) if p),
            url,
            now,
        )
        for session in event.sessions
    ]


def shift_entry(signup: ShiftSignup, *, language: str, url: str, now: datetime) -> CalendarEvent:
    """A volunteer's shift: role and event, from its start to its end, at the event's venue."""
    shift = signup.shift
    event = shift.event
    session = event.sessions[0] if event.sessions else None
    return _entry(
        f"volunteer-shift-{shift.id}-{signup.user_id}@sabak",
        f"{shift.role.name(language)} — {event.title(language)}",
        shift.starts_at,
        shift.ends_at,
        session.venue_name if session else "",
        url,
        now,
    )


def events_ics(
    events: Iterable[Event], *, name: str, language: str, url_of: dict[int, str], now: datetime
) -> bytes:
    """One VEVENT per session of each event."""
    calendar = _calendar(name)
    for event in events:
        for entry in session_entries(
            event, language=language, url=url_of.get(event.id, ""), now=now
        ):
            calendar.add_component(entry)
    return calendar.to_ical()


def shifts_ics(signups: Iterable[ShiftSignup], *, name: str, language: str, url: str,
               now: datetime) -> bytes:  # fmt: skip
    """A volunteer's shifts, one VEVENT each."""
    calendar = _calendar(name)
    for signup in signups:
        calendar.add_component(shift_entry(signup, language=language, url=url, now=now))
    return calendar.to_ical()
