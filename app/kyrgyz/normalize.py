"""One normalisation used everywhere Kyrgyz text is compared.

Latin look-alike letters (a c e o p x y k m, and capital B H T) are mapped to Cyrillic only
inside a word that already contains a Cyrillic letter: "кoл" with a Latin o becomes "кол", but
"salamatsyzby" or "ok" stay Latin, so that `latin.to_cyrillic` can read them as Latin input.
Non-Latin look-alikes (ɵ Ɵ ұ ҥ ӈ ӧ ӱ) have no other use in Kyrgyz text and are mapped everywhere.
What a Japanese input method types, full-width Latin and punctuation (ｓａｌａｍ！) and the
ideographic space, is read as the ASCII it stands for.
"""

from __future__ import annotations

import unicodedata

from app.kyrgyz.alphabet import SPECIAL_FOLD

_ALWAYS = str.maketrans(
    {
        "ɵ": "ө",
        "Ɵ": "Ө",
        "ұ": "ү",
        "Ұ": "Ү",
        "ҥ": "ң",
        "Ҥ": "Ң",
        "ӈ": "ң",
        "Ӈ": "Ң",
        "ӧ": "ө",
        "Ӧ": "Ө",
        "ӱ": "ү",
        "Ӱ": "Ү",
    }
)
# Full-width ASCII (U+FF01-U+FF5E) and the ideographic space, from Japanese input methods.
_FULL_WIDTH = str.maketrans(
    {**{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}, "\u3000": " "}
)
# Capitals whose lower-case forms are not look-alikes (b, h, t), applied before case-folding.
_UPPER_IN_CYRILLIC = str.maketrans({"B": "В", "H": "Н", "T": "Т", "M": "М", "K": "К"})
_LOWER_IN_CYRILLIC = str.maketrans(
    {
        "a": "а",
        "c": "с",
        "e": "е",
        "o": "о",
        "p": "р",
        "x": "х",
        "y": "у",
        "k": "к",
        "m": "м",
        "ö": "ө",
        "ü": "ү",
        "ñ": "ң",
        "ë": "ё",
    }
)
_FOLD_SPECIAL = str.maketrans(SPECIAL_FOLD)


def is_cyrillic(char: str) -> bool:
    """True for a character of the Cyrillic blocks (U+0400-U+052F)."""
    return "\u0400" <= char <= "\u052f"


def has_cyrillic(text: str) -> bool:
    """True if any character of `text` is Cyrillic."""
    return any(map(is_cyrillic, text))


def has_latin(text: str) -> bool:
    """True if `text` contains a Latin letter (a-z or accented Latin)."""
    return any(char.isalpha() and "LATIN" in unicodedata.name(char, "") for char in text)


def _in_cyrillic_words(text: str, table: dict[int, str]) -> str:
    if not any(char.isascii() or char in "öüñë" for char in text):
        return text
    return "".join(
        word.translate(table) if has_cyrillic(word) else word
        for word in _split_keeping_spaces(text)
    )


def _split_keeping_spaces(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for index, char in enumerate(text):
        if char.isspace():
            if start < index:
                parts.append(text[start:index])
            parts.append(char)
            start = index + 1
    if start < len(text):
        parts.append(text[start:])
    return parts


def _is_edge_junk(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZC"


def normalize(text: str) -> str:
    """Return the comparison form of `text`: NFC, look-alikes mapped, case-folded, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = text.translate(_ALWAYS).translate(_FULL_WIDTH)
    text = _in_cyrillic_words(text, _UPPER_IN_CYRILLIC)
    text = unicodedata.normalize("NFC", text.casefold())
    # Mapping can create new composable pairs (Latin y + breve → у + breve → ў).
    text = unicodedata.normalize("NFC", _in_cyrillic_words(text, _LOWER_IN_CYRILLIC))
    start, end = 0, len(text)
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    return " ".join(text[start:end].split())


def fold_special(text: str) -> str:
    """Replace ң ө ү by н о у, as learners without the keys type them."""
    return text.translate(_FOLD_SPECIAL)
