"""The student's activity day by day: the streak, quiz accuracy by week, the activity calendar.

Activity is counted per calendar day in the student's time zone, and the grouping by day runs in
SQL, so a student with 10,000 answers costs one row per active day, not one per answer.
Every moment is converted with the zone's own rules, daylight saving time included: PostgreSQL
with `timezone(zone, moment)`, SQLite (which has no time-zone database) with the `local_date`
function app/extensions.py gives each of its connections.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from app.auth.models import User
from app.core.dbtypes import UTCDateTime
from app.extensions import db
from app.lessons.models import LessonProgress
from app.progress.models import Submission, SubmissionVersion
from app.quizzes import scheduling
from app.quizzes.models import Answer

ACCURACY_WEEKS = 12
HEATMAP_WEEKS = 26
# the lower bound of each colour step of the calendar: 1-9, 10-24, 25-49, 50+ activities a day
HEAT_STEPS = (1, 10, 25, 50)


# --- days in the student's time zone ---------------------------------------------------------


def local_date(column: Any, tz: ZoneInfo) -> ColumnElement[Any]:
    """SQL for the calendar day a UTC moment falls on in `tz` (exact on both databases)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return cast(func.timezone(literal(tz.key), column), Date)
    return func.local_date(column, tz.key)


def _as_date(value: date | str) -> date:
    """PostgreSQL returns dates, SQLite ISO strings."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def week_start(day: date) -> date:
    """The Monday of the week `day` is in (weeks run Monday to Sunday, as in ISO 8601)."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class DayActivity:
    """What the student did on one day: activities (answers, lessons done, submissions), and
    of the answers how many were correct."""

    day: date
    count: int
    answers: int
    correct: int


# What activity_by_day reads, built once per database kind: building a statement costs more
# than running it. Each moment is first put in its quarter hour in SQL (on SQLite, where the day
# needs a Python function, that runs once per quarter hour with activity, not once per answer):
# every time zone's offset, and every change of it, is a whole number of quarter hours, so all the
# moments of a quarter hour fall on one calendar day.
_ACTIVITY_STATEMENTS: dict[str, Select[Any]] = {}
# Any moment a student could have done something after.
EVER = datetime(2000, 1, 1, tzinfo=UTC)


def _activity_statement(dialect: str) -> Select[Any]:
    statement = _ACTIVITY_STATEMENTS.get(dialect)
    if statement is not None:
        return statement
    answers_t = Answer.__table__
    progress_t = LessonProgress.__table__
    versions_t = SubmissionVersion.__table__
    submissions_t = Submission.__table__
    user_id = bindparam("user_id", type_=Integer)
    since = bindparam("since", type_=UTCDateTime())
    zero = literal(0, Integer)
    events = union_all(
        select(
            answers_t.c.answered_at.label("moment"),
            literal(1, Integer).label("answered"),
            case((answers_t.c.status == "correct", 1), else_=0).label("correct"),
        ).where(answers_t.c.user_id == user_id, answers_t.c.answered_at >= since),
        select(
            progress_t.c.completed_at.label("moment"), zero.label("answered"), zero.label("correct")
        ).where(progress_t.c.user_id == user_id, progress_t.c.completed_at >= since),
        select(
            versions_t.c.submitted_at.label("moment"), zero.label("answered"), zero.label("correct")
        )
        .join(submissions_t, submissions_t.c.id == versions_t.c.submission_id)
        .where(submissions_t.c.student_id == user_id, versions_t.c.submitted_at >= since),
    ).subquery()
    zone = bindparam("zone", type_=String)
    if dialect == "postgresql":
        day: ColumnElement[Any] = cast(func.timezone(zone, events.c.moment), Date)
        statement = select(
            day.label("day"),
            func.count(),
            func.sum(events.c.answered),
            func.sum(events.c.correct),
        ).group_by(day)
    else:
        # stored as "YYYY-MM-DD HH:MM:SS.ffffff": the quarter hour as "YYYY-MM-DD HH:MM"
        minute = func.substr(events.c.moment, 15, 2, type_=String)
        quarter = func.substr(events.c.moment, 1, 14, type_=String) + case(
            (minute < "15", "00"), (minute < "30", "15"), (minute < "45", "30"), else_="45"
        )
        quarters = (
            select(
                quarter.label("quarter"),
                func.count().label("events"),
                func.sum(events.c.answered).label("answered"),
                func.sum(events.c.correct).label("correct"),
            )
            .group_by(quarter)
            .subquery()
        )
        day = func.local_date(quarters.c.quarter, zone)
        statement = select(
            day.label("day"),
            func.sum(quarters.c.events),
            func.sum(quarters.c.answered),
            func.sum(quarters.c.correct),
        ).group_by(day)
    _ACTIVITY_STATEMENTS[dialect] = statement
    return statement


def activity_by_day(
    user: User, now: datetime, *, since: date | None = None
) -> dict[date, DayActivity]:
    """Every day the student was active, with counts (one GROUP BY query over a UNION ALL); with
    `since`, only the days from that one on, which costs what those days hold whatever came
    before."""
    tz = scheduling.zone(user.timezone)
    start = EVER if since is None else datetime.combine(since, time(0), tzinfo=tz)
    rows = db.session.execute(
        _activity_statement(db.session.get_bind().dialect.name),
        {"user_id": user.id, "since": start, "zone": tz.key},
    )
    result = {}
    for raw_day, count, answered, correct in rows:
        day = _as_date(raw_day)
        result[day] = DayActivity(day, int(count), int(answered or 0), int(correct or 0))
    return result


# --- the streak ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Streak:
    """Consecutive active days up to today, or up to yesterday while today is still open."""

    current: int
    longest: int
    active_today: bool

    @property
    def pending_today(self) -> bool:
        """The streak lives on if the student does something today (Duolingo's nudge)."""
        return self.current > 0 and not self.active_today


def streak(days: Iterable[date], today: date) -> Streak:
    """The current and the longest run of consecutive active days."""
    active = set(days)
    active_today = today in active
    current = 0
    day = today if active_today else today - timedelta(days=1)
    while day in active:
        current += 1
        day -= timedelta(days=1)
    longest = 0
    for start in active:
        if start - timedelta(days=1) in active:
            continue  # not the first day of a run
        length = 1
        while start + timedelta(days=length) in active:
            length += 1
        longest = max(longest, length)
    return Streak(current=current, longest=longest, active_today=active_today)


# The home page's streak reads this many days back; a run reaching that far reads every day.
STREAK_WINDOW_DAYS = 31


def current_streak(user: User, now: datetime) -> Streak:
    """The streak as of `now` from the last STREAK_WINDOW_DAYS days (one query, whatever the
    student's history; a run as long as the window takes a second, over every day). Its
    `longest` is the longest run of the days read."""
    today = scheduling.local_day(now, user.timezone)
    since = today - timedelta(days=STREAK_WINDOW_DAYS)
    result = streak(activity_by_day(user, now, since=since), today)
    last = today if result.active_today else today - timedelta(days=1)
    if result.current and last - timedelta(days=result.current - 1) <= since:
        result = streak(activity_by_day(user, now), today)
    return result


# --- quiz accuracy by week -------------------------------------------------------------------


@dataclass(frozen=True)
class WeekAccuracy:
    start: date  # the Monday
    answered: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        """Correct over answered; None for a week without answers (a gap, not a zero)."""
        return self.correct / self.answered if self.answered else None


def weekly_accuracy(
    days: Mapping[date, DayActivity], today: date, weeks: int = ACCURACY_WEEKS
) -> list[WeekAccuracy]:
    """The last `weeks` weeks, oldest first, the current (partial) week last."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    answered = [0] * weeks
    correct = [0] * weeks
    for day, activity in days.items():
        if first <= day <= today:
            index = (day - first).days // 7
            answered[index] += activity.answers
            correct[index] += activity.correct
    return [WeekAccuracy(first + timedelta(weeks=n), answered[n], correct[n]) for n in range(weeks)]


# --- the activity calendar -------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    day: date
    count: int
    column: int  # the week, 0 = the oldest
    row: int  # the weekday, 0 = Monday

    @property
    def level(self) -> int:
        """0 (nothing) to 4, by HEAT_STEPS (ascending): how many steps the count reaches."""
        return bisect_right(HEAT_STEPS, self.count)


def heatmap(
    days: Mapping[date, DayActivity], today: date, weeks: int = HEATMAP_WEEKS
) -> list[HeatCell]:
    """A cell for every day from the Monday `weeks - 1` weeks ago up to today."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    cells = []
    day = first
    while day <= today:
        offset = (day - first).days
        activity = days.get(day)
        cells.append(HeatCell(day, activity.count if activity else 0, offset // 7, offset % 7))
        day += timedelta(days=1)
    return cells
