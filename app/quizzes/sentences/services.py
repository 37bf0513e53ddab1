"""Sentence building from the course's example sentences: the word bank (the sentence's words
shuffled with a few from the same lesson), the judging (app.kyrgyz.sentences for Kyrgyz, the
phrase orders Japanese allows for Japanese), the attempts and the count of sentences built."""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, Select, bindparam, case, distinct, func, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.extensions import db
from app.kyrgyz import sentences as kyrgyz
from app.kyrgyz.answers import MESSAGES as ANSWER_MESSAGES
from app.kyrgyz.answers import Verdict, answer_key
from app.kyrgyz.i18n import N_
from app.lessons.models import Item, Lesson
from app.quizzes import hub
from app.quizzes.exercises import short_gloss
from app.quizzes.lexicon import course_lexicon
from app.quizzes.models import SentenceAttempt, SentenceKind
from app.quizzes.sentences import japanese

# Words from elsewhere in the lesson added to the bank: about half the sentence's, 2 to 4.
MIN_DISTRACTORS = 2
MAX_DISTRACTORS = 4
MAX_TILES = 40  # a bank never holds more (an order naming more tiles is cut)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,32}$")

JA_MESSAGES: dict[str, str] = {
    "ja_order": N_("The phrases are right, but in another order. The sentence is %(expected)s."),
    "ja_extra": N_("%(words)s does not belong in this sentence. The sentence is %(expected)s."),
    "ja_missing": N_("A phrase is missing: %(words)s. The sentence is %(expected)s."),
    "ja_different": N_("The sentence is %(expected)s."),
}
MESSAGES = {**ANSWER_MESSAGES, **kyrgyz.MESSAGES, **JA_MESSAGES}


class SentenceError(Exception):
    """A sentence attempt that cannot be judged (nothing was put on the answer line)."""


def new_token() -> str:
    """A fresh name for an exercise as shown: its shuffle, and at most one attempt."""
    return secrets.token_urlsafe(12)


def valid_token(token: object) -> bool:
    return isinstance(token, str) and bool(TOKEN_PATTERN.match(token))


# --- the sentence's tiles ----------------------------------------------------------------------


def sentence_tiles(item: Item, kind: SentenceKind) -> tuple[list[str], str]:
    """(the tiles of the sentence to build, in order; the punctuation that ends it)."""
    if kind == SentenceKind.BUILD_JA:
        return japanese.split(item.example_ja or "")
    text = (item.example_ky or "").strip()
    ending = text[len(text.rstrip(".!?…")) :]
    return kyrgyz.tiles(text), ending


def can_build(item: Item, kind: SentenceKind) -> bool:
    """An example of at least two words (phrases) in the language built, with its prompt."""
    if not item.example_ky or not item.example_ja:
        return False
    return len(sentence_tiles(item, kind)[0]) >= 2 and len(kyrgyz.tiles(item.example_ky)) >= 2


def _candidates(item: Item, kind: SentenceKind, lesson_items: Sequence[Item]) -> list[str]:
    """Words (phrases) of the lesson's other examples and words, in the language built."""
    found: list[str] = []
    for other in lesson_items:
        if other.id == item.id or other.retired:
            continue
        if kind == SentenceKind.BUILD_JA:
            if other.example_ja:
                found.extend(japanese.split(other.example_ja)[0])
            gloss = short_gloss(other.ja).rstrip(japanese.END_PUNCTUATION)
            if gloss and len(japanese.split(gloss)[0]) == 1:
                found.append(gloss)
        else:
            if other.example_ky:
                found.extend(kyrgyz.tiles(other.example_ky))
            word = kyrgyz.tiles(other.ky)
            if len(word) == 1:
                found.append(word[0])
    return found


def distractors(
    item: Item, kind: SentenceKind, lesson_items: Sequence[Item], rng: random.Random
) -> list[str]:
    """2-4 words (phrases) from the same lesson that are not in the sentence."""
    own, _ending = sentence_tiles(item, kind)

    def key(text: str) -> str:
        return text if kind == SentenceKind.BUILD_JA else answer_key(text)

    taken = {key(tile) for tile in own}
    pool: dict[str, str] = {}
    for candidate in _candidates(item, kind, lesson_items):
        k = key(candidate)
        if k and k not in taken and k not in pool:
            pool[k] = candidate
    wanted = min(MAX_DISTRACTORS, max(MIN_DISTRACTORS, len(own) // 2))
    choices = sorted(pool.values())
    return rng.sample(choices, min(wanted, len(choices)))


@dataclass(frozen=True)
class Exercise:
    """An exercise as shown: the bank's tiles (shuffled) and the ones on the answer line."""

    item: Item
    kind: SentenceKind
    token: str
    tiles: list[str]
    chosen: list[int] = field(default_factory=list)  # tile indices, in the order chosen
    ending: str = ""

    @property
    def line(self) -> list[tuple[int, str]]:
        return [(index, self.tiles[index]) for index in self.chosen]

    @property
    def bank(self) -> list[tuple[int, str, bool]]:
        """(index, text, on the answer line already) of every tile, in the bank's order."""
        used = set(self.chosen)
        return [(index, text, index in used) for index, text in enumerate(self.tiles)]

    @property
    def order(self) -> str:
        return ",".join(str(index) for index in self.chosen)

    @property
    def given(self) -> list[str]:
        return [self.tiles[index] for index in self.chosen]


def exercise(
    item: Item,
    kind: SentenceKind,
    token: str,
    lesson_items: Sequence[Item],
    chosen: Sequence[int] = (),
) -> Exercise:
    """The exercise `token` names: the same token always shuffles the same bank."""
    rng = random.Random(f"{token}:{item.id}:{kind.value}")
    own, ending = sentence_tiles(item, kind)
    tiles = [*own, *distractors(item, kind, lesson_items, rng)][:MAX_TILES]
    rng.shuffle(tiles)
    if len(tiles) > 2 and tiles[: len(own)] == own:
        # never hand the sentence over already built
        tiles.append(tiles.pop(0))
    return Exercise(item, kind, token, tiles, valid_order(chosen, len(tiles)), ending)


def valid_order(chosen: Sequence[int], count: int) -> list[int]:
    """The chosen tile indices that exist, each once, in order."""
    seen: list[int] = []
    for index in chosen:
        if 0 <= index < count and index not in seen:
            seen.append(index)
    return seen


def parse_order(text: object) -> list[int]:
    """ "3,0,2" → [3, 0, 2]; anything that is not a small number is left out."""
    if not isinstance(text, str):
        return []
    return [
        int(part)
        for part in text.split(",")[:MAX_TILES]
        if part.isascii() and part.isdigit() and len(part) <= 3
    ]


# --- judging -----------------------------------------------------------------------------------


def _ja_verdict(kind: str, expected: str, params: dict[str, str]) -> Verdict:
    status = "correct" if kind == "exact" else "wrong"
    message = ANSWER_MESSAGES["exact"] if kind == "exact" else JA_MESSAGES[kind]
    return Verdict(status, expected, kind, message, {**params, "expected": expected})  # type: ignore[arg-type]


def judge_japanese(given: Sequence[str], item: Item) -> Verdict:
    """The Japanese built from phrases: right in any order Japanese allows."""
    expected = (item.example_ja or "").strip()
    phrases, _ending = japanese.split(expected)
    if japanese.is_accepted(list(given), phrases):
        return _ja_verdict("exact", expected, {})
    if sorted(given) == sorted(phrases):
        return _ja_verdict("ja_order", expected, {})
    extra = [g for g in given if g not in phrases]
    missing = [p for p in phrases if p not in given]
    if extra and not missing:
        return _ja_verdict("ja_extra", expected, {"words": "、".join(extra)})
    if missing and not extra:
        return _ja_verdict("ja_missing", expected, {"words": "、".join(missing)})
    return _ja_verdict("ja_different", expected, {})


def judge(item: Item, kind: SentenceKind, given: str | Sequence[str]) -> tuple[Verdict, str]:
    """(the verdict, the answer as text): tiles in order, or a typed sentence."""
    if kind == SentenceKind.BUILD_JA:
        tiles = [given] if isinstance(given, str) else list(given)
        return judge_japanese(tiles, item), "".join(tiles)[:500]
    text = given if isinstance(given, str) else " ".join(given)
    text = text[: kyrgyz.MAX_SENTENCE_LENGTH]
    verdict = kyrgyz.check_sentence(
        text, item.example_ky or "", lexicon=course_lexicon(item.course_id)
    )
    return verdict, text


def verdict_of(attempt: SentenceAttempt) -> Verdict:
    """The verdict as it was judged, from the stored attempt."""
    params = {k: v for k, v in attempt.params.items() if isinstance(v, str)}
    if attempt.verdict == "special_letter" and attempt.converted:
        message = MESSAGES["special_letter_latin"]
    else:
        message = MESSAGES.get(attempt.verdict, MESSAGES["different"])
    status = attempt.status if attempt.status in ("correct", "almost", "wrong") else "wrong"
    return Verdict(status, attempt.expected, attempt.verdict, message, params, attempt.converted)  # type: ignore[arg-type]


@dataclass(frozen=True)
class AttemptResult:
    attempt: SentenceAttempt
    verdict: Verdict
    repeated: bool


def attempt_for(user: User, token: str) -> SentenceAttempt | None:
    return db.session.scalar(
        select(SentenceAttempt).where(
            SentenceAttempt.user_id == user.id, SentenceAttempt.token == token
        )
    )


def record_attempt(
    user: User,
    item: Item,
    kind: SentenceKind,
    token: str,
    given: str | Sequence[str],
    *,
    now: datetime,
) -> AttemptResult:
    """Judge and store one attempt; the same token posted again returns the first attempt."""
    existing = attempt_for(user, token)
    if existing is not None:
        return AttemptResult(existing, verdict_of(existing), repeated=True)
    if (isinstance(given, str) and not given.strip()) or not given:
        raise SentenceError("nothing to check")
    verdict, text = judge(item, kind, given)
    attempt = SentenceAttempt(
        user_id=user.id,
        item_id=item.id,
        kind=kind.value,
        token=token,
        given=text,
        status=verdict.status,
        verdict=verdict.kind,
        expected=verdict.expected[:500],
        params=dict(verdict.params),
        converted=verdict.converted[:500] if verdict.converted else None,
        answered_at=now,
    )
    db.session.add(attempt)
    db.session.flush()
    return AttemptResult(attempt, verdict, repeated=False)


# --- what the student may build ----------------------------------------------------------------


def student_lessons(user: User) -> list[Lesson]:
    """The visible lessons of the student's courses (their classes'), with their items."""
    return hub.student_lessons(user, with_items=True)


def buildable(lesson: Lesson, kind: SentenceKind = SentenceKind.BUILD_KY) -> list[Item]:
    """The lesson's words whose example sentence can be built."""
    return [item for item in lesson.items if not item.retired and can_build(item, kind)]


def built_item_ids(user: User, kind: SentenceKind | None = None) -> set[int]:
    """The examples the student has built right (in one kind of exercise, or any)."""
    query = (
        select(SentenceAttempt.item_id)
        .distinct()
        .where(SentenceAttempt.user_id == user.id, SentenceAttempt.status == "correct")
    )
    if kind is not None:
        query = query.where(SentenceAttempt.kind == kind.value)
    return set(db.session.scalars(query))


@dataclass(frozen=True)
class LessonSentences:
    lesson: Lesson
    sentences: int
    built: int


def lesson_sentences(user: User) -> list[LessonSentences]:
    """The student's lessons that have sentences to build, with how many are built (3 queries)."""
    built = built_item_ids(user)
    rows = []
    for lesson in student_lessons(user):
        items = buildable(lesson)
        if items:
            rows.append(LessonSentences(lesson, len(items), sum(1 for i in items if i.id in built)))
    return rows


def next_item(
    user: User,
    kind: SentenceKind,
    *,
    lesson: Lesson | None = None,
    after: int | None = None,
    rng: random.Random | None = None,
) -> Item | None:
    """A sentence to build next: one not yet built in this kind if any, never the one just done
    when there are others; from the lesson, or from all the student's lessons."""
    rng = rng or random.Random()
    lessons = [lesson] if lesson is not None else student_lessons(user)
    items = [item for each in lessons for item in buildable(each, kind)]
    if len(items) > 1:
        items = [item for item in items if item.id != after]
    if not items:
        return None
    built = built_item_ids(user, kind)
    fresh = [item for item in items if item.id not in built]
    return rng.choice(fresh or items)


RECENT_ATTEMPTS = 5


def recent_attempts(user: User, limit: int = RECENT_ATTEMPTS) -> list[SentenceAttempt]:
    """The student's latest attempts, with their words (one query)."""
    return list(
        db.session.scalars(
            select(SentenceAttempt)
            .where(SentenceAttempt.user_id == user.id)
            .order_by(SentenceAttempt.answered_at.desc(), SentenceAttempt.id.desc())
            .limit(limit)
            .options(joinedload(SentenceAttempt.item))
        )
    )


@dataclass(frozen=True)
class SentenceCounts:
    """For the dashboard: distinct example sentences built right, and attempts."""

    built: int
    attempts: int


def sentence_counts_select(user_id: int | ColumnElement[int]) -> Select[int, int]:
    """The SQL of `sentence_counts` (columns `built` and `attempts`, one row), for a page that
    asks it along with other counts in one statement."""
    return select(
        func.count(
            distinct(
                case((SentenceAttempt.status == "correct", SentenceAttempt.item_id), else_=None)
            )
        ).label("built"),
        func.count(SentenceAttempt.id).label("attempts"),
    ).where(SentenceAttempt.user_id == user_id)


_SENTENCE_COUNTS = sentence_counts_select(bindparam("user_id", type_=Integer))


def sentence_counts(user: User) -> SentenceCounts:
    """Sentences built (distinct, right at least once, in any kind) and attempts: one query."""
    built, attempts = db.session.execute(_SENTENCE_COUNTS, {"user_id": user.id}).one()
    return SentenceCounts(int(built or 0), int(attempts or 0))
