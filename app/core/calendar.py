"""Calendar files (.ics) with `icalendar`: one shared way to write a calendar and its entries.

Moments go in as UTC (calendars show them in the reader's time); a day without a time is an
all-day entry.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Response
from icalendar import Calendar, vDuration
from icalendar import Event as CalendarEvent

PRODID = "-//Embassy of the Kyrgyz Republic in Japan//Sabak//EN"


def new_calendar(name: str, *, refresh: timedelta | None = None) -> Calendar:
    """An empty calendar named `name` (the name calendar apps show for a subscription); a
    subscribed feed says how often to fetch it again with `refresh`."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
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


def ics_response(
    data: bytes, filename: str, *, private: bool = False, subscription: bool = False
) -> Response:
    """A calendar file; a person's own entries are never kept by a shared cache. A subscription
    (a feed a calendar app fetches again and again) is served inline rather than as a download."""
    disposition = "inline" if subscription else "attachment"
    return Response(
        data,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "private, no-store" if private else "public, max-age=300",
        },
    )
