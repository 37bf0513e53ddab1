"""The student's dashboard: streak, words, accuracy by week, activity calendar, lessons,
upcoming assignments and released grades, in a fixed number of queries.

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

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from app.auth.models import User
from app.extensions import db
from app.lessons.models import Course, CourseClass, Enrollment, Item, Lesson, LessonProgress
from app.progress.gradebook import learned_card, mastered_card
from app.progress.models import Assignment, Grade, GradeState, Submission, SubmissionVersion
from app.quizzes import scheduling
from app.quizzes.models import Answer, ReviewCard

ACCURACY_WEEKS = 12
HEATMAP_WEEKS = 26
# the lower bound of each colour step of the calendar: 1-9, 10-24, 25-49, 50+ activities a day
HEAT_STEPS = (1, 10, 25, 50)
UPCOMING_LIMIT = 8
GRADES_LIMIT = 5
FEEDBACK_LINES = 2
FEEDBACK_CHARS = 160


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


# --- words -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordCounts:
    learned: int
    mastered: int


def word_counts(user: User) -> WordCounts:
    """Learned and mastered words, as the gradebook defines them (one query; retired words
    don't count, as in the due count)."""
    learned, mastered = db.session.execute(
        select(
            func.coalesce(func.sum(case((learned_card(), 1), else_=0)), 0),
            func.coalesce(func.sum(case((mastered_card(), 1), else_=0)), 0),
        )
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user.id, Item.retired.is_(False))
    ).one()
    return WordCounts(int(learned), int(mastered))


# --- lessons ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    done: int
    total: int  # published lessons

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def course_progress(user: User) -> list[CourseProgress]:
    """Done / published lessons of each course of the student's classes (one query)."""
    visible = and_(Lesson.published.is_(True), Lesson.retired.is_(False))
    total = (
        select(func.count(Lesson.id))
        .where(Lesson.course_id == Course.id, visible)
        .correlate(Course)
        .scalar_subquery()
    )
    done = (
        select(func.count(LessonProgress.lesson_id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id == user.id, Lesson.course_id == Course.id, visible)
        .correlate(Course)
        .scalar_subquery()
    )
    my_courses = (
        select(CourseClass.course_id)
        .join(Enrollment, Enrollment.class_id == CourseClass.id)
        .where(Enrollment.user_id == user.id)
    )
    rows = db.session.execute(
        select(Course, done, total)
        .where(Course.id.in_(my_courses))
        .order_by(Course.level, Course.slug)
    )
    return [CourseProgress(course, int(d or 0), int(t or 0)) for course, d, t in rows]


# --- assignments and grades ------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingAssignment:
    assignment: Assignment
    class_name: str
    deadline: datetime  # the due date, or the later date the teacher reopened it until
    reopened: bool
    draft_saved: bool


def upcoming_assignments(
    user: User, now: datetime, limit: int = UPCOMING_LIMIT
) -> list[UpcomingAssignment]:
    """Assignments of the student's classes not yet submitted that can still be handed in
    (due in the future, or reopened for the student), the nearest deadline first (one query)."""
    reopened = and_(
        Submission.reopened_until.is_not(None), Submission.reopened_until > Assignment.due_at
    )
    deadline = case((reopened, Submission.reopened_until), else_=Assignment.due_at)
    rows = db.session.execute(
        select(Assignment, CourseClass.name, Submission.reopened_until, Submission.draft_saved_at)
        .join(
            Enrollment,
            and_(Enrollment.class_id == Assignment.class_id, Enrollment.user_id == user.id),
        )
        .join(CourseClass, CourseClass.id == Assignment.class_id)
        .outerjoin(
            Submission,
            and_(Submission.assignment_id == Assignment.id, Submission.student_id == user.id),
        )
        .where(
            or_(Submission.id.is_(None), Submission.version_count == 0),
            or_(Assignment.due_at > now, Submission.reopened_until > now),
        )
        .order_by(deadline, Assignment.id)
        .limit(limit)
    )
    result = []
    for assignment, class_name, reopened_until, draft_saved_at in rows:
        until = assignment.due_at
        if reopened_until is not None and reopened_until > until:
            until = reopened_until
        result.append(
            UpcomingAssignment(
                assignment=assignment,
                class_name=class_name,
                deadline=until,
                reopened=until is not assignment.due_at,
                draft_saved=draft_saved_at is not None,
            )
        )
    return result


@dataclass(frozen=True)
class ReleasedGrade:
    assignment_id: int
    title: str
    points: float | None
    max_points: int
    feedback: str  # the first lines
    spoken_feedback: bool
    released_at: datetime | None


def feedback_excerpt(text: str, lines: int = FEEDBACK_LINES, chars: int = FEEDBACK_CHARS) -> str:
    """The first non-empty lines of the feedback, cut with … when there is more."""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    excerpt = "\n".join(kept[:lines])
    if len(excerpt) > chars:
        return excerpt[:chars].rstrip() + "…"
    return excerpt + ("…" if len(kept) > lines else "")


def released_grades(user: User, limit: int = GRADES_LIMIT) -> list[ReleasedGrade]:
    """The student's latest grades, released ones only, ever (one query)."""
    rows = db.session.execute(
        select(Grade, Assignment.title, Assignment.max_points)
        .join(Assignment, Assignment.id == Grade.assignment_id)
        .join(
            Enrollment,
            and_(Enrollment.class_id == Assignment.class_id, Enrollment.user_id == user.id),
        )
        .where(Grade.student_id == user.id, Grade.state == GradeState.RELEASED)
        .order_by(Grade.released_at.desc(), Grade.id.desc())
        .limit(limit)
    )
    return [
        ReleasedGrade(
            assignment_id=grade.assignment_id,
            title=title,
            points=grade.points,
            max_points=max_points,
            feedback=feedback_excerpt(grade.feedback or ""),
            spoken_feedback=grade.feedback_audio_file is not None,
            released_at=grade.released_at,
        )
        for grade, title, max_points in rows
    ]


# --- the whole dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    today: date
    streak: Streak
    words: WordCounts
    due_today: int
    weeks: list[WeekAccuracy]
    cells: list[HeatCell]
    courses: list[CourseProgress]
    upcoming: list[UpcomingAssignment]
    grades: list[ReleasedGrade]

    @property
    def answered(self) -> int:
        """Answers over the weeks of the accuracy chart."""
        return sum(w.answered for w in self.weeks)

    @property
    def accuracy(self) -> float | None:
        """Correct over answered across the chart's weeks; None without answers."""
        answered = self.answered
        return sum(w.correct for w in self.weeks) / answered if answered else None

    @property
    def activities(self) -> int:
        """Activities in the calendar's weeks."""
        return sum(cell.count for cell in self.cells)

    @property
    def active_days(self) -> int:
        return sum(1 for cell in self.cells if cell.count)

    @property
    def calendar_weeks(self) -> list[tuple[date, int, int]]:
        """(Monday, activities, active days) of each week of the calendar from the first active
        one, newest first: the calendar as a table."""
        weeks: dict[date, tuple[int, int]] = {}
        for cell in self.cells:
            start = week_start(cell.day)
            total, active = weeks.get(start, (0, 0))
            weeks[start] = (total + cell.count, active + (1 if cell.count else 0))
        rows = sorted(weeks.items())
        while rows and rows[0][1][0] == 0:
            rows.pop(0)
        return [(start, total, active) for start, (total, active) in reversed(rows)]


def build_dashboard(user: User, now: datetime, *, due_today: int) -> Dashboard:
    """Everything the dashboard shows (five queries; the due count comes from the caller, who
    shares it with the navigation badge)."""
    today = scheduling.local_day(now, user.timezone)
    days = activity_by_day(user, now)
    return Dashboard(
        today=today,
        streak=streak(days, today),
        words=word_counts(user),
        due_today=due_today,
        weeks=weekly_accuracy(days, today),
        cells=heatmap(days, today),
        courses=course_progress(user),
        upcoming=upcoming_assignments(user, now),
        grades=released_grades(user),
    )
