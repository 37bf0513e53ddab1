"""The student's activity day by day: the streak, quiz accuracy by week, the activity calendar.

Activity is counted per calendar day in the student's time zone, and the grouping by day runs in
SQL, so a student with 10,000 answers costs one row per active day, not one per answer.
Every moment is converted with the zone's own rules, daylight saving time included: PostgreSQL
with `timezone(zone, moment)`, SQLite (which has no time-zone database) with the `local_date`
function app/extensions.py gives each of its connections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, case, cast, func, literal, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from app.auth.models import User
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


def activity_by_day(user: User, now: datetime) -> dict[date, DayActivity]:
    """Every day the student was active, with counts (one GROUP BY query over a UNION ALL)."""
    tz = scheduling.zone(user.timezone)
    zero = literal(0, Integer)
    answers = select(
        local_date(Answer.answered_at, tz).label("day"),
        literal(1, Integer).label("answered"),
        case((Answer.status == "correct", 1), else_=0).label("correct"),
    ).where(Answer.user_id == user.id)
    lessons = select(
        local_date(LessonProgress.completed_at, tz).label("day"),
        zero.label("answered"),
        zero.label("correct"),
    ).where(LessonProgress.user_id == user.id)
    submissions = (
        select(
            local_date(SubmissionVersion.submitted_at, tz).label("day"),
            zero.label("answered"),
            zero.label("correct"),
        )
        .join(Submission, Submission.id == SubmissionVersion.submission_id)
        .where(Submission.student_id == user.id)
    )
    events = union_all(answers, lessons, submissions).subquery()
    rows = db.session.execute(
        select(
            events.c.day,
            func.count(),
            func.sum(events.c.answered),
            func.sum(events.c.correct),
        ).group_by(events.c.day)
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
        """0 (nothing) to 4, by HEAT_STEPS."""
        return sum(1 for step in HEAT_STEPS if self.count >= step)


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
