"""Calendar files (.ics) with `icalendar`: one shared way to write a calendar and its entries.

Moments go in as UTC (calendars show them in the reader's time); a day without a time is an
all-day entry.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Response
from icalendar import Calendar
from icalendar import Event as CalendarEvent

PRODID = "-//Embassy of the Kyrgyz Republic in Japan//Sabak//EN"


def new_calendar(name: str) -> Calendar:
    """An empty calendar named `name` (the name calendar apps show for a subscription)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def calendar_entry(
    uid: str,
    summary: str,
    starts: datetime | date,
    ends: datetime | date | None,
    location: str,
    url: str,
    now: datetime,
    description: str = "",
) -> CalendarEvent:
    """One VEVENT; `uid` must stay the same for the same thing, so a calendar updates it."""
    entry = CalendarEvent()
    entry.add("uid", uid)
    entry.add("dtstamp", now)
    entry.add("dtstart", starts)
    if ends is not None:
        entry.add("dtend", ends)
    entry.add("summary", summary)
    if location:
        entry.add("location", location)
    if description:
        entry.add("description", description)
    if url:
        entry.add("url", url)
    return entry


def ics_response(data: bytes, filename: str, *, private: bool = False) -> Response:
    """A calendar file; a person's own entries are never kept by a shared cache."""
    return Response(
        data,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store" if private else "public, max-age=300",
        },
    )
