"""Answer checking with teaching feedback: what was wrong, not only that it was.

The rules, in order (issue 3):

1. normalised equality with an accepted answer → correct. Case, white space, punctuation
   (except hyphens) and look-alike letters never make an answer wrong;
2. equal once ң ө ү are folded to н о у → almost, `special_letter`, naming the letters;
3. Latin input is converted with the accepted answers as vocabulary and judged by 1 and 2; the
   conversion does not restore ө ү ң itself, so "kosh keliniz" is almost, like "кош келиниз";
4. another inflected form of the expected noun → wrong, `other_form`, naming both forms; a
   suffix whose harmony vowel is wrong → wrong, `vowel_harmony`, stating the rule. These two are
   recognised at any edit distance, since the answer is wrong either way;
5. one edit (insert, delete, substitute, transpose) from an accepted answer of 4+ letters →
   almost, `typo`;
6. anything else → wrong, `different`; nothing typed → wrong, `empty`.

`strict` (the contest) reports almost as wrong and keeps kind and message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from app.kyrgyz.alphabet import (
    ALL_LETTERS,
    HIGH_SUFFIX_VOWELS,
    LOW_SUFFIX_VOWELS,
    VOWELS,
    harmony_vowel,
)
from app.kyrgyz.i18n import N_
from app.kyrgyz.latin import APOSTROPHES, to_cyrillic
from app.kyrgyz.morphology import FORM_LABELS, POSSESSIVE_STEMS, PRONOUNS, forms
from app.kyrgyz.normalize import fold_special, has_latin, normalize

__all__ = ["FORM_LABELS", "MESSAGES", "Verdict", "check"]

Status = Literal["correct", "almost", "wrong"]

MESSAGES: dict[str, str] = {
    "exact": N_("Correct."),
    "latin_input": N_("Correct. In Cyrillic it is written %(converted)s."),
    "special_letter": N_("Mind the special letters (%(letters)s): it is written %(expected)s."),
    "special_letter_latin": N_(
        "In Cyrillic you wrote %(converted)s. Mind the special letters (%(letters)s): "
        "it is written %(expected)s."
    ),
    "typo": N_("There is a small typing mistake: it is written %(expected)s."),
    "other_form": N_(
        "%(given)s is the %(given_form)s form; the answer needs the %(expected_form)s form: "
        "%(expected)s."
    ),
    "vowel_harmony": N_(
        "Vowel harmony: after the vowel %(vowel)s the suffix takes %(suffix_vowel)s, "
        "so %(expected)s, not %(given)s."
    ),
    "empty": N_("No answer was given. The answer is %(expected)s."),
    "different": N_("The answer is %(expected)s."),
    "no_accepted_answer": N_("This question has no accepted answer yet."),
}
"""The English msgid of each verdict kind; `Verdict.message` is one of these."""

TYPO_MIN_LETTERS = 4
_HYPHENS = frozenset("-‐‑‒–")


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer, with a translatable explanation."""

    status: Status
    expected: str
    kind: str
    message: str
    params: dict[str, str] = field(default_factory=dict)
    converted: str | None = None

    @property
    def is_correct(self) -> bool:
        """True only for a fully correct answer."""
        return self.status == "correct"

    def render(self, gettext: Callable[[str], str]) -> str:
        """Translate the message; parameters ending in `_form` are form keys, translated too."""
        params = {
            name: gettext(FORM_LABELS[value])
            if name.endswith("_form") and value in FORM_LABELS
            else value
            for name, value in self.params.items()
        }
        return gettext(self.message) % params


def answer_key(text: str) -> str:
    """The form answers are compared in: normalised, inner punctuation dropped but hyphens kept."""
    text = normalize(text)
    if not any(unicodedata.category(char)[0] == "P" for char in text):
        return text
    out = []
    for index, char in enumerate(text):
        if unicodedata.category(char)[0] != "P":
            out.append(char)
        elif (
            char in _HYPHENS
            and 0 < index < len(text) - 1
            and text[index - 1].isalpha()
            and text[index + 1].isalpha()
        ):
            out.append("-")
        elif char in APOSTROPHES:
            out.append(char)
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def check(given: str, accepted: Sequence[str], *, strict: bool = False) -> Verdict:
    """Judge `given` against the accepted answers; never raises on any string."""
    answers = [(answer_key(answer), answer) for answer in accepted if isinstance(answer, str)]
    answers = [(key, answer) for key, answer in answers if key]
    if not answers:
        return _verdict("wrong", "", "no_accepted_answer", {})
    given_key = answer_key(given) if isinstance(given, str) else ""
    if not given_key:
        return _verdict("wrong", answers[0][1], "empty", {"expected": answers[0][1]})
    return _judge(given_key, answers, strict)


def _verdict(
    status: Status,
    expected: str,
    kind: str,
    params: dict[str, str],
    *,
    strict: bool = False,
    converted: str | None = None,
    message: str | None = None,
) -> Verdict:
    if strict and status == "almost":
        status = "wrong"
    if "expected" in params:
        # The message ends its own sentence: "it is written Рахмат." not "Рахмат!."
        shown = params["expected"].strip()
        params["expected"] = shown.rstrip(".!?…。") or shown
    return Verdict(status, expected, kind, message or MESSAGES[kind], params, converted)


def _judge(given: str, answers: list[tuple[str, str]], strict: bool) -> Verdict:
    for key, answer in answers:
        if given == key:
            return _verdict("correct", answer, "exact", {})
    special = _special_letters(given, answers)
    if special is not None:
        answer, letters = special
        params = {"letters": letters, "expected": answer}
        return _verdict("almost", answer, "special_letter", params, strict=strict)

    converted: str | None = None
    if has_latin(given):
        cyrillic = answer_key(to_cyrillic(given, [a for _, a in answers], restore_special=False))
        if cyrillic != given:
            converted, given = cyrillic, cyrillic
            for key, answer in answers:
                if given == key:
                    params = {"converted": converted}
                    return _verdict("correct", answer, "latin_input", params, converted=converted)
            special = _special_letters(given, answers)
            if special is not None:
                answer, letters = special
                params = {"letters": letters, "expected": answer, "converted": converted}
                return _verdict(
                    "almost",
                    answer,
                    "special_letter",
                    params,
                    strict=strict,
                    converted=converted,
                    message=MESSAGES["special_letter_latin"],
                )

    for key, answer in answers:
        relation = _morphological_relation(given, key)
        if relation is not None:
            kind, params = relation
            if len(answer.split()) == 1:
                params["expected"] = answer
            return _verdict("wrong", answer, kind, params, converted=converted)

    for key, answer in answers:
        letter_count = sum(char.isalpha() for char in key)
        if letter_count >= TYPO_MIN_LETTERS and OSA.distance(given, key, score_cutoff=1) <= 1:
            params = {"expected": answer}
            return _verdict("almost", answer, "typo", params, strict=strict, converted=converted)

    closest = max(answers, key=lambda pair: fuzz.ratio(given, pair[0]))[1]
    return _verdict("wrong", closest, "different", {"expected": closest}, converted=converted)


def _special_letters(given: str, answers: list[tuple[str, str]]) -> tuple[str, str] | None:
    folded = fold_special(given)
    for key, answer in answers:
        if fold_special(key) == folded:
            pairs = dict.fromkeys(
                f"{typed} → {meant}"
                for typed, meant in zip(given, key, strict=True)
                if typed != meant
            )
            return answer, ", ".join(pairs)
    return None


def _morphological_relation(given: str, expected: str) -> tuple[str, dict[str, str]] | None:
    """Find whether `given` is another form, or a disharmonic form, of the expected noun."""
    given_words, expected_words = given.split(), expected.split()
    if len(given_words) != len(expected_words):
        return None
    differing = [(g, e) for g, e in zip(given_words, expected_words, strict=True) if g != e]
    if len(differing) != 1:
        return None
    given_word, expected_word = differing[0]
    if not _is_kyrgyz_word(given_word) or not _is_kyrgyz_word(expected_word):
        return None
    candidates = _lemma_candidates(given_word, expected_word)
    for lemma in candidates:
        table = _form_table(lemma)
        expected_form = table.get(expected_word)
        given_form = table.get(given_word)
        if expected_form is not None and given_form is not None:
            return "other_form", {
                "given": given_word,
                "given_form": given_form,
                "expected": expected_word,
                "expected_form": expected_form,
            }
    for lemma in candidates:
        if expected_word in _form_table(lemma):
            harmony = _harmony_error(given_word, expected_word, lemma)
            if harmony is not None:
                return "vowel_harmony", harmony
    return None


def _is_kyrgyz_word(word: str) -> bool:
    return all(char in ALL_LETTERS or char == "-" for char in word) and any(
        char in VOWELS for char in word
    )


_VOICED_BACK = {"г": "к", "б": "п"}
# A stem may end in two consonants only after a sonorant or с ш (кырк, дост, банк, Гамбург).
_CLUSTER_FIRST = frozenset("рлйнмңсш")


def _plausible_stem(stem: str) -> bool:
    bare = stem.rstrip("ь")
    if len(bare) < 2 or not any(char in VOWELS for char in bare):
        return False
    last, before = bare[-1], bare[-2]
    return last in VOWELS or before in VOWELS or before in _CLUSTER_FIRST


def _lemma_candidates(given: str, expected: str) -> list[str]:
    """Stems both words may be forms of, shortest first, undoing stem changes (дарагы → дарак)."""
    shared = 0
    for a, b in zip(given, expected, strict=False):
        if a != b:
            break
        shared += 1
    candidates = list(_IRREGULAR_LEMMAS.get(expected, ())) + list(_IRREGULAR_LEMMAS.get(given, ()))
    for length in range(2, min(len(expected), shared + 1) + 1):
        stem = expected[:length]
        candidates.append(stem)
        if stem[-1] in _VOICED_BACK:
            candidates.append(stem[:-1] + _VOICED_BACK[stem[-1]])
        elif stem[-1] == "ю":
            candidates.append(stem[:-1] + "й")  # той → тоюм
        if length <= shared:
            candidates.append(stem + "ь")
    return [stem for stem in dict.fromkeys(candidates) if _plausible_stem(stem)]


@lru_cache(maxsize=8192)
def _form_table(lemma: str) -> dict[str, str]:
    """Map each form of `lemma` to its first form key; empty if `lemma` can't be inflected."""
    try:
        table = forms(lemma)
    except ValueError:
        return {}
    by_form: dict[str, str] = {}
    for key, form in table.items():
        by_form.setdefault(form, key)
    return by_form


def _irregular_lemmas() -> dict[str, tuple[str, ...]]:
    """Forms whose lemma is not one of their prefixes (мага → мен, мурду → мурун)."""
    lemmas: dict[str, set[str]] = {}
    for lemma in (*PRONOUNS, *POSSESSIVE_STEMS, "бала"):
        for form in forms(lemma).values():
            lemmas.setdefault(form, set()).add(lemma)
    return {form: tuple(sorted(names)) for form, names in lemmas.items()}


_IRREGULAR_LEMMAS = _irregular_lemmas()


def _harmony_error(given: str, expected: str, lemma: str) -> dict[str, str] | None:
    """Describe a suffix that differs from `expected` only in harmony vowels, if it does."""
    if len(given) != len(expected):
        return None
    stem_length = 0
    for a, b in zip(lemma, expected, strict=False):
        if a != b:
            break
        stem_length += 1
    positions = [index for index, (a, b) in enumerate(zip(given, expected, strict=True)) if a != b]
    if not positions or positions[0] < stem_length:
        return None
    for index in positions:
        pair = {given[index], expected[index]}
        if not (pair <= LOW_SUFFIX_VOWELS or pair <= HIGH_SUFFIX_VOWELS):
            return None
    first = positions[0]
    vowel = next((char for char in reversed(expected[:first]) if char in VOWELS), "")
    if not vowel:
        return None
    return {
        "vowel": vowel if vowel == harmony_vowel(vowel) else f"{vowel} ({harmony_vowel(vowel)})",
        "suffix_vowel": expected[first],
        "expected": expected,
        "given": given,
    }
