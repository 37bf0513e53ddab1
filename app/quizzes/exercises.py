"""Question generation: which exercise for which word, with choices and forms, from a seed.

Pure functions on plain word data, so a session's questions depend only on its words and seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.kyrgyz.morphology import decline, plural
from app.quizzes.models import ExerciseKind

CHOICES = 4
MATCH_PAIRS = 5
SUFFIX_FORMS: tuple[str, ...] = (
    "genitive",
    "dative",
    "accusative",
    "locative",
    "ablative",
    "plural",
)
# What each form is in a Japanese sentence: 「手に」をキルギス語で.
JA_MARKERS: dict[str, str] = {
    "genitive": "の",
    "dative": "に",
    "accusative": "を",
    "locative": "で",
    "ablative": "から",
    "plural": "（複数）",
}
# The mix of a session, in order: easy recognition first, then production. Ineligible kinds
# fall back to recall (suffix needs a noun, recognise needs three distractors).
ROTATION: tuple[ExerciseKind, ...] = (
    ExerciseKind.RECOGNISE,
    ExerciseKind.RECALL,
    ExerciseKind.LISTEN,
    ExerciseKind.SUFFIX,
    ExerciseKind.RECOGNISE,
    ExerciseKind.RECALL,
    ExerciseKind.SUFFIX,
    ExerciseKind.LISTEN,
    ExerciseKind.RECALL,
    ExerciseKind.RECOGNISE,
)


@dataclass(frozen=True)
class Word:
    """What generation needs to know of an item."""

    id: int
    ky: str
    ja: str
    en: str
    pos: str
    kind: str = "word"
    also_accepted: tuple[str, ...] = ()

    @property
    def accepted(self) -> list[str]:
        return [self.ky, *self.also_accepted]


@dataclass(frozen=True)
class QuestionSpec:
    """A question to store: its exercise, its word and what it shows."""

    kind: ExerciseKind
    item_id: int
    params: dict[str, Any] = field(default_factory=dict)


_PARENTHESES = re.compile(r"\s*[（(][^）)]*[）)]")


def short_gloss(gloss: str) -> str:
    """The first meaning of a gloss, without notes: "姉（年上の…）" → "姉", "tea, a drink" → "tea"."""
    text = _PARENTHESES.sub("", gloss).strip()
    for separator in ("、", "，", ",", ";", "；", "/", "／"):
        text = text.split(separator)[0]
    return text.strip() or gloss


def suffix_form(word: str, form: str) -> str:
    """`word` in `form`: one of SUFFIX_FORMS."""
    return plural(word) if form == "plural" else decline(word, form)


def suffix_answers(word: Word, form: str) -> list[str] | None:
    """The accepted answers of a suffix drill on `word`, or None if it can't take one."""
    if word.pos != "noun" or word.kind != "word" or not word.ky[:1].islower():
        return None
    answers: list[str] = []
    for accepted in word.accepted:
        try:
            answers.append(suffix_form(accepted, form))
        except ValueError:
            if accepted == word.ky:
                return None
    return list(dict.fromkeys(answers))


def _distinct_meaning(word: Word, others: Sequence[Word]) -> bool:
    return all(
        short_gloss(word.ja) != short_gloss(o.ja) and short_gloss(word.en) != short_gloss(o.en)
        for o in others
    )


def _choice(word: Word) -> dict[str, Any]:
    return {"id": word.id, "ja": short_gloss(word.ja), "en": short_gloss(word.en)}


def recognise_params(word: Word, pool: Sequence[Word], rng: random.Random) -> dict[str, Any] | None:
    """Four meanings to choose from: distractors of the same part of speech first."""
    candidates = [w for w in pool if w.id != word.id and w.ky != word.ky]
    rng.shuffle(candidates)
    candidates.sort(key=lambda w: w.pos != word.pos)  # stable: same pos first, shuffled within
    chosen: list[Word] = []
    for candidate in candidates:
        if _distinct_meaning(candidate, [word, *chosen]):
            chosen.append(candidate)
            if len(chosen) == CHOICES - 1:
                break
    if len(chosen) < CHOICES - 1:
        return None
    options = [_choice(w) for w in [word, *chosen]]
    rng.shuffle(options)
    return {"choices": options}


def match_params(words: Sequence[Word], rng: random.Random) -> tuple[int, dict[str, Any]] | None:
    """Five pairs with distinct meanings; returns (the first word's id, params)."""
    pairs: list[Word] = []
    for word in words:
        if all(word.ky != p.ky for p in pairs) and _distinct_meaning(word, pairs):
            pairs.append(word)
            if len(pairs) == MATCH_PAIRS:
                break
    if len(pairs) < MATCH_PAIRS:
        return None
    rows = [{"id": w.id, "ky": w.ky, **_choice(w)} for w in pairs]
    options = [w.id for w in pairs]
    rng.shuffle(options)
    return pairs[0].id, {"pairs": rows, "options": options}


def generate(
    words: Sequence[Word],
    pool: Sequence[Word],
    *,
    seed: int,
    count: int,
    with_match: bool = True,
) -> list[QuestionSpec]:
    """`count` questions (fewer only if there are no words) on `words`; `pool` gives distractors."""
    if not words or count <= 0:
        return []
    rng = random.Random(seed)
    order = list(words)
    rng.shuffle(order)
    specs: list[QuestionSpec] = []
    match_slot = 4 if with_match and count >= 6 else None
    used: set[tuple[int, ExerciseKind]] = set()
    index = 0
    while len(specs) < count:
        if len(specs) == match_slot:
            others = list(words)
            rng.shuffle(others)
            match = match_params(others, rng)
            match_slot = None
            if match is not None:
                specs.append(QuestionSpec(ExerciseKind.MATCH, match[0], match[1]))
                continue
        word = order[index % len(order)]
        kind = ROTATION[len(specs) % len(ROTATION)]
        if index >= len(order):  # a short lesson: the same word again, another exercise
            kind = _unused_kind(word, kind, used)
        spec = _question(word, kind, pool, rng)
        used.add((word.id, spec.kind))
        specs.append(spec)
        index += 1
    return specs


def _unused_kind(
    word: Word, preferred: ExerciseKind, used: set[tuple[int, ExerciseKind]]
) -> ExerciseKind:
    for kind in (preferred, *ROTATION):
        if (word.id, kind) not in used:
            return kind
    return preferred


def _question(
    word: Word, kind: ExerciseKind, pool: Sequence[Word], rng: random.Random
) -> QuestionSpec:
    if kind == ExerciseKind.SUFFIX:
        form = rng.choice(SUFFIX_FORMS)
        answers = suffix_answers(word, form)
        if answers:
            return QuestionSpec(kind, word.id, {"form": form, "answers": answers})
        kind = ExerciseKind.RECALL
    if kind == ExerciseKind.RECOGNISE:
        params = recognise_params(word, pool, rng)
        if params is not None:
            return QuestionSpec(kind, word.id, params)
        kind = ExerciseKind.RECALL
    return QuestionSpec(kind, word.id, {})
