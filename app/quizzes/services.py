"""Practice: starting quiz sessions (a lesson, a course, the daily review, mistakes, weak words)
and the student's review counts. Answering them is app.quizzes.sessions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.extensions import db
from app.lessons.models import Course, CourseClass, Enrollment, Item, Lesson
from app.lessons.services import ITEM_PROGRESS_CHECKS
from app.quizzes import scheduling
from app.quizzes.exercises import QuestionSpec, Word, generate
from app.quizzes.models import (
    ExerciseKind,
    Question,
    QuizSession,
    ReviewCard,
    SessionSource,
)

SESSION_LENGTH = 10
REVIEW_LIMIT = 20
MISTAKES_LIMIT = 10
WEAK_LIMIT = 10


class QuizError(Exception):
    """A quiz rule was broken; the view turns it into a message."""


class NothingToPractise(QuizError):
    """There are no words to make questions from."""


def new_seed() -> int:
    """A fresh seed for a session's questions (tests replace it)."""
    return secrets.randbelow(2**31)


# --- starting sessions -----------------------------------------------------------------------


def as_word(item: Item) -> Word:
    return Word(
        id=item.id,
        ky=item.ky,
        ja=item.ja,
        en=item.en,
        pos=item.pos,
        kind=item.kind,
        also_accepted=tuple(item.also_accepted or ()),
    )


def _visible_items(*conditions: object) -> Select[Item]:
    return (
        select(Item)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(
            Item.retired.is_(False),
            Lesson.retired.is_(False),
            Lesson.published.is_(True),
            *conditions,  # type: ignore[arg-type]
        )
        .order_by(Lesson.position, Item.position)
    )


def course_words(course_ids: Iterable[int]) -> list[Word]:
    """The words of these courses a student can see: the pool of distractors."""
    ids = sorted(set(course_ids))
    if not ids:
        return []
    return [as_word(item) for item in db.session.scalars(_visible_items(Item.course_id.in_(ids)))]


def _start(
    user: User,
    words: Sequence[Word],
    pool: Sequence[Word],
    *,
    source: SessionSource,
    now: datetime,
    count: int,
    seed: int | None = None,
    course_id: int | None = None,
    lesson_id: int | None = None,
    parent_id: int | None = None,
    with_match: bool = True,
) -> QuizSession:
    if not words:
        raise NothingToPractise()
    seed = new_seed() if seed is None else seed
    specs: list[QuestionSpec] = generate(words, pool, seed=seed, count=count, with_match=with_match)
    session = QuizSession(
        user_id=user.id,
        course_id=course_id,
        lesson_id=lesson_id,
        parent_id=parent_id,
        source=source,
        seed=seed,
        question_count=len(specs),
        answered_count=0,
        correct_count=0,
        created_at=now,
    )
    session.questions = [
        Question(position=position, kind=spec.kind, item_id=spec.item_id, params=spec.params)
        for position, spec in enumerate(specs)
    ]
    db.session.add(session)
    db.session.flush()
    return session


def start_lesson_session(
    user: User,
    lesson: Lesson,
    *,
    now: datetime,
    seed: int | None = None,
    count: int = SESSION_LENGTH,
) -> QuizSession:
    """A session on the words of one lesson, distractors from its course."""
    pool = course_words([lesson.course_id])
    words = [w for w in pool if w.id in {i.id for i in lesson.items if not i.retired}]
    return _start(
        user,
        words,
        pool,
        source=SessionSource.LESSON,
        now=now,
        count=count,
        seed=seed,
        course_id=lesson.course_id,
        lesson_id=lesson.id,
    )


def start_course_session(
    user: User,
    course: Course,
    *,
    now: datetime,
    seed: int | None = None,
    count: int = SESSION_LENGTH,
) -> QuizSession:
    """A session on words from the whole course (a class's course)."""
    pool = course_words([course.id])
    return _start(
        user,
        pool,
        pool,
        source=SessionSource.COURSE,
        now=now,
        count=count,
        seed=seed,
        course_id=course.id,
    )


def is_due(user: User, now: datetime) -> ColumnElement[bool]:
    """Due now: a card in the review state due today, a card in a (re)learning step due by now."""
    return _due(now, scheduling.end_of_day(now, user.timezone))


def _due(now: Any, day_end: Any) -> ColumnElement[bool]:
    """`is_due` with the moment and the end of the student's day as values or bind parameters."""
    return or_(
        and_(ReviewCard.state == scheduling.REVIEW_STATE, ReviewCard.due < day_end),
        and_(ReviewCard.state != scheduling.REVIEW_STATE, ReviewCard.due <= now),
    )


def due_cards_query(user: User, now: datetime) -> Select[ReviewCard]:
    """The student's cards due now, most overdue first."""
    return (
        select(ReviewCard)
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user.id, is_due(user, now), Item.retired.is_(False))
        .order_by(ReviewCard.due, ReviewCard.id)
    )


def start_review_session(
    user: User, *, now: datetime, seed: int | None = None, limit: int = REVIEW_LIMIT
) -> QuizSession:
    """The daily review: one question for each due card, most overdue first, at most `limit`."""
    cards = db.session.scalars(
        due_cards_query(user, now).options(joinedload(ReviewCard.item)).limit(limit)
    ).all()
    return _start_on_cards(user, cards, SessionSource.REVIEW, now=now, seed=seed)


def _start_on_cards(
    user: User,
    cards: Sequence[ReviewCard],
    source: SessionSource,
    *,
    now: datetime,
    seed: int | None,
) -> QuizSession:
    """A session asking each card's word once (no match exercise), distractors from its course."""
    words = [as_word(card.item) for card in cards]
    pool = course_words(card.item.course_id for card in cards)
    return _start(
        user,
        words,
        pool or words,
        source=source,
        now=now,
        count=len(words),
        seed=seed,
        with_match=False,
    )


def mistake_item_ids(session: QuizSession) -> list[int]:
    """The words answered wrong or almost in `session`, in question order."""
    ids: list[int] = []
    for question in session.questions:
        answer = question.answer
        if answer is None or answer.status == "correct":
            continue
        if question.kind == ExerciseKind.MATCH:
            chosen = answer.params.get("chosen", {})
            ids.extend(int(i) for i, c in chosen.items() if str(c) != str(i))
        else:
            ids.append(question.item_id)
    return list(dict.fromkeys(ids))


def start_mistakes_session(
    user: User, session: QuizSession, *, now: datetime, seed: int | None = None
) -> QuizSession:
    """Practise the mistakes of `session` again: each such word twice, in two exercises."""
    ids = mistake_item_ids(session)
    items = db.session.scalars(select(Item).where(Item.id.in_(ids))).all() if ids else []
    by_id = {item.id: as_word(item) for item in items if not item.retired}
    words = [by_id[i] for i in ids if i in by_id]
    pool = course_words(item.course_id for item in items)
    return _start(
        user,
        words,
        pool or words,
        source=SessionSource.MISTAKES,
        now=now,
        count=min(MISTAKES_LIMIT, 2 * len(words)),
        seed=seed,
        course_id=session.course_id,
        lesson_id=session.lesson_id,
        parent_id=session.id,
        with_match=False,
    )


def weakest_cards(user: User, limit: int = WEAK_LIMIT) -> list[ReviewCard]:
    """The student's most often forgotten words (most lapses, then least stable), with the word."""
    return list(
        db.session.scalars(
            select(ReviewCard)
            .join(Item, Item.id == ReviewCard.item_id)
            .join(Lesson, Lesson.id == Item.lesson_id)
            .where(
                ReviewCard.user_id == user.id,
                ReviewCard.lapses > 0,
                Item.retired.is_(False),
                Lesson.retired.is_(False),
                Lesson.published.is_(True),
            )
            .order_by(
                ReviewCard.lapses.desc(), ReviewCard.stability.asc().nulls_first(), ReviewCard.id
            )
            .options(joinedload(ReviewCard.item))
            .limit(limit)
        )
    )


def start_weak_session(
    user: User, *, now: datetime, seed: int | None = None, limit: int = WEAK_LIMIT
) -> QuizSession:
    """One session on the student's weakest words, each once, typed or chosen."""
    return _start_on_cards(user, weakest_cards(user, limit), SessionSource.WEAK, now=now, seed=seed)


def unfinished_session(
    user: User, source: SessionSource, *, course_id: int | None, lesson_id: int | None = None
) -> QuizSession | None:
    """The student's latest unfinished session of this kind, to resume."""
    return db.session.scalar(
        select(QuizSession)
        .where(
            QuizSession.user_id == user.id,
            QuizSession.source == source,
            QuizSession.course_id == course_id if course_id else QuizSession.course_id.is_(None),
            QuizSession.lesson_id == lesson_id if lesson_id else QuizSession.lesson_id.is_(None),
            QuizSession.answered_count < QuizSession.question_count,
        )
        .order_by(QuizSession.created_at.desc(), QuizSession.id.desc())
        .limit(1)
    )


# --- reviews and results ---------------------------------------------------------------------


def due_count(user: User, now: datetime) -> int:
    """How many of the student's cards are due now (one COUNT query)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(ReviewCard)
            .join(Item, Item.id == ReviewCard.item_id)
            .where(ReviewCard.user_id == user.id, is_due(user, now), Item.retired.is_(False))
        )
        or 0
    )


@dataclass(frozen=True)
class ReviewCounts:
    """The student's cards: how many are due now, how many not, and when the next falls due."""

    due: int
    waiting: int
    next_due: datetime | None


def review_counts(user: User, now: datetime) -> ReviewCounts:
    """Due and waiting cards and the next due time, in one aggregate query."""
    row = db.session.execute(
        review_counts_select(user.id, now, scheduling.end_of_day(now, user.timezone))
    ).one()
    return counts_of(row._asdict())


def review_counts_select(student_id: Any, now: Any, day_end: Any) -> Select[Any]:
    """The one-row aggregate of `review_counts`, with the student, the moment and the end of
    their day as values or bind parameters (the navigation's statement binds them)."""
    due = _due(now, day_end)
    due_count = func.coalesce(func.sum(case((due, 1), else_=0)), 0)
    return (
        select(
            due_count.label("review_due"),
            (func.count() - due_count).label("review_waiting"),
            func.min(case((~due, ReviewCard.due))).label("review_next_due"),
        )
        .select_from(ReviewCard)
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == student_id, Item.retired.is_(False))
    )


def counts_of(row: Mapping[str, Any]) -> ReviewCounts:
    """The ReviewCounts of a row of `review_counts_select`."""
    return ReviewCounts(int(row["review_due"]), int(row["review_waiting"]), row["review_next_due"])


def first_lesson(user: User) -> Lesson | None:
    """The first lesson of the student's first class: where a student with no cards starts."""
    return db.session.scalar(
        select(Lesson)
        .join(CourseClass, CourseClass.course_id == Lesson.course_id)
        .join(Enrollment, Enrollment.class_id == CourseClass.id)
        .where(
            Enrollment.user_id == user.id,
            Lesson.published.is_(True),
            Lesson.retired.is_(False),
        )
        .order_by(Enrollment.joined_at, Lesson.position)
        .options(joinedload(Lesson.course))
        .limit(1)
    )


def items_with_cards_or_answers(item_ids: list[int]) -> set[int]:
    """Items a student has practised: a course re-import retires them instead of deleting."""
    if not item_ids:
        return set()
    with_cards = db.session.scalars(
        select(ReviewCard.item_id).where(ReviewCard.item_id.in_(item_ids)).distinct()
    )
    with_questions = db.session.scalars(
        select(Question.item_id).where(Question.item_id.in_(item_ids)).distinct()
    )
    return set(with_cards) | set(with_questions)


if items_with_cards_or_answers not in ITEM_PROGRESS_CHECKS:
    ITEM_PROGRESS_CHECKS.append(items_with_cards_or_answers)
