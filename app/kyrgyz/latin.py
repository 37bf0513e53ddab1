"""Latin input for Kyrgyz, and ASCII Latin for slugs and file names.

`to_cyrillic` reads the schemes learners actually type, letter by letter:

    ö o' oʻ → ө    ü u' uʻ → ү    ñ ŋ ng → ң    j zh → ж    ch ç → ч    sh ş → ш    shch → шч
    y ı → ы, but y → й after a vowel and before a vowel: chay → чай, kiyim → кийим
    ya yu yo ye → я ю ё е    e → э at the start of a word or after a vowel (eshik → эшик)
    ee → ээ (jeen → жээн)
    kh h x → х    ts → тс (salamatsyzby)    c → ц    q → к    w v → в    ğ g' → г

Where one spelling has two readings (ng: ң or нг, ya: я or йа, ts: тс or ц, shch: шч or щ,
e: э or е as in Европа, поезд) the first is the default and the vocabulary decides. The
vocabulary also restores ө ү ң where plain o u n were typed, and the ь ъ that nobody types in
Latin (kompyuter → компьютер), but never overrides a special letter the learner did type:
"köl" stays көл even if the vocabulary only has кол. With `restore_special=False` only the
readings are chosen and ө ү ң are not restored (the answer checker wants to see "kosh keliniz"
as "кош келиниз", which is almost right).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from app.kyrgyz.alphabet import SPECIAL_FOLD, VOWELS
from app.kyrgyz.normalize import has_cyrillic

APOSTROPHES = "'ʼʻ’`‘"
_LATIN_LETTERS = "A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ"
_LATIN_WORD = re.compile(rf"[{_LATIN_LETTERS}]+(?:[{APOSTROPHES}][{_LATIN_LETTERS}]*)*")

# Longest spellings first; each maps to its readings, the default first.
_DIGRAPHS: dict[str, tuple[str, ...]] = {
    "shch": ("шч", "щ"),  # ашчы, ишчи, жумушчу are common; щ only in loanwords (борщ)
    "ee": ("ээ",),
    "sh": ("ш",),
    "ch": ("ч",),
    "zh": ("ж",),
    "kh": ("х",),
    "ng": ("ң", "нг"),
    "ts": ("тс", "ц"),
    "ya": ("я", "йа"),
    "yu": ("ю", "йу"),
    "yo": ("ё", "йо"),
    "ye": ("е", "йе"),
}
_WITH_APOSTROPHE = {"o": "ө", "u": "ү", "g": "г"}
_SINGLE: dict[str, str] = {
    "a": "а",
    "b": "б",
    "c": "ц",
    "d": "д",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "х",
    "z": "з",
    "ö": "ө",
    "ü": "ү",
    "ñ": "ң",
    "ŋ": "ң",
    "ı": "ы",
    "ş": "ш",
    "ç": "ч",
    "ğ": "г",
}
_LATIN_VOWELS = frozenset("aeiouöüı")
_MAX_READINGS = 64

_TO_LATIN: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ng",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
_FOLD = str.maketrans({**SPECIAL_FOLD, "ь": None, "ъ": None})


def _base_letter(char: str) -> str:
    """Reduce an accented Latin letter to the one it is read as (ó → o); keep ö ü ñ."""
    if char in _SINGLE or char in _LATIN_VOWELS or char == "y":
        return char
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if base in "ou" and "\u0308" in decomposed:
        return "ö" if base == "o" else "ü"
    if base == "n" and "\u0303" in decomposed:
        return "ñ"
    return base


def _segments(word: str, previous: str) -> list[tuple[tuple[str, ...], bool]]:
    """Split a Latin word into (readings, upper-case) segments."""
    lower = "".join(_base_letter(char.lower()[0]) for char in word)
    segments: list[tuple[tuple[str, ...], bool]] = []
    index = 0
    last_output = previous.lower()

    def after_vowel() -> bool:
        return last_output in VOWELS

    while index < len(lower):
        char = lower[index]
        upper = word[index].isupper()
        readings: tuple[str, ...] | None = None
        width = 1
        if char in APOSTROPHES:
            following = index + 1 < len(lower) and lower[index + 1].isalpha()
            readings = ("ь",) if following and last_output not in VOWELS else (word[index],)
        elif (
            index + 1 < len(lower) and lower[index + 1] in APOSTROPHES and char in _WITH_APOSTROPHE
        ):
            readings, width = (_WITH_APOSTROPHE[char],), 2
        else:
            for spelling in _DIGRAPHS:
                if lower.startswith(spelling, index):
                    readings, width = _DIGRAPHS[spelling], len(spelling)
                    break
        if readings is None:
            if char == "y":
                following_vowel = index + 1 < len(lower) and lower[index + 1] in _LATIN_VOWELS
                readings = ("й",) if following_vowel or after_vowel() else ("ы",)
            elif char == "e":
                readings = ("э", "е") if not last_output.isalpha() or after_vowel() else ("е",)
            elif char in _SINGLE:
                readings = (_SINGLE[char],)
            else:
                readings = (word[index],)
        segments.append((readings, upper))
        last_output = readings[0][-1]
        index += width
    return segments


def _spell(readings: Iterable[str], uppers: list[bool]) -> str:
    return "".join(
        reading.upper()
        if upper and len(uppers) > 1 and all(uppers)
        else (reading[:1].upper() + reading[1:] if upper else reading)
        for reading, upper in zip(readings, uppers, strict=True)
    )


@lru_cache(maxsize=256)
def _index(vocabulary: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = {}
    for entry in vocabulary:
        for raw in re.split(r"[\s\-‐‑]+", unicodedata.normalize("NFC", entry).lower()):
            word = raw.strip("«»\"'.,!?;:()[]—–-…")
            if word and has_cyrillic(word):
                index.setdefault(word.translate(_FOLD), set()).add(word)
    return {key: tuple(sorted(words)) for key, words in index.items()}


def _compatible(typed: str, known: str, restore_special: bool) -> bool:
    """True if `known` can be what was meant by `typed`: same letters, ь ъ and folds aside."""
    known = known.replace("ь", "").replace("ъ", "")
    typed = typed.replace("ь", "").replace("ъ", "")
    if len(typed) != len(known):
        return False
    return all(
        a == b or (restore_special and SPECIAL_FOLD.get(b) == a)
        for a, b in zip(typed, known, strict=True)
    )


def _from_vocabulary(
    readings: list[tuple[str, ...]], index: dict[str, tuple[str, ...]], restore_special: bool
) -> str | None:
    for count, choice in enumerate(itertools.product(*readings)):
        if count >= _MAX_READINGS:
            break
        typed = "".join(choice)
        matches = [
            known
            for known in index.get(typed.translate(_FOLD), ())
            if _compatible(typed, known, restore_special)
        ]
        exact = [known for known in matches if _compatible(typed, known, False)]
        if len(exact) == 1 or (not exact and len(matches) == 1):
            return (exact or matches)[0]
    return None


def _recase(word: str, model: str) -> str:
    letters = [char for char in model if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word


def to_cyrillic(text: str, vocabulary: Iterable[str] = (), *, restore_special: bool = True) -> str:
    """Convert the Latin words of `text` to Cyrillic, letting `vocabulary` pick the readings."""
    text = unicodedata.normalize("NFC", text)
    index = _index(tuple(vocabulary))
    pieces: list[str] = []
    position = 0
    for match in _LATIN_WORD.finditer(text):
        word = match.group()
        pieces.append(text[position : match.start()])
        previous = text[match.start() - 1] if match.start() else " "
        segments = _segments(word, previous)
        readings = [options for options, _ in segments]
        uppers = [upper for _, upper in segments]
        known = _from_vocabulary(readings, index, restore_special) if index else None
        pieces.append(_recase(known, word) if known else _spell((r[0] for r in readings), uppers))
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def to_latin(text: str) -> str:
    """Spell Kyrgyz Cyrillic `text` in plain ASCII Latin (ө ү → o u, ң → ng), for slugs."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    for match in re.finditer(r"\w+|\W+", text):
        chunk = match.group()
        letters = [char for char in chunk if char.isalpha()]
        all_caps = len(letters) > 1 and all(char.isupper() for char in letters)
        for char in chunk:
            latin = _TO_LATIN.get(char.lower())
            if latin is None:
                latin = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            elif char.isupper():
                latin = latin.upper() if all_caps else latin.capitalize()
            out.append(latin)
    return "".join(out)


def slugify(text: str, separator: str = "-") -> str:
    """Return a lower-case ASCII slug of `text` (Ысык-Көл → ysyk-kol)."""
    slug = re.sub(r"[^a-z0-9]+", separator, to_latin(text).lower())
    return slug.strip(separator)
