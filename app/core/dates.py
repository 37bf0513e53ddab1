"""Time, once for the whole app: the clock, Japan time, and dates the way people read them.

`now()` is the clock of a request; tests move it with
`monkeypatch.setattr("app.core.dates.now", ...)`, so callers use `dates.now()`, never a copy.
Moments are stored in UTC and shown in the reader's time zone (the profile's setting; Japan time for
visitors and by default), named when it isn't Japan time ("20:59 (Bishkek time)") so nobody misreads
a deadline; a day with a bare Japan time of day (a contest's date and start) stays Japan time and
says so for those readers. One family of template filters (registered by `app.core.views`):
`|datetime` (2026年11月25日(水) 23:59 / Wed 25 Nov 2026, 23:59 / 2026-ж., 25-ноябрь, шаршемби
23:59), `|date` (the day alone), `|time` (23:59) and `|relative_date` (今日, 明日, 3日後 / today,
tomorrow, in 3 days / бүгүн, эртең, 3 күндөн кийин).
Machine formats (the `datetime` attribute of <time>, CSV, .ics) stay ISO and don't come from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask import g, has_app_context, has_request_context
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.dbtypes import utcnow

TOKYO = ZoneInfo("Asia/Tokyo")

# How a zone is named beside a time; a zone not listed is named by its IANA key.
ZONE_NAMES = {
    "Asia/Tokyo": _l("Japan time"),
    "Asia/Bishkek": _l("Bishkek time"),
    "UTC": _l("UTC"),
    "Europe/London": _l("London time"),
    "America/New_York": _l("New York time"),
}

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
    # CLDR's own long Kyrgyz date with the weekday written out: its abbreviations (шейш., ишм.,
    # жума unabbreviated) are uneven, and 2026-ж., 4-декабрь, жума is how the Embassy writes.
    "ky": Patterns(day="y-'ж'., d-MMMM, EEEE", time="HH:mm", joiner=" "),
}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale and locale.language in PATTERNS else "ja"


def _patterns() -> Patterns:
    return PATTERNS[_language()]


def zone_of(name: str | None) -> ZoneInfo:
    """The zone called `name` (a user's setting), or Japan time for none or an unknown one."""
    if not name:
        return TOKYO
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return TOKYO


def reader_zone() -> ZoneInfo:
    """The zone moments are shown in: a mail's recipient's (`use_zone`), else the signed-in
    user's, else Japan time."""
    if not has_app_context():
        return TOKYO
    forced = g.get("sabak_zone")
    if forced is not None:
        return forced
    if has_request_context() and current_user and current_user.is_authenticated:
        return zone_of(getattr(current_user, "timezone", None))
    return TOKYO


@contextmanager
def use_zone(name: str | None) -> Iterator[None]:
    """Show moments in the zone `name` inside the block (a mail to someone else, in theirs)."""
    previous = g.get("sabak_zone")
    g.sabak_zone = zone_of(name)
    try:
        yield
    finally:
        g.sabak_zone = previous


def on_japan_time() -> bool:
    """Whether moments are shown in Japan time (a page may then say "Japan time" once)."""
    return reader_zone().key == TOKYO.key


def reader_zone_name() -> str:
    """The reader's zone by name, for a page that says it once beside a time: 日本時間."""
    return zone_name(reader_zone())


def zone_name(zone: ZoneInfo) -> str:
    """How `zone` is named beside a time: ビシュケク時間, Bishkek time."""
    name = ZONE_NAMES.get(zone.key)
    return str(name) if name is not None else zone.key


def _labelled(text: str, zone: ZoneInfo) -> str:
    name = zone_name(zone)
    return f"{text}（{name}）" if _language() == "ja" else f"{text} ({name})"


def _wants_label(label: bool | None) -> bool:
    """Name the zone when asked to, or (by default) when the reader isn't on Japan time."""
    return label if label is not None else not on_japan_time()


def _reader_day(value: date | datetime) -> date:
    return value.astimezone(reader_zone()).date() if isinstance(value, datetime) else value


def format_date(value: date | datetime | None) -> str:
    """A day in the reader's language, a moment's day in the reader's zone: 2026年11月25日(水),
    Wed 25 Nov 2026."""
    if value is None:
        return NO_MOMENT
    language = _language()
    return _format_day(_reader_day(value), PATTERNS[language].day, language)


@lru_cache(maxsize=4096)
def _format_day(day: date, pattern: str, language: str) -> str:
    """Babel's format_date, kept: a day is written alike for every reader of a language (a
    dashboard's calendar writes 180 of them; Babel takes ~20 µs a day)."""
    return babel_format_date(day, pattern, locale=language)


def day_formatter() -> Callable[[date], str]:
    """`format_date` for many days of one page (a calendar's 180): the reader's language looked
    up once, not once a day."""
    language = _language()
    pattern = PATTERNS[language].day
    return lambda day: _format_day(day, pattern, language)


def format_time(value: time | datetime | None, *, label: bool | None = None) -> str:
    """A time of day, a moment's in the reader's zone and named when it isn't Japan time: 23:59,
    20:59 (Bishkek time); a bare `time` is a Japan time of day, named so for those readers.
    `label=True` names the zone for every reader, `False` for none (the start of a range whose end
    names it)."""
    if value is None:
        return NO_MOMENT
    zone = reader_zone() if isinstance(value, datetime) else TOKYO
    if isinstance(value, datetime):
        value = value.astimezone(zone).time()
    text = babel_format_time(value, _patterns().time, locale=_language())
    return _labelled(text, zone) if _wants_label(label) else text


def format_datetime(
    value: date | datetime | None, at: time | None = None, *, label: bool | None = None
) -> str:
    """A moment in the reader's zone: 2026年11月25日(水) 23:59, Wed 25 Nov 2026, 20:59 (Bishkek
    time); a day with its Japan time of day kept apart (a contest's date and start) joins `at` and
    stays Japan time (named so for readers elsewhere), or stays a day without. `label` as for
    `format_time`."""
    if value is None:
        return NO_MOMENT
    if not isinstance(value, datetime):
        if at is None:
            return format_date(value)
        day = babel_format_date(value, _patterns().day, locale=_language())
        clock = babel_format_time(at, _patterns().time, locale=_language())
        text = f"{day}{_patterns().joiner}{clock}"
        return _labelled(text, TOKYO) if _wants_label(label) else text
    zone = reader_zone()
    local = value.astimezone(zone)
    text = (
        f"{babel_format_date(local.date(), _patterns().day, locale=_language())}"
        f"{_patterns().joiner}{babel_format_time(local.time(), _patterns().time, locale=_language())}"
    )
    return _labelled(text, zone) if _wants_label(label) else text


def relative_date(
    value: date | datetime | None, at: datetime | None = None, *, always: bool = False
) -> str:
    """A day relative to today (or `at`) in the reader's zone: 今日, 明日, 3日後, 昨日; from a week away the date,
    unless `always` (beside a date already shown, "in 12 days" says what the date doesn't)."""
    if value is None:
        return ""
    days = (_reader_day(value) - _reader_day(at or now())).days
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
