"""Answer checking with teaching feedback: what was wrong, not only that it was.

Answers are compared in `answer_key` form: case, white space, punctuation (hyphens aside),
look-alike letters and what a Japanese input method adds (full-width Latin, the ideographic
space, 。！？) never make an answer wrong. When several kinds apply, the first in this table wins:

| order | kind               | status  | example (given → accepted)                              |
| ----- | ------------------ | ------- | ------------------------------------------------------- |
| 1     | no_accepted_answer | wrong   | the question has no answer                              |
| 2     | empty              | wrong   | nothing typed                                           |
| 3     | exact              | correct | «Кош　келиңиз！» → Кош келиңиз!                          |
| 4     | kana               | wrong   | サラム → салам: type Cyrillic, and how                   |
| 5     | latin_input        | correct | salam, ｓａｌａｍ → салам (Latin is converted)           |
| 6     | ng_digraph         | almost  | чонг → чоң                                              |
| 7     | special_letter     | almost  | кол → көл; kosh keliniz → Кош келиңиз (*), with the    |
|       |                    |         | special_letter_latin message                            |
| 8     | russian_spelling   | almost  | киргиз → кыргыз, япон → жапон                           |
| 9     | linking_n          | wrong   | аба ырайыга → аба ырайына                               |
| 10    | other_form         | wrong   | колдо → колго (another form of the same word)           |
| 11    | stem_voicing       | wrong   | китепим → китебим                                       |
|       | suffix_consonant   | wrong   | китеплер → китептер (the rule of the first difference)  |
|       | vowel_harmony      | wrong   | жапонмын → жапонмун, кыргызчо → кыргызча                |
| 12    | latin_i, i_for_y   | almost  | salamatsizbi → саламатсызбы, кизил → кызыл (**)         |
| 13    | other_word         | wrong   | сүйлөм → сүйлөйм (a real word one edit away)            |
| 14    | typo               | almost  | китпе → китеп; in short words only a doubled or dropped |
|       |                    |         | letter: сөзз → сөз, тооо → тоо                          |
| 15    | different          | wrong   | anything else                                           |

(*) A learner who typed ң ө ү in the answer has the keys, so a folded letter there is first
tried as a rule (көлдо → көлдө: harmony) and as another word (көлгө "to the lake" for колго "to
the hand"), and only then called a special letter.
(**) In Latin input, i for ы comes before rules 9-11: it is the Latin scheme, not the grammar.
Kinds 9-11 and 13 look at the one word that differs when the answer has several words. The words a learner
knows (`Lexicon`: a course's vocabulary and the forms of its nouns) decide `other_word` and help
find a stem; without one, `other_word` is never given.

`strict` (the contest) reports almost as wrong and keeps kind and message.

This module is the table and its entry point `check`; the checks it calls are in `spelling.py`
(typing and spelling slips), `word_forms.py` (other forms of a noun) and `rules.py` (grammar).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from app.kyrgyz.alphabet import SPECIAL_LETTERS
from app.kyrgyz.i18n import N_
from app.kyrgyz.latin import APOSTROPHES, to_cyrillic
from app.kyrgyz.morphology import FORM_LABELS, forms
from app.kyrgyz.normalize import has_cyrillic, has_latin, normalize
from app.kyrgyz.rules import broken_rule
from app.kyrgyz.spelling import (
    differing_word,
    has_i_for_y,
    is_japanese,
    is_typo,
    other_word,
    russian_spelling,
    special_letters,
)
from app.kyrgyz.word_forms import is_kyrgyz_word, other_form

__all__ = ["FORM_LABELS", "MESSAGES", "SOUND_LABELS", "Lexicon", "Verdict", "check", "lexicon"]

Status = Literal["correct", "almost", "wrong"]

MESSAGES: dict[str, str] = {
    "exact": N_("Correct."),
    "latin_input": N_("In Cyrillic it is written %(converted)s."),
    "special_letter": N_("Mind the special letters (%(letters)s): it is written %(expected)s."),
    "special_letter_latin": N_(
        "In Cyrillic you wrote %(converted)s. Mind the special letters (%(letters)s): "
        "it is written %(expected)s."
    ),
    "ng_digraph": N_(
        "ң is one letter, not нг: type it with the on-screen key (or ng in Latin). "
        "It is written %(expected)s."
    ),
    "russian_spelling": N_(
        "That is the Russian spelling: Kyrgyz writes %(kyrgyz)s, not %(russian)s. "
        "It is written %(expected)s."
    ),
    "latin_i": N_(
        "In Latin letters ы is typed y (i is и): it is written %(expected)s, "
        "and you wrote %(converted)s."
    ),
    "i_for_y": N_("ы and и are different letters: it is written %(expected)s."),
    "kana": N_(
        "Please type the answer in Kyrgyz Cyrillic: use the on-screen keys under the answer "
        "box, or type it in Latin letters (salam becomes салам). The answer is %(expected)s."
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
    "suffix_consonant": N_(
        "The suffix's first consonant: after %(letter)s (%(letter_sound)s) the suffix begins "
        "with %(consonant)s, so %(expected)s, not %(given)s."
    ),
    "stem_voicing": N_(
        "The end of the stem: %(voiceless)s becomes %(voiced)s before a vowel and stays "
        "%(voiceless)s before a consonant, so %(expected)s, not %(given)s."
    ),
    "linking_n": N_(
        "%(word)s already ends in a possessive suffix, so the case ending takes a linking н: "
        "%(expected)s, not %(given)s."
    ),
    "other_word": N_("%(given)s is another word. The answer is %(expected)s."),
    "empty": N_("No answer was given. The answer is %(expected)s."),
    "different": N_("The answer is %(expected)s."),
    "no_accepted_answer": N_("This question has no accepted answer yet."),
}
"""The English msgid of each verdict kind; `Verdict.message` is one of these."""

SOUND_LABELS: dict[str, str] = {
    "vowel": N_("a vowel"),
    "sonorant": N_("й or р"),
    "voiced": N_("a voiced consonant"),
    "voiceless": N_("a voiceless consonant"),
}
"""What a suffix's first consonant depends on, named in the suffix_consonant message."""

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
        """Translate the message; parameters ending in `_form` or `_sound` are keys, translated."""
        params = {name: _label(gettext, name, value) for name, value in self.params.items()}
        return gettext(self.message) % params


def _label(gettext: Callable[[str], str], name: str, value: str) -> str:
    if name.endswith("_form") and value in FORM_LABELS:
        return gettext(FORM_LABELS[value])
    if name.endswith("_sound") and value in SOUND_LABELS:
        return gettext(SOUND_LABELS[value])
    return value


@dataclass(frozen=True)
class Lexicon:
    """The Kyrgyz words a learner may know, in `answer_key` form (lower case)."""

    words: frozenset[str]

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def knows(self, word: str) -> bool:
        """True if `word` (in answer_key form) is a word of the lexicon."""
        return word in self.words


def lexicon(texts: Iterable[str], nouns: Iterable[str] = ()) -> Lexicon:
    """The words of `texts` (words, phrases, examples) and every form of each of `nouns`."""
    words: set[str] = set()
    for text in texts:
        words.update(_words(text))
    for noun in nouns:
        try:
            table = forms(noun)
        except ValueError:
            continue
        for form in table.values():
            words.update(_words(form))
    return Lexicon(frozenset(words))


def _words(text: str) -> list[str]:
    return [word for word in answer_key(text).split() if has_cyrillic(word)]


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


def check(
    given: str, accepted: Sequence[str], *, strict: bool = False, lexicon: Lexicon | None = None
) -> Verdict:
    """Judge `given` against the accepted answers; never raises on any string.

    `lexicon`: the words the learner may know (see `lexicon()`), for `other_word`."""
    answers = [(answer_key(answer), answer) for answer in accepted if isinstance(answer, str)]
    answers = [(key, answer) for key, answer in answers if key]
    if not answers:
        return _verdict("wrong", "", "no_accepted_answer", {})
    given_key = answer_key(given) if isinstance(given, str) else ""
    if not given_key:
        return _verdict("wrong", answers[0][1], "empty", {"expected": answers[0][1]})
    return _Judge(answers, strict, lexicon).judge(given_key)


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


@dataclass
class _Judge:
    """One answer being judged by the table in the module docstring, in its order."""

    answers: list[tuple[str, str]]
    strict: bool
    lexicon: Lexicon | None
    converted: str | None = None

    def verdict(self, status: Status, answer: str, kind: str, params: dict[str, str]) -> Verdict:
        if self.converted is not None and kind == "special_letter":
            params["converted"] = self.converted
            return _verdict(
                status,
                answer,
                kind,
                params,
                strict=self.strict,
                converted=self.converted,
                message=MESSAGES["special_letter_latin"],
            )
        return _verdict(status, answer, kind, params, strict=self.strict, converted=self.converted)

    def judge(self, given: str) -> Verdict:
        for key, answer in self.answers:
            if given == key:
                return _verdict("correct", answer, "exact", {})
        if any(is_japanese(char) for char in given):
            return self.verdict(
                "wrong", self.answers[0][1], "kana", {"expected": self.answers[0][1]}
            )
        if has_latin(given):
            vocabulary = [answer for _, answer in self.answers]
            cyrillic = answer_key(to_cyrillic(given, vocabulary, restore_special=False))
            if cyrillic != given:
                self.converted = given = cyrillic
                for key, answer in self.answers:
                    if given == key:
                        return self.verdict("correct", answer, "latin_input", {"converted": given})
        return self.explain(given)

    def explain(self, given: str) -> Verdict:
        for key, answer in self.answers:
            if "ң" in key and given.replace("нг", "ң") == key:
                return self.verdict("almost", answer, "ng_digraph", {"expected": answer})
        special = special_letters(given, self.answers)
        has_keys = any(char in SPECIAL_LETTERS for char in given)
        if special is not None and not has_keys:
            return self.verdict("almost", special[0], "special_letter", special[1])
        for key, answer in self.answers:
            russian = russian_spelling(given, key)
            if russian is not None:
                return self.verdict(
                    "almost", answer, "russian_spelling", russian | {"expected": answer}
                )
        if self.converted is not None:
            latin_i = self.i_for_y(given)
            if latin_i is not None:
                return latin_i
        for key, answer in self.answers:
            grammar = self.grammar(given, key, answer)
            if grammar is not None:
                return grammar
        i_for_y = self.i_for_y(given)
        if i_for_y is not None:
            return i_for_y
        for key, answer in self.answers:
            if self.lexicon is not None:
                # With ң ө ү typed, a word equal but for them is as deliberate as one edit.
                folded = special is not None and special[0] == answer
                word = other_word(given, key, self.lexicon, any_distance=folded)
                if word is not None:
                    return self.verdict(
                        "wrong", answer, "other_word", {"given": word, "expected": answer}
                    )
        if special is not None:
            return self.verdict("almost", special[0], "special_letter", special[1])
        for key, answer in self.answers:
            if is_typo(given, key):
                return self.verdict("almost", answer, "typo", {"expected": answer})
        closest = max(self.answers, key=lambda pair: fuzz.ratio(given, pair[0]))[1]
        return self.verdict("wrong", closest, "different", {"expected": closest})

    def i_for_y(self, given: str) -> Verdict | None:
        """и typed for ы: in Latin input (i for y) or in Cyrillic, the ear's confusion."""
        for key, answer in self.answers:
            if has_i_for_y(given, key):
                if self.converted is None:
                    return self.verdict("almost", answer, "i_for_y", {"expected": answer})
                params = {"expected": answer, "converted": self.converted}
                return self.verdict("almost", answer, "latin_i", params)
        return None

    def grammar(self, given: str, key: str, answer: str) -> Verdict | None:
        """linking_n, other_form and the rules of app.kyrgyz.rules, on the one differing word."""
        pair = differing_word(given, key)
        if pair is None:
            return None
        given_word, expected_word = pair
        if not is_kyrgyz_word(given_word) or not is_kyrgyz_word(expected_word):
            return None
        known = self.lexicon.knows if self.lexicon is not None else None
        rule = broken_rule(given_word, expected_word, known)
        relation = (
            None if rule and rule.kind == "linking_n" else other_form(given_word, expected_word)
        )
        if relation is not None:
            kind, params = "other_form", relation
        elif rule is not None:
            kind, params = rule.kind, dict(rule.params)
        else:
            return None
        if len(answer.split()) == 1:
            params["expected"] = answer
        return self.verdict("wrong", answer, kind, params)
