"""Minimal-pair listening: which pairs a student can practise, rounds of "hear one, choose which
was said", answers recorded once, and each contrast's accuracy over its last answers.

Pairs come from the words of the student's courses (`minimal_pairs.find_minimal_pairs`) and from
the curated `minimal_pairs.KNOWN_PAIRS`. A pair is heard in the teacher's recordings only when
both of its words have one: a human voice for one word and a synthetic one for the other would
give the answer away. Functions flush; the view commits.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Select, and_, bindparam, case, func, select, update
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core.i18n import localized
from app.extensions import db
from app.kyrgyz import minimal_pairs
from app.kyrgyz.minimal_pairs import CONTRASTS, Contrast
from app.kyrgyz.normalize import normalize
from app.lessons.access import studied_course_ids
from app.lessons.models import Item, Lesson
from app.quizzes.models import SoundQuestion, SoundRound

ROUND_LENGTH = 10
RECENT_ROUNDS = 5
# A contrast is mastered with at least MASTERED_RIGHT right among its last WINDOW answers, and
# still confused when at least CONFUSED_MIN_ANSWERS of those answers are in and fewer than
# MASTERED_RIGHT / WINDOW (80 %) of them are right.
WINDOW = 10
MASTERED_RIGHT = 8
CONFUSED_MIN_ANSWERS = 3


class NothingToPractise(Exception):
    """No minimal pair of the chosen contrast (or of any) to build a round from."""


@dataclass(frozen=True)
class PairWord:
    """One word of a pair: spelling, meanings, and the course word it is (for its recording)."""

    ky: str
    ja: str
    en: str
    item_id: int | None = None
    recorded: bool = False

    def gloss(self, language: str) -> str:
        return localized(language, self.ja, self.en)

    def as_option(self) -> dict[str, object]:
        return {"ky": self.ky, "ja": self.ja, "en": self.en, "item_id": self.item_id}


@dataclass(frozen=True)
class Pair:
    """A minimal pair to practise; `first` has the sound Japanese lacks (ө ү ң ы, the long vowel)."""

    contrast: Contrast
    first: PairWord
    second: PairWord
    from_course: bool

    @property
    def recorded(self) -> bool:
        """Both words have the teacher's recording (else both are heard in synthetic speech)."""
        return self.first.recorded and self.second.recorded


def course_words(user: User) -> list[Item]:
    """The words of the published lessons of the courses the student studies (one query)."""
    return list(
        db.session.scalars(
            select(Item)
            .join(Lesson, Lesson.id == Item.lesson_id)
            .where(
                Item.course_id.in_(studied_course_ids(user)),
                Item.retired.is_(False),
                Lesson.published.is_(True),
                Lesson.retired.is_(False),
            )
            .order_by(Item.course_id, Lesson.position, Item.position, Item.id)
        )
    )


def _word(item: Item) -> PairWord:
    return PairWord(item.ky, item.ja, item.en, item.id, bool(item.audio_file))


def available_pairs(user: User, contrast: str | None = None) -> list[Pair]:
    """The pairs a student can practise: their courses' pairs first, then the known ones."""
    items: dict[str, Item] = {}
    for item in course_words(user):
        spelling = normalize(item.ky)
        # the same word in two courses: the one with a recording
        if spelling not in items or (item.audio_file and not items[spelling].audio_file):
            items[spelling] = item
    pairs: dict[frozenset[str], Pair] = {}
    for found in minimal_pairs.find_minimal_pairs(item.ky for item in items.values()):
        first, second = items[normalize(found.first)], items[normalize(found.second)]
        key = frozenset((normalize(first.ky), normalize(second.ky)))
        pairs[key] = Pair(found.contrast, _word(first), _word(second), from_course=True)
    for known in minimal_pairs.KNOWN_PAIRS:
        key = frozenset((normalize(known.first.ky), normalize(known.second.ky)))
        if key in pairs:
            continue
        words = []
        for word in (known.first, known.second):
            course_item = items.get(normalize(word.ky))
            # the course's word brings its recording; the meanings stay the pair's, which tell
            # the two apart (a course's gloss may be a whole phrase)
            words.append(
                PairWord(word.ky, word.ja, word.en, course_item.id, bool(course_item.audio_file))
                if course_item
                else PairWord(word.ky, word.ja, word.en)
            )
        pairs[key] = Pair(known.contrast, words[0], words[1], from_course=False)
    return [p for p in pairs.values() if contrast is None or p.contrast.key == contrast]


# --- per-contrast accuracy -------------------------------------------------------------------


@dataclass(frozen=True)
class ContrastProgress:
    """A contrast's last answers (at most WINDOW of them) and how many were right."""

    contrast: Contrast
    recent: int
    right: int
    total: int  # every answer ever given on this contrast

    @property
    def mastered(self) -> bool:
        return self.right >= MASTERED_RIGHT

    @property
    def confused(self) -> bool:
        return (
            self.recent >= CONFUSED_MIN_ANSWERS
            and not self.mastered
            and self.right * WINDOW < self.recent * MASTERED_RIGHT
        )

    @property
    def state(self) -> str:
        """mastered, confused, learning (answered, neither yet) or new."""
        if self.mastered:
            return "mastered"
        if self.confused:
            return "confused"
        return "learning" if self.total else "new"


def _contrast_progress_statement() -> Select[str, int, int, int]:
    ranked = (
        select(
            SoundQuestion.contrast,
            SoundQuestion.correct,
            func.row_number()
            .over(
                partition_by=SoundQuestion.contrast,
                order_by=(SoundQuestion.answered_at.desc(), SoundQuestion.id.desc()),
            )
            .label("rank"),
            func.count().over(partition_by=SoundQuestion.contrast).label("total"),
        )
        .where(
            SoundQuestion.user_id == bindparam("user_id", type_=Integer),
            SoundQuestion.answered_at.is_not(None),
        )
        .subquery()
    )
    return (
        select(
            ranked.c.contrast,
            func.count(),
            func.coalesce(func.sum(case((ranked.c.correct.is_(True), 1), else_=0)), 0),
            func.max(ranked.c.total),
        )
        .where(ranked.c.rank <= WINDOW)
        .group_by(ranked.c.contrast)
    )


# built once: the dashboard asks it on every visit
_CONTRAST_PROGRESS = _contrast_progress_statement()


def contrast_progress(user: User) -> dict[str, ContrastProgress]:
    """Every contrast's progress for the student, in the order of CONTRASTS (one query)."""
    rows = db.session.execute(_CONTRAST_PROGRESS, {"user_id": user.id})
    found = {key: (int(n), int(right), int(total)) for key, n, right, total in rows}
    return {c.key: ContrastProgress(c, *found.get(c.key, (0, 0, 0))) for c in CONTRASTS}


# --- rounds ----------------------------------------------------------------------------------


def unfinished_round(user: User, contrast: str | None) -> SoundRound | None:
    """The student's latest round of this contrast (or mix) still open, to resume."""
    return db.session.scalars(
        select(SoundRound)
        .where(
            SoundRound.user_id == user.id,
            SoundRound.finished_at.is_(None),
            SoundRound.contrast.is_(None) if contrast is None else SoundRound.contrast == contrast,
        )
        .order_by(SoundRound.created_at.desc(), SoundRound.id.desc())
        .limit(1)
    ).first()


def recent_rounds(user: User, limit: int = RECENT_ROUNDS) -> list[SoundRound]:
    """The student's latest finished rounds, newest first (one query)."""
    return list(
        db.session.scalars(
            select(SoundRound)
            .where(SoundRound.user_id == user.id, SoundRound.finished_at.is_not(None))
            .order_by(SoundRound.finished_at.desc(), SoundRound.id.desc())
            .limit(limit)
        )
    )


def _schedule(
    pairs: list[Pair], count: int, rng: random.Random, confused: Iterable[str]
) -> list[Pair]:
    """`count` pairs taking turns between contrasts, the confused ones twice as often."""
    decks: dict[str, list[Pair]] = {}
    for pair in pairs:
        decks.setdefault(pair.contrast.key, []).append(pair)
    for deck in decks.values():
        rng.shuffle(deck)
    keys = list(decks)
    rng.shuffle(keys)
    weighted = keys + [key for key in keys if key in set(confused)]
    rng.shuffle(weighted)
    used = dict.fromkeys(decks, 0)
    chosen: list[Pair] = []
    while len(chosen) < count:
        for key in weighted:
            if len(chosen) == count:
                break
            deck = decks[key]
            chosen.append(deck[used[key] % len(deck)])
            used[key] += 1
    return chosen


def start_round(
    user: User, *, contrast: str | None, now: datetime, seed: int | None = None
) -> SoundRound:
    """A new round of up to ROUND_LENGTH questions (a pair is asked at most twice, once for each
    word where it comes back), of one contrast or of all of them."""
    pairs = available_pairs(user, contrast)
    if not pairs:
        raise NothingToPractise
    rng = random.Random(seed if seed is not None else secrets.randbits(32))
    confused = [key for key, p in contrast_progress(user).items() if p.confused]
    count = min(ROUND_LENGTH, 2 * len(pairs))
    sound_round = SoundRound(
        user_id=user.id, contrast=contrast, question_count=count, created_at=now
    )
    db.session.add(sound_round)
    db.session.flush()
    last_said: dict[int, PairWord] = {}
    for position, pair in enumerate(_schedule(pairs, count, rng, confused)):
        words = [pair.first, pair.second]
        rng.shuffle(words)
        said = rng.randrange(2)
        if id(pair) in last_said:
            # the pair again: this time the other word is heard
            said = 1 - words.index(last_said[id(pair)])
        last_said[id(pair)] = words[said]
        spoken = words[said]
        db.session.add(
            SoundQuestion(
                round_id=sound_round.id,
                user_id=user.id,
                position=position,
                token=secrets.token_urlsafe(16),
                contrast=pair.contrast.key,
                options=[word.as_option() for word in words],
                said=said,
                audio_item_id=spoken.item_id if pair.recorded else None,
            )
        )
    db.session.flush()
    return sound_round


@dataclass(frozen=True)
class AnswerOutcome:
    correct: bool
    recorded: bool  # False: the question was already answered (a double click), nothing changed


def submit_answer(question: SoundQuestion, chosen: int, *, now: datetime) -> AnswerOutcome:
    """Record the choice once: a second submission (a double click, another tab) changes nothing."""
    if chosen not in (0, 1):
        raise ValueError("chosen must be 0 or 1")
    correct = chosen == question.said
    result = db.session.execute(
        update(SoundQuestion)
        .where(SoundQuestion.id == question.id, SoundQuestion.answered_at.is_(None))
        .values(chosen=chosen, correct=correct, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    recorded = result.rowcount == 1  # type: ignore[attr-defined]
    if recorded:
        last = SoundRound.answered_count + 1 >= SoundRound.question_count
        db.session.execute(
            update(SoundRound)
            .where(SoundRound.id == question.round_id)
            .values(
                answered_count=SoundRound.answered_count + 1,
                correct_count=SoundRound.correct_count + (1 if correct else 0),
                finished_at=case(
                    (and_(last, SoundRound.finished_at.is_(None)), now),
                    else_=SoundRound.finished_at,
                ),
            )
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    db.session.expire(question)
    db.session.expire(question.round)
    return AnswerOutcome(correct=bool(question.correct), recorded=recorded)


def question_at(round_id: int, position: int) -> SoundQuestion | None:
    """A question of a round by position, with its round (one query)."""
    return db.session.scalars(
        select(SoundQuestion)
        .where(SoundQuestion.round_id == round_id, SoundQuestion.position == position)
        .options(joinedload(SoundQuestion.round))
    ).first()


def question_by_token(token: str) -> SoundQuestion | None:
    """The question whose audio `token` names (one query)."""
    return db.session.scalars(select(SoundQuestion).where(SoundQuestion.token == token)).first()
