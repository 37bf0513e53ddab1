"""What students have learned, as every progress page counts it, and each student's lessons,
words and quiz answers in a class's course (grouped queries: a class of 1,000 students takes
as many queries as a class of 3).

Definitions used by every progress page (the gradebook, the dashboards):
- a word is *learned* when the student's FSRS card of it has had at least one counted review
  (reps ≥ 1; a card that was created but never reviewed is not);
- a word is *mastered* when, learned, its stability (the days until recall falls to 90 %) is at
  least `MASTERED_STABILITY_DAYS` — 21 days, Anki's threshold for a "mature" card;
- quiz accuracy is correct answers over all answers to the course's words (any quiz or review);
  an *almost* (ө typed as о, say) is not correct, as in the quiz results and the FSRS rating.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select

from app.auth.models import User
from app.core.dbtypes import UTCDateTime
from app.extensions import db
from app.lessons.models import CourseClass, Enrollment, Item, Lesson, LessonProgress
from app.quizzes import scheduling
from app.quizzes.models import Answer, ReviewCard

MASTERED_STABILITY_DAYS = 21.0


def learned_card() -> ColumnElement[bool]:
    """SQL condition: the card (word) is learned — it has had a counted review."""
    return ReviewCard.reps >= 1


def mastered_card() -> ColumnElement[bool]:
    """SQL condition: the card (word) is mastered — learned, and stable for 21 days or more."""
    return and_(ReviewCard.reps >= 1, ReviewCard.stability >= MASTERED_STABILITY_DAYS)


def _count_if(condition: ColumnElement[Any]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --- what every student of a class has done in the course ------------------------------------


@dataclass(frozen=True)
class Student:
    id: int
    name: str
    katakana: str | None
    email: str
    timezone: str

    @property
    def sort_name(self) -> str:
        """Japanese class lists go by the reading (katakana) when there is one."""
        return (self.katakana or self.name).casefold()


@dataclass(frozen=True)
class StudentProgress:
    """A student's lessons, words and quiz answers in the class's course."""

    student: Student
    lessons_done: int = 0
    last_lesson_at: datetime | None = None
    words_learned: int = 0
    words_mastered: int = 0
    reviews_due: int = 0
    answers: int = 0
    correct: int = 0
    last_answer_at: datetime | None = None

    @property
    def accuracy(self) -> float | None:
        """Correct answers over all answers (0–1); None before the first answer."""
        return self.correct / self.answers if self.answers else None


def class_students(course_class: CourseClass) -> list[Student]:
    """The class's students by name (plain columns: no User objects, no role queries)."""
    rows = db.session.execute(
        select(User.id, User.display_name, User.name_katakana, User.email, User.timezone)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.class_id == course_class.id)
        .order_by(User.display_name, User.id)
    )
    return [Student(*row) for row in rows]


def published_lesson_count(course_id: int) -> int:
    """Lessons of the course students can see (published, not retired)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Lesson)
            .where(
                Lesson.course_id == course_id,
                Lesson.published.is_(True),
                Lesson.retired.is_(False),
            )
        )
        or 0
    )


def _in_class(user_column: Any, class_id: int, only: list[int] | None) -> ColumnElement[bool]:
    """The row's user is in the class (and, given `only`, one of those students)."""
    member = and_(Enrollment.user_id == user_column, Enrollment.class_id == class_id)
    return member if only is None else and_(member, user_column.in_(only))


def student_progress(
    course_class: CourseClass, students: Iterable[Student], now: datetime, *, some: bool = False
) -> dict[int, StudentProgress]:
    """{student id: progress}: three grouped queries (lessons, cards, answers), whatever the size.
    `some`: `students` are a few of the class (a page of a list), so only their rows are read."""
    class_id, course_id = course_class.id, course_class.course_id
    students = list(students)
    only = [s.id for s in students] if some else None
    lessons = {
        user_id: (int(done), last)
        for user_id, done, last in db.session.execute(
            select(
                LessonProgress.user_id,
                func.count(),
                func.max(LessonProgress.completed_at),
            )
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .join(Enrollment, _in_class(LessonProgress.user_id, class_id, only))
            .where(
                Lesson.course_id == course_id,
                Lesson.published.is_(True),
                Lesson.retired.is_(False),
            )
            .group_by(LessonProgress.user_id)
        )
    }

    # "Due today" ends at midnight in each student's own time zone.
    cutoffs = {s.timezone: scheduling.end_of_day(now, s.timezone) for s in students}
    default_cutoff = scheduling.end_of_day(now, scheduling.DEFAULT_TIMEZONE)
    due_before: Any = (
        case(
            *((User.timezone == tz, literal(at, UTCDateTime())) for tz, at in cutoffs.items()),
            else_=literal(default_cutoff, UTCDateTime()),
        )
        if cutoffs
        else default_cutoff
    )
    cards = {
        user_id: (int(learned), int(mastered), int(due))
        for user_id, learned, mastered, due in db.session.execute(
            select(
                ReviewCard.user_id,
                _count_if(learned_card()),
                _count_if(mastered_card()),
                _count_if(ReviewCard.due < due_before),
            )
            .join(Item, Item.id == ReviewCard.item_id)
            .join(Enrollment, _in_class(ReviewCard.user_id, class_id, only))
            .join(User, User.id == ReviewCard.user_id)
            .where(Item.course_id == course_id, Item.retired.is_(False))
            .group_by(ReviewCard.user_id)
        )
    }

    answers = {
        user_id: (int(n), int(right), last)
        for user_id, n, right, last in db.session.execute(
            select(
                Answer.user_id,
                func.count(),
                _count_if(Answer.status == "correct"),
                func.max(Answer.answered_at),
            )
            .join(Item, Item.id == Answer.item_id)
            .join(Enrollment, _in_class(Answer.user_id, class_id, only))
            .where(Item.course_id == course_id)
            .group_by(Answer.user_id)
        )
    }

    result = {}
    for s in students:
        done, last_lesson = lessons.get(s.id, (0, None))
        learned, mastered, due = cards.get(s.id, (0, 0, 0))
        n, right, last_answer = answers.get(s.id, (0, 0, None))
        result[s.id] = StudentProgress(
            student=s,
            lessons_done=done,
            last_lesson_at=last_lesson,
            words_learned=learned,
            words_mastered=mastered,
            reviews_due=due,
            answers=n,
            correct=right,
            last_answer_at=last_answer,
        )
    return result
