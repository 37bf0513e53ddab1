"""Rules of quizzes and reviews: starting sessions, judging answers, updating FSRS cards."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.extensions import db
from app.kyrgyz.answers import MESSAGES, Verdict, check
from app.kyrgyz.i18n import N_
from app.lessons.models import Course, CourseClass, Enrollment, Item, Lesson
from app.lessons.services import ITEM_PROGRESS_CHECKS
from app.quizzes import scheduling
from app.quizzes.exercises import QuestionSpec, Word, generate
from app.quizzes.lexicon import course_lexicon
from app.quizzes.models import (
    Answer,
    ExerciseKind,
    Question,
    QuizSession,
    ReviewCard,
    ReviewLog,
    SessionSource,
)

SESSION_LENGTH = 10
REVIEW_LIMIT = 20
MISTAKES_LIMIT = 10
WEAK_LIMIT = 10
# A word answered wrong is asked again at the end of the session, at most this many times.
MAX_RETRIES = 2

MATCH_MESSAGE = N_("%(right)s of %(total)s pairs are right.")
ACCEPTED_KIND = "accepted_on_report"  # the verdict kind of an answer a teacher accepted
# verdict kinds that aren't the checker's: pairings, and answers accepted on a report
CHOICE_MESSAGES: dict[str, str] = {
    "match": MATCH_MESSAGE,
    ACCEPTED_KIND: N_("Your teacher accepted this answer."),
}


class QuizError(Exception):
    """A quiz rule was broken; the view turns it into a message."""


class NothingToPractise(QuizError):
    """There are no words to make questions from."""


class CyrillicRequired(QuizError):
    """A Latin answer where the student's class asks for Cyrillic: not judged, asked again."""


def new_seed() -> int:
    """A fresh seed for a session's questions (tests replace it)."""
    return secrets.randbelow(2**31)


# --- starting sessions -----------------------------------------------------------------------


def _word(item: Item) -> Word:
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
    return [_word(item) for item in db.session.scalars(_visible_items(Item.course_id.in_(ids)))]


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
    return or_(
        and_(
            ReviewCard.state == scheduling.REVIEW_STATE,
            ReviewCard.due < scheduling.end_of_day(now, user.timezone),
        ),
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
    words = [_word(card.item) for card in cards]
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
    by_id = {item.id: _word(item) for item in items if not item.retired}
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


# --- answering -------------------------------------------------------------------------------


def question_at(session_id: int, position: int) -> Question | None:
    """One question with its session, word, answer and its report, in one query."""
    return db.session.scalar(
        select(Question)
        .where(Question.session_id == session_id, Question.position == position)
        .options(
            joinedload(Question.session),
            joinedload(Question.item),
            joinedload(Question.answer).joinedload(Answer.report),
        )
    )


def mark_shown(question: Question, now: datetime) -> None:
    """Remember when the student first saw the question: answer times are measured from it."""
    if question.shown_at is None:
        question.shown_at = now
        db.session.flush()


@dataclass(frozen=True)
class AnswerResult:
    """The stored answer and its verdict; `repeated` when the question was already answered."""

    answer: Answer
    verdict: Verdict
    repeated: bool


def verdict_of(answer: Answer) -> Verdict:
    """The verdict as it was judged, from the stored answer."""
    params = {k: v for k, v in answer.params.items() if isinstance(v, str)}
    if answer.kind in CHOICE_MESSAGES:
        message = CHOICE_MESSAGES[answer.kind]
    elif answer.kind == "special_letter" and answer.converted:
        message = MESSAGES["special_letter_latin"]
    else:
        message = MESSAGES.get(answer.kind, MESSAGES["different"])
    status = answer.status if answer.status in ("correct", "almost", "wrong") else "wrong"
    return Verdict(status, answer.expected, answer.kind, message, params, answer.converted)  # type: ignore[arg-type]


GivenAnswer = str | Mapping[int, int | None]


def _gloss(choice: Mapping[str, object], language: str) -> str:
    return str(choice["ja"] if language == "ja" else choice["en"])


def judge(question: Question, given: GivenAnswer, language: str) -> tuple[Verdict, str, dict]:
    """Judge `given`: (verdict, the answer as text, extra facts to store)."""
    kind = question.exercise
    if kind == ExerciseKind.MATCH:
        return _judge_match(question, given if isinstance(given, Mapping) else {}, language)
    text = given if isinstance(given, str) else ""
    if kind == ExerciseKind.RECOGNISE:
        return _judge_choice(question, text, language)
    accepted = (
        question.params.get("answers") or []
        if kind == ExerciseKind.SUFFIX
        else question.item.accepted_answers
    )
    verdict = check(text[:500], accepted, lexicon=course_lexicon(question.item.course_id))
    return verdict, text[:500], {}


def _judge_choice(question: Question, given: str, language: str) -> tuple[Verdict, str, dict]:
    choices = question.params.get("choices", [])
    right = next(c for c in choices if c["id"] == question.item_id)
    expected = _gloss(right, language)
    chosen = next((c for c in choices if str(c["id"]) == given.strip()), None)
    if chosen is None:
        verdict = Verdict("wrong", expected, "empty", MESSAGES["empty"], {"expected": expected})
        return verdict, "", {}
    extra = {"choice": chosen["id"]}
    if chosen["id"] == question.item_id:
        return Verdict("correct", expected, "exact", MESSAGES["exact"]), expected, extra
    params = {"expected": expected}
    verdict = Verdict("wrong", expected, "different", MESSAGES["different"], params)
    return verdict, _gloss(chosen, language), extra


def _judge_match(
    question: Question, given: Mapping[int, int | None], language: str
) -> tuple[Verdict, str, dict]:
    pairs = question.params.get("pairs", [])
    by_id = {pair["id"]: pair for pair in pairs}
    chosen = {str(pair["id"]): given.get(pair["id"]) for pair in pairs}
    right = sum(1 for pair_id, option in chosen.items() if str(option) == pair_id)
    status = "correct" if right == len(pairs) else "wrong"
    expected = "; ".join(f"{p['ky']} = {_gloss(p, language)}" for p in pairs)
    given_text = "; ".join(
        f"{by_id[int(pair_id)]['ky']} = "
        + (_gloss(by_id[option], language) if option in by_id else "—")
        for pair_id, option in chosen.items()
    )
    params = {"right": str(right), "total": str(len(pairs))}
    verdict = Verdict(status, expected, "match", MATCH_MESSAGE, params)  # type: ignore[arg-type]
    return verdict, given_text, {"chosen": chosen}


def latin_allowed(user: User) -> bool:
    """Whether Latin answers count for the student: not if any of their classes turned it off.

    The strictest class wins: a student preparing for the contest in one class types Cyrillic
    in every quiz, since the words are the same ones.
    """
    return not db.session.scalar(
        select(
            exists().where(
                Enrollment.user_id == user.id,
                Enrollment.class_id == CourseClass.id,
                CourseClass.latin_input.is_(False),
            )
        )
    )


def submit_answer(
    question: Question,
    given: GivenAnswer,
    *,
    user: User,
    now: datetime,
    language: str = "ja",
) -> AnswerResult:
    """Judge and store the answer, update the FSRS cards; a second answer returns the first.

    A word answered wrong is asked again at the end of the session (at most MAX_RETRIES times).
    """
    if question.answer is not None:
        return AnswerResult(question.answer, verdict_of(question.answer), repeated=True)
    session = question.session
    if question.position != session.answered_count:
        raise QuizError("questions are answered in order")
    verdict, given_text, extra = judge(question, given, language)
    # converted: the answer was typed in Latin letters and read as Cyrillic
    latin = verdict.converted is not None
    if latin and not latin_allowed(user):
        raise CyrillicRequired()
    duration_ms = None
    if question.shown_at is not None:
        duration_ms = max(0, int((now - question.shown_at).total_seconds() * 1000))
    answer = Answer(
        question=question,
        session_id=session.id,
        user_id=session.user_id,
        item_id=question.item_id,
        given=given_text,
        status=verdict.status,
        kind=verdict.kind,
        expected=verdict.expected[:500],
        params={**verdict.params, **extra},
        converted=verdict.converted,
        duration_ms=duration_ms,
        answered_at=now,
    )
    db.session.add(answer)
    typed = question.exercise.typed
    if question.exercise == ExerciseKind.MATCH:
        ratings = {
            int(pair_id): scheduling.rating_for(
                "correct" if str(option) == pair_id else "wrong", duration_ms=None, typed=False
            )
            for pair_id, option in extra["chosen"].items()
        }
    else:
        ratings = {
            question.item_id: scheduling.rating_for(
                verdict.status, duration_ms=duration_ms, typed=typed, latin=latin
            )
        }
    record_reviews(user, ratings, now=now, duration_ms=duration_ms, answer=answer)
    session.answered_count += 1
    if verdict.status == "correct":
        session.correct_count += 1
    elif verdict.status == "wrong" and question.retry < MAX_RETRIES:
        ask_again(question)
    if session.answered_count >= session.question_count:
        session.finished_at = now
    db.session.flush()
    return AnswerResult(answer, verdict, repeated=False)


def ask_again(question: Question) -> Question:
    """Append the same exercise to the end of its session: the word comes back before the end."""
    session = question.session
    again = Question(
        session=session,
        position=session.question_count,
        kind=question.kind,
        item_id=question.item_id,
        params=dict(question.params),
        retry=question.retry + 1,
    )
    db.session.add(again)
    session.question_count += 1
    return again


def record_reviews(
    user: User,
    ratings: Mapping[int, scheduling.Rating],
    *,
    now: datetime,
    duration_ms: int | None,
    answer: Answer | None = None,
) -> list[ReviewCard]:
    """Log a review of each word's card (creating it); see scheduling.counts_today for which count."""
    cards = {
        card.item_id: card
        for card in db.session.scalars(
            select(ReviewCard).where(
                ReviewCard.user_id == user.id, ReviewCard.item_id.in_(list(ratings))
            )
        )
    }
    result = []
    for item_id, rating in ratings.items():
        card = cards.get(item_id)
        if card is None:
            card = scheduling.new_card(user.id, item_id, now)
            db.session.add(card)
        counted = scheduling.counts_today(card, rating, now, user.timezone)
        if counted:
            rating = scheduling.within_steps(card, rating)
            scheduling.review(card, rating, now, duration_ms)
        db.session.add(
            ReviewLog(
                card=card,
                answer=answer,
                rating=int(rating),
                reviewed_at=now,
                duration_ms=duration_ms,
                counted=counted,
            )
        )
        result.append(card)
    return result


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
    """Due and waiting cards and the next due time, in one aggregate query (the navigation's)."""
    due = is_due(user, now)
    row = db.session.execute(
        select(
            func.coalesce(func.sum(case((due, 1), else_=0)), 0),
            func.count(),
            func.min(case((~due, ReviewCard.due))),
        )
        .select_from(ReviewCard)
        .join(Item, Item.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user.id, Item.retired.is_(False))
    ).one()
    return ReviewCounts(int(row[0]), int(row[1]) - int(row[0]), row[2])


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


def session_with_answers(session_id: int) -> QuizSession | None:
    """A session with its questions, their words, answers and reports (two queries)."""
    return db.session.scalar(
        select(QuizSession)
        .where(QuizSession.id == session_id)
        .options(
            selectinload(QuizSession.questions).options(
                joinedload(Question.item), joinedload(Question.answer).joinedload(Answer.report)
            )
        )
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
