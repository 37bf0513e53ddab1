"""The slips an answer may have beside the grammar: typing, special letters, spellings, script.

`app.kyrgyz.answers` tries them in the order of its table; each answers one question about a
given answer and an accepted one (both in `answer_key` form), and none judges on its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container

from rapidfuzz.distance import OSA

from app.kyrgyz.normalize import fold_special

# Russian spellings of Kyrgyz words (Киргизия, Иссык-Куль) and their Kyrgyz spelling, longest first.
RUSSIAN_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("иссык-куль", "ысык-көл"),
    ("киргизия", "кыргызстан"),
    ("киргиз", "кыргыз"),
    ("иссык", "ысык"),
    ("навруз", "нооруз"),
    ("кумыс", "кымыз"),
    ("куль", "көл"),
    ("япон", "жапон"),
    ("дж", "ж"),
)

TYPO_MIN_LETTERS = 4
_JAPANESE_SCRIPTS = ("HIRAGANA", "KATAKANA", "CJK UNIFIED IDEOGRAPH")


def is_japanese(char: str) -> bool:
    """Kana (half-width too) and kanji: what a Japanese input method types when left on."""
    name = unicodedata.name(char, "")
    return any(script in name for script in _JAPANESE_SCRIPTS)


def differing_word(given: str, key: str) -> tuple[str, str] | None:
    """The (given, expected) word pair when the answers differ in exactly one word."""
    given_words, expected_words = given.split(), key.split()
    if len(given_words) != len(expected_words):
        return None
    differing = [(g, e) for g, e in zip(given_words, expected_words, strict=True) if g != e]
    return differing[0] if len(differing) == 1 else None


def special_letters(
    given: str, answers: list[tuple[str, str]]
) -> tuple[str, dict[str, str]] | None:
    """The accepted answer equal but for ң ө ү typed as н о у, and the letters to mention."""
    folded = fold_special(given)
    for key, answer in answers:
        if fold_special(key) == folded:
            pairs = dict.fromkeys(
                f"{typed} → {meant}"
                for typed, meant in zip(given, key, strict=True)
                if typed != meant
            )
            return answer, {"letters": ", ".join(pairs), "expected": answer}
    return None


def russian_spelling(given: str, key: str) -> dict[str, str] | None:
    """The Russian spelling the answer uses (киргиз for кыргыз), if undoing it gives the key."""
    kyrgyz, used = given, []
    for russian, native in RUSSIAN_SPELLINGS:
        if russian in kyrgyz:
            kyrgyz = kyrgyz.replace(russian, native)
            used.append((russian, native))
    if used and fold_special(kyrgyz) == fold_special(key):
        return {"russian": used[0][0], "kyrgyz": used[0][1]}
    return None


def has_i_for_y(given: str, key: str) -> bool:
    """True if the answer has и where ы belongs, and is otherwise right (ң ө ү folded)."""
    if len(given) != len(key):
        return False
    pairs = [(typed, meant) for typed, meant in zip(given, key, strict=True) if typed != meant]
    return ("и", "ы") in pairs and all(
        pair == ("и", "ы") or fold_special(pair[1]) == pair[0] for pair in pairs
    )


def other_word(
    given: str, key: str, known: Container[str], *, any_distance: bool = False
) -> str | None:
    """The real word one edit away from the expected one that the answer has instead, if any."""
    pair = differing_word(given, key)
    if pair is None or pair[0] not in known:
        return None
    if any_distance or OSA.distance(pair[0], pair[1], score_cutoff=1) <= 1:
        return pair[0]
    return None


def is_typo(given: str, key: str) -> bool:
    """One edit in a long answer; in a short one, a doubled or dropped letter (сөзз, тооо, то)."""
    if sum(char.isalpha() for char in key) >= TYPO_MIN_LETTERS:
        return OSA.distance(given, key, score_cutoff=1) <= 1
    longer, shorter = (given, key) if len(given) > len(key) else (key, given)
    if len(longer) != len(shorter) + 1:
        return False
    for index, char in enumerate(longer):
        if longer[:index] + longer[index + 1 :] == shorter:
            neighbours = longer[index - 1 : index] + longer[index + 1 : index + 2]
            if char in neighbours:
                return True
    return False
