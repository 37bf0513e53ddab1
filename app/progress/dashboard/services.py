"""The student's dashboard: streak, words, accuracy by week, activity calendar, lessons,
upcoming assignments, released grades and the sounds (contrasts mastered and still confused,
from app.quizzes.sounds), in a fixed number of queries (the days and the
streak are in app.progress.dashboard.activity).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    true,
)

from app.auth.models import User
from app.extensions import db
from app.lessons.access import studied_course_ids_of
from app.lessons.models import Course, CourseClass, Enrollment, Item, Lesson, LessonProgress
from app.progress.dashboard.activity import (
    HeatCell,
    Streak,
    WeekAccuracy,
    activity_by_day,
    heatmap,
    streak,
    week_start,
    weekly_accuracy,
)
from app.progress.learning import learned_card, mastered_card
from app.progress.models import Assignment, Grade, GradeState, Submission
from app.quizzes import scheduling, sounds
from app.quizzes.models import ReviewCard
from app.quizzes.sentences import SentenceCounts, sentence_counts_select

UPCOMING_LIMIT = 8
GRADES_LIMIT = 5
FEEDBACK_LINES = 2
FEEDBACK_CHARS = 160


# --- words -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordCounts:
    learned: int
    mastered: int


def _word_counts_select(user_id: ColumnElement[int]) -> Select[int, int]:
    return (
        select(
            func.coalesce(func.sum(case((learned_card(), 1), else_=0)), 0).label("learned"),
            func.coalesce(func.sum(case((mastered_card(), 1), else_=0)), 0).label("mastered"),
        )
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user_id, Item.retired.is_(False))
    )


# built once: building a statement costs more than running it
_WORD_COUNTS = _word_counts_select(bindparam("user_id", type_=Integer))


def word_counts(user: User) -> WordCounts:
    """Learned and mastered words, as the gradebook defines them (one query; retired words
    don't count, as in the due count)."""
    learned, mastered = db.session.execute(_WORD_COUNTS, {"user_id": user.id}).one()
    return WordCounts(int(learned), int(mastered))


def _counts_statement() -> Select[int, int, int, int]:
    """Words and sentences in one statement (each an aggregate of one row, joined)."""
    user_id = bindparam("user_id", type_=Integer)
    words = _word_counts_select(user_id).subquery()
    sentences = sentence_counts_select(user_id).subquery()
    return select(
        words.c.learned, words.c.mastered, sentences.c.built, sentences.c.attempts
    ).select_from(words.join(sentences, true()))


_COUNTS = _counts_statement()


def words_and_sentences(user: User) -> tuple[WordCounts, SentenceCounts]:
    """`word_counts` and `sentence_counts` in one query."""
    learned, mastered, built, attempts = db.session.execute(_COUNTS, {"user_id": user.id}).one()
    return (
        WordCounts(int(learned), int(mastered)),
        SentenceCounts(int(built or 0), int(attempts or 0)),
    )


# --- lessons ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    done: int
    total: int  # published lessons

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _course_progress_statement() -> Select[Course, int, int]:
    user_id = bindparam("user_id", type_=Integer)
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
        .where(LessonProgress.user_id == user_id, Lesson.course_id == Course.id, visible)
        .correlate(Course)
        .scalar_subquery()
    )
    return (
        select(Course, done, total)
        .where(Course.id.in_(studied_course_ids_of(user_id)))
        .order_by(Course.level, Course.slug)
    )


_COURSE_PROGRESS = _course_progress_statement()


def course_progress(user: User) -> list[CourseProgress]:
    """Done / published lessons of each course of the student's classes (one query)."""
    rows = db.session.execute(_COURSE_PROGRESS, {"user_id": user.id})
    return [CourseProgress(course, int(d or 0), int(t or 0)) for course, d, t in rows]


def ready_for_kyrgyz(courses: list[CourseProgress]) -> bool:
    """Whether the student has finished at least half of a course they study: marked done at
    least half its published lessons (the lessons-done figure of every progress page), when the
    interface's own words are ones they can read: the dashboard then suggests the Kyrgyz one."""
    return any(c.total and 2 * c.done >= c.total for c in courses)


# --- assignments and grades ------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingAssignment:
    assignment: Assignment
    class_name: str
    deadline: datetime  # the due date, or the later date the teacher reopened it until
    reopened: bool
    draft_saved: bool
    overdue: bool = False  # past its deadline, still accepted (marked late)


def _upcoming_statement() -> Select[Assignment, str, datetime | None, datetime | None]:
    user_id = bindparam("user_id", type_=Integer)
    reopened = and_(
        Submission.reopened_until.is_not(None), Submission.reopened_until > Assignment.due_at
    )
    deadline = case((reopened, Submission.reopened_until), else_=Assignment.due_at)
    return (
        select(Assignment, CourseClass.name, Submission.reopened_until, Submission.draft_saved_at)
        .join(
            Enrollment,
            and_(Enrollment.class_id == Assignment.class_id, Enrollment.user_id == user_id),
        )
        .join(CourseClass, CourseClass.id == Assignment.class_id)
        .outerjoin(
            Submission,
            and_(Submission.assignment_id == Assignment.id, Submission.student_id == user_id),
        )
        .where(or_(Submission.id.is_(None), Submission.version_count == 0))
        .order_by(deadline, Assignment.id)
        .limit(bindparam("limit", type_=Integer))
    )


_UPCOMING = _upcoming_statement()


def upcoming_assignments(
    user: User, now: datetime, limit: int = UPCOMING_LIMIT
) -> list[UpcomingAssignment]:
    """Assignments of the student's classes not yet submitted, the nearest deadline first (one
    query). All of them can still be handed in: past the due date a first submission is
    accepted, marked late, so an overdue one stays here (`overdue`) until it is submitted."""
    rows = db.session.execute(_UPCOMING, {"user_id": user.id, "limit": limit})
    result = []
    for assignment, class_name, reopened_until, draft_saved_at in rows:
        until = assignment.due_at
        if reopened_until is not None and reopened_until > until and reopened_until > now:
            until = reopened_until
        result.append(
            UpcomingAssignment(
                assignment=assignment,
                class_name=class_name,
                deadline=until,
                reopened=until is not assignment.due_at,
                draft_saved=draft_saved_at is not None,
                overdue=until <= now,
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


_RELEASED_GRADES = (
    select(Grade, Assignment.title, Assignment.max_points)
    .join(Assignment, Assignment.id == Grade.assignment_id)
    .join(
        Enrollment,
        and_(
            Enrollment.class_id == Assignment.class_id,
            Enrollment.user_id == bindparam("user_id"),
        ),
    )
    .where(Grade.student_id == bindparam("user_id"), Grade.state == GradeState.RELEASED)
    .order_by(Grade.released_at.desc(), Grade.id.desc())
    .limit(bindparam("limit", type_=Integer))
)


def released_grades(user: User, limit: int = GRADES_LIMIT) -> list[ReleasedGrade]:
    """The student's latest grades, released ones only, ever (one query)."""
    rows = db.session.execute(_RELEASED_GRADES, {"user_id": user.id, "limit": limit})
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
    """Everything the dashboard shows; the figures drawn from it are worked out once each (the
    page shows several twice)."""

    today: date
    streak: Streak
    words: WordCounts
    sentences: SentenceCounts
    due_today: int
    weeks: list[WeekAccuracy]
    cells: list[HeatCell]
    courses: list[CourseProgress]
    upcoming: list[UpcomingAssignment]
    grades: list[ReleasedGrade]
    contrasts: list[sounds.ContrastProgress]

    @property
    def contrasts_mastered(self) -> int:
        return sum(1 for c in self.contrasts if c.mastered)

    @cached_property
    def contrasts_confused(self) -> list[sounds.ContrastProgress]:
        """The contrasts the student still confuses, the worst first."""
        confused = [c for c in self.contrasts if c.confused]
        return sorted(confused, key=lambda c: c.right / c.recent)

    @cached_property
    def answered(self) -> int:
        """Answers over the weeks of the accuracy chart."""
        return sum(w.answered for w in self.weeks)

    @property
    def accuracy(self) -> float | None:
        """Correct over answered across the chart's weeks; None without answers."""
        answered = self.answered
        return sum(w.correct for w in self.weeks) / answered if answered else None

    @cached_property
    def activities(self) -> int:
        """Activities in the calendar's weeks."""
        return sum(cell.count for cell in self.cells)

    @property
    def active_days(self) -> int:
        return sum(1 for cell in self.cells if cell.count)

    @cached_property
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
    """Everything the dashboard shows (six queries; the due count comes from the caller, who
    shares it with the navigation badge)."""
    today = scheduling.local_day(now, user.timezone)
    days = activity_by_day(user, now)
    words, sentences = words_and_sentences(user)
    return Dashboard(
        today=today,
        streak=streak(days, today),
        words=words,
        sentences=sentences,
        due_today=due_today,
        weeks=weekly_accuracy(days, today),
        cells=heatmap(days, today),
        courses=course_progress(user),
        upcoming=upcoming_assignments(user, now),
        grades=released_grades(user),
        contrasts=list(sounds.contrast_progress(user).values()),
    )
