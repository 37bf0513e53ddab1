"""Calendar files (.ics): an event's sessions, the feed of every event, a volunteer's shifts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.core.calendar import calendar_entry as _entry
from app.core.calendar import new_calendar as _calendar
from app.events.models import Event, ShiftSignup


def events_ics(
    events: Iterable[Event], *, name: str, language: str, url_of: dict[int, str], now: datetime
) -> bytes:
    """One VEVENT per session of each event, in UTC (calendars show it in local time)."""
    calendar = _calendar(name)
    for event in events:
        for session in event.sessions:
            location = ", ".join(p for p in (session.venue_name, session.venue_address) if p)
            calendar.add_component(
                _entry(
                    f"event-session-{session.id}@sabak",
                    event.title(language),
                    session.starts_at,
                    session.ends_at,
                    location,
                    url_of.get(event.id, ""),
                    now,
                )
            )
    return calendar.to_ical()


def shifts_ics(signups: Iterable[ShiftSignup], *, name: str, language: str, url: str,
               now: datetime) -> bytes:  # fmt: skip
    """A volunteer's shifts, one VEVENT each."""
    calendar = _calendar(name)
    for signup in signups:
        shift = signup.shift
        event = shift.event
        session = event.sessions[0] if event.sessions else None
        calendar.add_component(
            _entry(
                f"volunteer-shift-{shift.id}-{signup.user_id}@sabak",
                f"{shift.role.name(language)} — {event.title(language)}",
                shift.starts_at,
                shift.ends_at,
                session.venue_name if session else "",
                url,
                now,
            )
        )
    return calendar.to_ical()
