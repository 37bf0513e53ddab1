"""Time, once for the whole app: the clock, Japan time, and dates the way people read them.

`now()` is the clock of a request; tests move it with
`monkeypatch.setattr("app.core.dates.now", ...)`, so callers use `dates.now()`, never a copy.
Moments are stored in UTC and shown in Japan time (the Embassy's courses, deadlines and contest).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_timedelta
from flask_babel import get_locale, get_timezone, ngettext
from flask_babel import gettext as _

from app.core.dbtypes import utcnow

TOKYO = ZoneInfo("Asia/Tokyo")

NAMED_DAYS_UNTIL = 7  # from a week on, the date itself reads better than "in 9 days"


def spoken_date(moment: datetime | None, now: datetime, zone: tzinfo | None = None) -> str:
    """A day relative to `now` in the user's time zone and language: 今日, 明日, 3日後, 12月9日."""
    if moment is None:
        return ""
    zone = zone or get_timezone()
    day = moment.astimezone(zone).date()
    days = (day - now.astimezone(zone).date()).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if 0 < days < NAMED_DAYS_UNTIL:
        return ngettext("in %(num)d day", "in %(num)d days", days)
    if 0 < -days < NAMED_DAYS_UNTIL:
        return ngettext("%(num)d day ago", "%(num)d days ago", -days)
    skeleton = "MMMd" if day.year == now.astimezone(zone).year else "yMMMd"
    return format_skeleton(skeleton, day, locale=str(get_locale() or "ja"))


def minutes_until(moment: datetime, now: datetime) -> int:
    """Whole minutes from `now` to `moment`, rounded up, at least 1: "come back in N minutes"."""
    seconds = (moment - now).total_seconds()
    return max(1, -(-int(seconds) // 60))


def now() -> datetime:
    """The clock of this request, timezone-aware UTC (tests replace it here, in one place)."""
    return utcnow()


def tokyo_to_utc(value: datetime) -> datetime:
    """A moment entered in Japan time (naive or aware) as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=TOKYO)
    return value.astimezone(UTC)


def in_tokyo(value: datetime) -> datetime:
    """A UTC moment in Japan time (aware)."""
    return value.astimezone(TOKYO)


def japan_time(value: datetime | None) -> str:
    """A UTC moment as a Japan-time date and time in the user's language: 2027年5月31日(月) 23:59."""
    if value is None:
        return "—"
    locale = str(get_locale() or "ja")
    day = format_skeleton("yMMMEd", value, tzinfo=TOKYO, locale=locale)
    return f"{day} {format_skeleton('Hm', value, tzinfo=TOKYO, locale=locale)}"


def tokyo_time(value: datetime | None) -> str:
    """A UTC moment as Japan time in figures, for consoles and lists: 2027-05-31 23:59."""
    if value is None:
        return "—"
    return value.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")


def from_now(value: datetime | None) -> str:
    """How far a moment is from now, e.g. "in 3 days" or "5 hours ago"."""
    if value is None:
        return ""
    return format_timedelta(
        value - now(), add_direction=True, threshold=1.0, locale=str(get_locale() or "ja")
    )
