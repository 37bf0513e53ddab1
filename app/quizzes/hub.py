"""The practice hub: what is due, how well each lesson and course is known, weak words, scores."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.extensions import db
from app.lessons.access import studied_course_ids
from app.lessons.models import Course, Item, Lesson
from app.quizzes import scheduling, services
from app.quizzes.models import QuizSession, ReviewCard

# A word is "known" once it left the learning steps and its memory would hold for a week.
KNOWN_STABILITY_DAYS = 7.0
RECENT_SESSIONS = 5


@dataclass(frozen=True)
class LessonMastery:
    """How well the student knows one lesson's words."""

    lesson: Lesson
    words: int
    practised: int
    known: int

    @property
    def percent(self) -> int:
        """The share of the lesson's words known, 0-100."""
        return round(100 * self.known / self.words) if self.words else 0


@dataclass
class CourseMastery:
    """A course of the student's with its lessons."""

    course: Course
    lessons: list[LessonMastery] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(lesson.words for lesson in self.lessons)

    @property
    def known(self) -> int:
        return sum(lesson.known for lesson in self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.known / self.words) if self.words else 0


@dataclass(frozen=True)
class Hub:
    """Everything the practice hub shows, loaded in a fixed number of queries."""

    courses: list[CourseMastery]
    weak: list[ReviewCard]
    recent: list[QuizSession]
    lesson_titles: dict[int, Lesson]


def student_lessons(user: User, *, with_items: bool = False) -> list[Lesson]:
    """The visible lessons of the student's courses, with their courses (and their items if
    asked), in course order."""
    options = [joinedload(Lesson.course), *([selectinload(Lesson.items)] if with_items else [])]
    return list(
        db.session.scalars(
            select(Lesson)
            .join(Course, Course.id == Lesson.course_id)
            .where(
                Lesson.course_id.in_(studied_course_ids(user)),
                Lesson.published.is_(True),
                Lesson.retired.is_(False),
            )
            .order_by(Course.level, Course.slug, Lesson.position)
            .options(*options)
        )
    )


def _word_counts(user: User, lesson_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """{lesson id: (words, practised, known)} in one aggregate query."""
    if not lesson_ids:
        return {}
    known = and_(
        ReviewCard.state == scheduling.REVIEW_STATE,
        ReviewCard.stability >= KNOWN_STABILITY_DAYS,
    )
    rows = db.session.execute(
        select(
            Item.lesson_id,
            func.count(Item.id),
            func.count(ReviewCard.id),
            func.sum(case((known, 1), else_=0)),
        )
        .outerjoin(ReviewCard, and_(ReviewCard.item_id == Item.id, ReviewCard.user_id == user.id))
        .where(Item.lesson_id.in_(lesson_ids), Item.retired.is_(False))
        .group_by(Item.lesson_id)
    )
    return {row[0]: (row[1], row[2], int(row[3] or 0)) for row in rows}


def practice_hub(user: User) -> Hub:
    """The hub of one student: courses and lessons with mastery, weak words, recent sessions."""
    lessons = student_lessons(user)
    counts = _word_counts(user, [lesson.id for lesson in lessons])
    courses: dict[int, CourseMastery] = {}
    by_course: defaultdict[int, list[LessonMastery]] = defaultdict(list)
    for lesson in lessons:
        words, practised, known = counts.get(lesson.id, (0, 0, 0))
        if not words:
            continue
        courses.setdefault(lesson.course_id, CourseMastery(lesson.course))
        by_course[lesson.course_id].append(LessonMastery(lesson, words, practised, known))
    for course_id, mastery in courses.items():
        mastery.lessons = by_course[course_id]
    recent = list(
        db.session.scalars(
            select(QuizSession)
            .where(QuizSession.user_id == user.id, QuizSession.finished_at.is_not(None))
            .order_by(QuizSession.finished_at.desc(), QuizSession.id.desc())
            .limit(RECENT_SESSIONS)
        )
    )
    return Hub(
        courses=list(courses.values()),
        weak=services.weakest_cards(user),
        recent=recent,
        lesson_titles={lesson.id: lesson for lesson in lessons},
    )
