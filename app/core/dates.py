"""Time, once for the whole app: the clock, Japan time, and dates the way people read them.

`now()` is the clock of a request; tests move it with
`monkeypatch.setattr("app.core.dates.now", ...)`, so callers use `dates.now()`, never a copy.
Moments are stored in UTC and shown in Japan time (the Embassy's courses, deadlines and contest),
in one way per language, through one family of template filters (registered by `app.core.views`):
`|datetime` (2026年11月25日(水) 23:59 / Wed 25 Nov 2026, 23:59), `|date` (the day alone),
`|time` (23:59) and `|relative_date` (今日, 明日, 3日後 / today, tomorrow, in 3 days).
Machine formats (the `datetime` attribute of <time>, CSV, .ics) stay ISO and don't come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.core.dbtypes import utcnow

TOKYO = ZoneInfo("Asia/Tokyo")

NAMED_DAYS_UNTIL = 7  # from a week on, the date itself reads better than "in 9 days"
NO_MOMENT = "—"


@dataclass(frozen=True)
class Patterns:
    """How one language writes a day and a time of day (CLDR patterns)."""

    day: str
    time: str
    joiner: str


PATTERNS = {
    "ja": Patterns(day="y年M月d日(E)", time="H:mm", joiner=" "),
    "en": Patterns(day="EEE d MMM y", time="HH:mm", joiner=", "),
}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale and locale.language in PATTERNS else "ja"


def _patterns() -> Patterns:
    return PATTERNS[_language()]


def _tokyo_day(value: date | datetime) -> date:
    return value.astimezone(TOKYO).date() if isinstance(value, datetime) else value


def format_date(value: date | datetime | None) -> str:
    """A day in the reader's language, a moment's day in Japan: 2026年11月25日(水), Wed 25 Nov 2026."""
    if value is None:
        return NO_MOMENT
    return babel_format_date(_tokyo_day(value), _patterns().day, locale=_language())


def format_time(value: time | datetime | None) -> str:
    """A time of day, a moment's in Japan: 23:59 (a bare `time` is already Japan time)."""
    if value is None:
        return NO_MOMENT
    if isinstance(value, datetime):
        value = value.astimezone(TOKYO).time()
    return babel_format_time(value, _patterns().time, locale=_language())


def format_datetime(value: date | datetime | None, at: time | None = None) -> str:
    """A moment in Japan time: 2026年11月25日(水) 23:59, Wed 25 Nov 2026, 23:59; a day with its
    Japan time of day kept apart (a contest's date and start) joins `at`, or stays a day without."""
    if value is None:
        return NO_MOMENT
    if not isinstance(value, datetime):
        if at is None:
            return format_date(value)
        value = datetime.combine(value, at, tzinfo=TOKYO)
    return f"{format_date(value)}{_patterns().joiner}{format_time(value)}"


def relative_date(
    value: date | datetime | None, at: datetime | None = None, *, always: bool = False
) -> str:
    """A day relative to today (or `at`) in Japan: 今日, 明日, 3日後, 昨日; from a week away the date,
    unless `always` (beside a date already shown, "in 12 days" says what the date doesn't)."""
    if value is None:
        return ""
    days = (_tokyo_day(value) - _tokyo_day(at or now())).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if not always and abs(days) >= NAMED_DAYS_UNTIL:
        return format_date(value)
    if days > 0:
        return ngettext("in %(num)d day", "in %(num)d days", days)
    return ngettext("%(num)d day ago", "%(num)d days ago", -days)


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
