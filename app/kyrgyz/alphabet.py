"""The Kyrgyz Cyrillic alphabet and the letter classes that suffixes depend on."""

from __future__ import annotations

ALPHABET: tuple[str, ...] = tuple("абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя")
"""The 36 lower-case letters, in dictionary order."""

LETTERS: frozenset[str] = frozenset(ALPHABET)
ALL_LETTERS: frozenset[str] = LETTERS | frozenset(letter.upper() for letter in ALPHABET)
"""The 36 letters in both cases."""

SPECIAL_LETTERS: tuple[str, ...] = ("ң", "ө", "ү")
"""The three letters beyond Russian, missing from Japanese and English keyboards."""

SPECIAL_FOLD: dict[str, str] = {"ң": "н", "ө": "о", "ү": "у", "Ң": "Н", "Ө": "О", "Ү": "У"}
"""What learners type instead of each special letter (they have no Unicode decomposition)."""

VOWELS: frozenset[str] = frozenset("аеёиоөуүыэюя")
BACK_VOWELS: frozenset[str] = frozenset("аыоуяёю")
FRONT_VOWELS: frozenset[str] = frozenset("еэиөү")
ROUNDED_VOWELS: frozenset[str] = frozenset("оуөүёю")

VOICELESS: frozenset[str] = frozenset("кпстфхцчшщ")
VOICED: frozenset[str] = frozenset("бвгджзлмнң")
"""Voiced consonants other than й and р, which behave like vowels for some suffixes."""
SONORANT_LIKE_VOWEL: frozenset[str] = frozenset("йр")
CONSONANTS: frozenset[str] = VOICELESS | VOICED | SONORANT_LIKE_VOWEL
SIGNS: frozenset[str] = frozenset("ьъ")

# The harmony class of each vowel letter: ё, ю, я behave as о, у, а; э as е.
_HARMONY_VOWEL = {"я": "а", "ё": "о", "ю": "у", "э": "е"}
_LOW = {"а": "а", "ы": "а", "у": "а", "о": "о", "е": "е", "и": "е", "ө": "ө", "ү": "ө"}
_HIGH = {"а": "ы", "ы": "ы", "о": "у", "у": "у", "е": "и", "и": "и", "ө": "ү", "ү": "ү"}

LOW_SUFFIX_VOWELS: frozenset[str] = frozenset("аеоө")
"""The four spellings of the low harmony vowel {A}."""
HIGH_SUFFIX_VOWELS: frozenset[str] = frozenset("ыиуү")
"""The four spellings of the high harmony vowel {I}."""


def harmony_vowel(letter: str) -> str:
    """Return the basic vowel (а ы о у е и ө ү) that a vowel letter counts as for harmony."""
    lower = letter.lower()
    return _HARMONY_VOWEL.get(lower, lower)


def last_vowel(word: str) -> str | None:
    """Return the last vowel letter of `word` (lower case, as written), or None if it has none."""
    for letter in reversed(word.lower()):
        if letter in VOWELS:
            return letter
    return None


def low_vowel(after: str) -> str:
    """The low suffix vowel {A} after the vowel `after`: а е о ө (у takes а, ү takes ө)."""
    return _LOW[harmony_vowel(after)]


def high_vowel(after: str) -> str:
    """The high suffix vowel {I} after the vowel `after`: ы и у ү."""
    return _HIGH[harmony_vowel(after)]
