"""A quiz session's questions: shown, answered, judged (app.kyrgyz.answers.check), stored, and
the word's FSRS card updated; a word answered wrong comes back before the end."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.i18n import localized
from app.extensions import db
from app.kyrgyz.answers import MESSAGES, Verdict, check
from app.kyrgyz.i18n import N_
from app.lessons.models import CourseClass, Enrollment
from app.quizzes import scheduling
from app.quizzes.lexicon import course_lexicon
from app.quizzes.models import Answer, ExerciseKind, Question, QuizSession, ReviewCard, ReviewLog
from app.quizzes.services import QuizError

# A word answered wrong is asked again at the end of the session, at most this many times.
MAX_RETRIES = 2

MATCH_MESSAGE = N_("%(right)s of %(total)s pairs are right.")
ACCEPTED_KIND = "accepted_on_report"  # the verdict kind of an answer a teacher accepted
# an answer in Latin letters, given offline, from a student whose class answers in Cyrillic
CYRILLIC_KIND = "cyrillic_required"
# verdict kinds that aren't the checker's: pairings, and answers accepted on a report
CHOICE_MESSAGES: dict[str, str] = {
    "match": MATCH_MESSAGE,
    ACCEPTED_KIND: N_("Your teacher accepted this answer."),
    CYRILLIC_KIND: N_("Your class answers in Cyrillic letters, not Latin."),
}


class CyrillicRequired(QuizError):
    """A Latin answer where the student's class asks for Cyrillic: not judged, asked again."""


# built once: every question shown and every answer reads it
_QUESTION_AT = (
    select(Question)
    .where(
        Question.session_id == bindparam("session_id"),
        Question.position == bindparam("position"),
    )
    .options(
        joinedload(Question.session),
        joinedload(Question.item),
        joinedload(Question.answer).joinedload(Answer.report),
    )
)


def question_at(session_id: int, position: int) -> Question | None:
    """One question with its session, word, answer and its report, in one query."""
    return db.session.scalar(_QUESTION_AT, {"session_id": session_id, "position": position})


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
    return localized(language, str(choice["ja"]), str(choice["en"]))


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
    # before the answer joins the session: reading them then would flush it, and the whole
    # answer is flushed once, at the end
    cards = review_cards(user, ratings)
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
    record_reviews(user, ratings, now=now, duration_ms=duration_ms, answer=answer, cards=cards)
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


_REVIEW_CARDS = select(ReviewCard).where(
    ReviewCard.user_id == bindparam("user_id"),
    ReviewCard.item_id.in_(bindparam("item_ids", expanding=True)),
)


def review_cards(user: User, item_ids: Iterable[int]) -> dict[int, ReviewCard]:
    """The student's cards of these words that exist, by word (one query)."""
    return {
        card.item_id: card
        for card in db.session.scalars(
            _REVIEW_CARDS, {"user_id": user.id, "item_ids": list(item_ids)}
        )
    }


def record_reviews(
    user: User,
    ratings: Mapping[int, scheduling.Rating],
    *,
    now: datetime,
    duration_ms: int | None,
    answer: Answer | None = None,
    cards: Mapping[int, ReviewCard] | None = None,
) -> list[ReviewCard]:
    """Log a review of each word's card (creating it); see scheduling.counts_today for which count.
    `cards`: the student's cards of these words, when the caller has read them already."""
    if cards is None:
        cards = review_cards(user, ratings)
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
