"""Whole sentences: their words as tiles of a word bank, and the judging of a built or typed
sentence on top of `answers.check` (case and punctuation never count, a slip in one word gets the
checker's feedback), with what only a sentence can get wrong: the order of its words, and the
verb (the predicate), which Kyrgyz, like Japanese, puts at the end.

| order | kind         | status  | example (given → expected)                                 |
| ----- | ------------ | ------- | ---------------------------------------------------------- |
| 1     | (check)      | correct | мен студентмин → Мен студентмин. (any correct verdict)     |
| 2     | verb_final   | wrong   | барам мен мектепке → Мен мектепке барам.                   |
| 3     | word_order   | wrong   | мектепке мен барам → Мен мектепке барам.                   |
| 4     | (check)      | any     | мен мектепте барам → other_form, typo, special letters ... |
| 5     | extra_word   | wrong   | мен эртең мектепке барам: a word that doesn't belong       |
| 6     | missing_word | wrong   | мен барам: a word is missing                               |
| 7     | different    | wrong   | anything else (the checker's verdict)                      |
"""

from __future__ import annotations

from collections import Counter

from app.kyrgyz.answers import Lexicon, Verdict, answer_key, check
from app.kyrgyz.i18n import N_

MESSAGES: dict[str, str] = {
    "verb_final": N_(
        "Kyrgyz, like Japanese, puts the verb (the predicate) at the end of the sentence: "
        "%(verb)s comes last. The sentence is %(expected)s."
    ),
    "word_order": N_(
        "All the words are right, but in another order. The sentence is %(expected)s."
    ),
    "extra_word": N_("%(words)s does not belong in this sentence. The sentence is %(expected)s."),
    "missing_word": N_("A word is missing: %(words)s. The sentence is %(expected)s."),
}
"""The English msgid of each sentence verdict kind (the others are `answers.MESSAGES`)."""

MAX_SENTENCE_LENGTH = 500


def tiles(sentence: str) -> list[str]:
    """The words of `sentence` as a word bank shows them: as written, capitals kept, without
    the punctuation around them (a hyphen inside a word stays: Ысык-Көл)."""
    words = []
    for token in sentence.split():
        word = token.strip("«»\"'“”„.,!?;:…—–-()[]")
        if word and any(char.isalnum() for char in word):
            words.append(word)
    return words


def words(text: str) -> list[str]:
    """The words of `text` in `answer_key` form: what a sentence is compared by."""
    return answer_key(text).split()


def _expected_params(expected: str) -> str:
    shown = expected.strip()
    return shown.rstrip(".!?…。") or shown


def _verdict(kind: str, expected: str, params: dict[str, str], converted: str | None) -> Verdict:
    params = {**params, "expected": _expected_params(expected)}
    return Verdict("wrong", expected, kind, MESSAGES[kind], params, converted)


def check_sentence(given: str, expected: str, *, lexicon: Lexicon | None = None) -> Verdict:
    """Judge a built or typed sentence against the expected one; never raises on any string."""
    given = given[:MAX_SENTENCE_LENGTH] if isinstance(given, str) else ""
    verdict = check(given, [expected], lexicon=lexicon)
    if verdict.is_correct or verdict.kind in ("empty", "no_accepted_answer", "kana"):
        return verdict
    given_words = words(verdict.converted if verdict.converted is not None else given)
    expected_words = words(expected)
    converted = verdict.converted
    if Counter(given_words) == Counter(expected_words):
        last = expected_words[-1]
        if len(expected_words) > 1 and given_words[-1] != last:
            verb = tiles(expected)[-1] if tiles(expected) else last
            return _verdict("verb_final", expected, {"verb": verb}, converted)
        return _verdict("word_order", expected, {}, converted)
    if verdict.kind != "different":
        return verdict
    extra = Counter(given_words) - Counter(expected_words)
    missing = Counter(expected_words) - Counter(given_words)
    shown = {word.lower(): word for word in tiles(expected)}
    if extra and not missing:
        return _verdict("extra_word", expected, {"words": ", ".join(extra)}, converted)
    if missing and not extra:
        names = ", ".join(shown.get(word, word) for word in missing)
        return _verdict("missing_word", expected, {"words": names}, converted)
    return verdict
