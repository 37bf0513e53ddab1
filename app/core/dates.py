"""Dates the way people say them: today, tomorrow, in 3 days, 2 days ago, Dec 9; never seconds."""

from __future__ import annotations

from datetime import datetime, tzinfo

from babel.dates import format_skeleton
from flask_babel import get_locale, get_timezone, ngettext
from flask_babel import gettext as _

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
