"""The daily review without a network: the due cards packed for the device, and the answers
given offline recorded when they come back, each once, in the order and at the time given.

The device judges an answer only to show the student something at once; what counts is the
server's verdict, by `app.kyrgyz.answers.check` as online, when the answer is sent. Each packed
question is signed (the student, the word, the exercise and what it showed), so an answer can
only be recorded for a question this server asked this student; nothing else the device sends
is trusted but the answer itself and when it was given.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core.i18n import localized
from app.extensions import db
from app.kyrgyz.answers import Verdict, answer_key
from app.quizzes import scheduling
from app.quizzes.exercises import JA_MARKERS, generate, short_gloss
from app.quizzes.models import (
    Answer,
    ExerciseKind,
    Question,
    QuizSession,
    ReviewCard,
    SessionSource,
)
from app.quizzes.services import as_word, course_words, due_cards_query
from app.quizzes.sessions import services as sessions

# More than the online review's 20: a long journey without signal.
PACK_LIMIT = 50
# The most answers one request may carry; the device sends the rest in the next.
MAX_BATCH = 50
# An answer that reaches the server later than this after it was given is not recorded: the
# memory it describes is a month old and the card has long moved on (a device left in a drawer).
MAX_AGE = timedelta(days=30)
# A device clock this close to the server's is taken as right (the difference is the request's
# travel time); further off, the answers' times are corrected by the difference.
CLOCK_TOLERANCE = timedelta(minutes=2)
TOKEN_SALT = "sabak.offline-review"

RECORDED = "recorded"
DUPLICATE = "duplicate"  # sent before and recorded then: nothing changes
REFUSED = "refused"  # not a question this server asked this student (or the word is gone)
EXPIRED = "expired"  # given more than MAX_AGE ago


def signer(secret_key: str) -> URLSafeSerializer:
    """Signs the packed questions with the application's secret key."""
    return URLSafeSerializer(secret_key, salt=TOKEN_SALT)


# --- the pack --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackedCard:
    """One question as the device needs it: what to show, how to pre-judge, the signed token."""

    token: str
    item_id: int
    kind: str
    ky: str
    gloss: str
    form: str | None
    ja_prompt: str | None
    choices: list[dict[str, Any]]
    keys: list[str]  # the accepted answers in comparison form (answer_key)
    expected: str  # the answer shown after answering
    recording: bool
    audio_version: int


def pack(
    user: User, *, now: datetime, language: str, secret_key: str, limit: int = PACK_LIMIT
) -> list[PackedCard]:
    """The student's due cards as questions, most overdue first, the same mix as online."""
    cards = db.session.scalars(
        due_cards_query(user, now).options(joinedload(ReviewCard.item)).limit(limit)
    ).all()
    if not cards:
        return []
    words = [as_word(card.item) for card in cards]
    pool = course_words(card.item.course_id for card in cards)
    specs = generate(
        words, pool or words, seed=int(now.timestamp()), count=len(words), with_match=False
    )
    items = {card.item_id: card.item for card in cards}
    sign = signer(secret_key)
    packed = []
    for spec in specs:
        item = items[spec.item_id]
        kind = ExerciseKind(spec.kind)
        form = spec.params.get("form")
        gloss = item.gloss(language)
        choices = [
            {"id": c["id"], "label": localized(language, c["ja"], c["en"])}
            for c in spec.params.get("choices", [])
        ]
        accepted = (
            spec.params.get("answers") if kind == ExerciseKind.SUFFIX else item.accepted_answers
        )
        token = sign.dumps({"u": user.id, "i": item.id, "k": str(kind), "p": spec.params})
        packed.append(
            PackedCard(
                token=str(token),
                item_id=item.id,
                kind=str(kind),
                ky=item.ky,
                gloss=gloss,
                form=form,
                ja_prompt=f"「{short_gloss(item.ja)}{JA_MARKERS[form]}」" if form else None,
                choices=choices,
                keys=[key for key in (answer_key(a) for a in accepted or []) if key],
                expected=(
                    (spec.params.get("answers") or [item.ky])[0]
                    if kind == ExerciseKind.SUFFIX
                    else (short_gloss(gloss) if kind == ExerciseKind.RECOGNISE else item.ky)
                ),
                recording=item.has_recording,
                audio_version=item.audio_version,
            )
        )
    return packed


# --- recording answers given offline ---------------------------------------------------------


@dataclass(frozen=True)
class OfflineAnswer:
    """An answer as the device kept it: its own id, the signed question, the text, when."""

    client_id: uuid.UUID
    token: str
    given: str
    answered_at: datetime  # by the device's clock
    duration_ms: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one answer sent: recorded (with the server's verdict), or why not."""

    client_id: uuid.UUID
    status: str
    verdict: str | None = None


@dataclass(frozen=True)
class SyncResult:
    outcomes: list[Outcome]
    session: QuizSession | None  # the answers recorded now, as a finished daily review

    @property
    def recorded(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == RECORDED)


CYRILLIC_KIND = sessions.CYRILLIC_KIND


def review_time(answered_at: datetime, card: ReviewCard, now: datetime) -> datetime:
    """When the review happened for FSRS: when it was given, but never in the future and never
    before the card's last review (FSRS can't put a review before one it already counted)."""
    moment = min(answered_at, now)
    if card.last_review is not None and moment < card.last_review:
        moment = card.last_review
    return moment


def _question(payload: Any, user: User) -> tuple[int, ExerciseKind, dict[str, Any]] | None:
    """The signed question's word, exercise and params, if it was asked of `user`."""
    if not isinstance(payload, dict) or payload.get("u") != user.id:
        return None
    item_id, kind, params = payload.get("i"), payload.get("k"), payload.get("p")
    if not isinstance(item_id, int) or not isinstance(params, dict):
        return None
    try:
        exercise = ExerciseKind(str(kind))
    except ValueError:
        return None
    if exercise == ExerciseKind.MATCH:
        return None
    return item_id, exercise, params


def sync(
    user: User,
    answers: Sequence[OfflineAnswer],
    *,
    now: datetime,
    secret_key: str,
    sent_at: datetime | None = None,
    language: str = "ja",
) -> SyncResult:
    """Record each answer once, in the order given, judged here, applied to FSRS at its time.

    `sent_at` is the device's clock when it sent them: a difference from `now` of more than
    CLOCK_TOLERANCE corrects a device whose clock is wrong. An answer already recorded (by its client id) is a duplicate
    and changes nothing; the caller retries once on a unique violation from a simultaneous send.
    """
    skew = (now - sent_at) if sent_at is not None else timedelta(0)
    if abs(skew) < CLOCK_TOLERANCE:
        skew = timedelta(0)  # the time the request took, not a wrong clock
    sign = signer(secret_key)
    known = {
        row.client_id: row
        for row in db.session.execute(
            select(Answer.client_id, Answer.user_id, Answer.status).where(
                Answer.client_id.in_([a.client_id for a in answers])
            )
        )
    }
    outcomes: dict[uuid.UUID, Outcome] = {}
    todo: list[tuple[datetime, int, OfflineAnswer, int, ExerciseKind, dict[str, Any]]] = []
    seen: set[uuid.UUID] = set()
    order: list[uuid.UUID] = []
    for index, offline in enumerate(answers):
        if offline.client_id in seen:  # the same answer twice in one request: the first counts
            continue
        seen.add(offline.client_id)
        order.append(offline.client_id)
        try:
            asked = _question(sign.loads(offline.token), user)
        except BadSignature:
            asked = None
        row = known.get(offline.client_id)
        if asked is None or (row is not None and row.user_id != user.id):
            outcomes[offline.client_id] = Outcome(offline.client_id, REFUSED)
        elif row is not None:
            outcomes[offline.client_id] = Outcome(offline.client_id, DUPLICATE, row.status)
        else:
            moment = offline.answered_at + skew
            if now - moment > MAX_AGE:
                outcomes[offline.client_id] = Outcome(offline.client_id, EXPIRED)
            else:
                todo.append((moment, index, offline, *asked))
    todo.sort(key=lambda entry: (min(entry[0], now), entry[1]))
    cards = {
        card.item_id: card
        for card in db.session.scalars(
            select(ReviewCard)
            .where(ReviewCard.user_id == user.id, ReviewCard.item_id.in_({t[3] for t in todo}))
            .options(joinedload(ReviewCard.item))
        )
    }
    session: QuizSession | None = None
    latin_ok: bool | None = None
    for moment, _index, offline, item_id, exercise, params in todo:
        card = cards.get(item_id)
        if card is None:  # the word was deleted, or its card with it
            outcomes[offline.client_id] = Outcome(offline.client_id, REFUSED)
            continue
        when = review_time(moment, card, now)
        if session is None:
            session = QuizSession(
                user_id=user.id,
                source=SessionSource.REVIEW,
                seed=0,
                question_count=0,
                answered_count=0,
                correct_count=0,
                created_at=when,
            )
            db.session.add(session)
            db.session.flush()
        duration = offline.duration_ms
        question = Question(
            session=session,
            position=session.question_count,
            kind=str(exercise),
            item_id=item_id,
            item=card.item,
            params=params,
            shown_at=when - timedelta(milliseconds=duration) if duration is not None else None,
        )
        db.session.add(question)
        verdict, given_text, extra = sessions.judge(question, offline.given, language)
        latin = verdict.converted is not None
        if latin:
            latin_ok = sessions.latin_allowed(user) if latin_ok is None else latin_ok
            if not latin_ok:
                verdict = Verdict(
                    "wrong",
                    verdict.expected,
                    CYRILLIC_KIND,
                    sessions.CHOICE_MESSAGES[CYRILLIC_KIND],
                    {},
                    verdict.converted,
                )
        answer = Answer(
            question=question,
            session_id=session.id,
            user_id=user.id,
            item_id=item_id,
            given=given_text,
            status=verdict.status,
            kind=verdict.kind,
            expected=verdict.expected[:500],
            params={**verdict.params, **extra},
            converted=verdict.converted,
            duration_ms=duration,
            answered_at=when,
            client_id=offline.client_id,
        )
        db.session.add(answer)
        rating = scheduling.rating_for(
            verdict.status, duration_ms=duration, typed=exercise.typed, latin=latin
        )
        sessions.record_reviews(
            user, {item_id: rating}, now=when, duration_ms=duration, answer=answer
        )
        session.question_count += 1
        session.answered_count += 1
        session.correct_count += verdict.status == "correct"
        session.finished_at = when
        outcomes[offline.client_id] = Outcome(offline.client_id, RECORDED, verdict.status)
    db.session.flush()
    return SyncResult([outcomes[client_id] for client_id in order], session)
