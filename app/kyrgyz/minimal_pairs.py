"""The sounds Japanese ears confuse in Kyrgyz, and minimal pairs that tell them apart.

A *contrast* is two sounds a Japanese learner hears as one: the front rounded vowels ө ү against
о у (Japanese has only お う), the velar ң against н (Japanese ん is either, by position), ы against
и (Japanese い is closer to и), and a long vowel against its short one (аа against а: Japanese
hears length, but learners read Kyrgyz double letters as a spelling detail).

Two words are a *minimal pair* when they are the same but for one sound, and that difference is
one of the contrasts: көл "lake" / кол "hand" (ө/о), тоо "mountain" / төө "camel" (long ө/о: the
whole long vowel changes), жан "soul" / жаан "rain" (short/long а). Words are compared in their
normalised form (`normalize.normalize`: NFC, case-folded, look-alikes mapped), so a decomposed й
or a Latin o in a Cyrillic word finds the same pairs.

`KNOWN_PAIRS` is a curated list of real pairs with their meanings, each checked against a
dictionary; a pair we were not sure of is left out rather than taught wrong.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.kyrgyz.i18n import N_
from app.kyrgyz.normalize import normalize

VOWELS = "аеёиоуыэюяөү"
LONG_VOWELS = "аэоөуү"  # the vowels Kyrgyz writes double (аа ээ оо өө уу үү)
_WORD = re.compile(r"^[а-яёңөү]+(?:-[а-яёңөү]+)?$")


@dataclass(frozen=True)
class Contrast:
    """Two sounds learners confuse; `key` is ASCII, for URLs and the database."""

    key: str
    first: str  # the sound Japanese lacks (ө ү ң ы, or the long vowel)
    second: str  # the sound it is heard as
    tip: str  # how to hear or say the difference (marked for translation)

    @property
    def label(self) -> str:
        """ "ө / о": the two letters, in every interface language."""
        return f"{self.first} / {self.second}"

    @property
    def is_length(self) -> bool:
        return len(self.first) == 2


_LENGTH_TIP = N_(
    "A double vowel is held about twice as long, like the difference between おばさん and "
    "おばあさん: the length changes the word."
)

CONTRASTS: tuple[Contrast, ...] = (
    Contrast(
        "oe-o",
        "ө",
        "о",
        N_("ө is said with the tongue of э and the round lips of о (like German ö); о is お."),
    ),
    Contrast(
        "ue-u",
        "ү",
        "у",
        N_(
            "ү is said with the tongue of и and tightly rounded lips (like German ü); у is a round う."
        ),
    ),
    Contrast(
        "ng-n",
        "ң",
        "н",
        N_(
            "ң is made at the back of the mouth, like ん before か (まんが); н is made with the "
            "tongue behind the teeth, like ん before な (あんない)."
        ),
    ),
    Contrast(
        "y-i",
        "ы",
        "и",
        N_(
            "ы is said with the tongue pulled back and the lips spread, between う and い; "
            "и is a clear い."
        ),
    ),
    Contrast("long-a", "аа", "а", _LENGTH_TIP),
    Contrast("long-e", "ээ", "э", _LENGTH_TIP),
    Contrast("long-o", "оо", "о", _LENGTH_TIP),
    Contrast("long-oe", "өө", "ө", _LENGTH_TIP),
    Contrast("long-u", "уу", "у", _LENGTH_TIP),
    Contrast("long-ue", "үү", "ү", _LENGTH_TIP),
)
BY_KEY: dict[str, Contrast] = {c.key: c for c in CONTRASTS}

# The quality contrasts by their (unordered) pair of letters.
_QUALITY: dict[frozenset[str], Contrast] = {
    frozenset((c.first, c.second)): c for c in CONTRASTS if not c.is_length
}
_LENGTH: dict[str, Contrast] = {c.second: c for c in CONTRASTS if c.is_length}


@dataclass(frozen=True)
class Word:
    """A word of a known pair: its Kyrgyz spelling and meanings."""

    ky: str
    ja: str
    en: str


@dataclass(frozen=True)
class KnownPair:
    """A real minimal pair: `first` has the sound of the contrast Japanese lacks."""

    contrast: Contrast
    first: Word
    second: Word


def _pair(key: str, first: tuple[str, str, str], second: tuple[str, str, str]) -> KnownPair:
    return KnownPair(BY_KEY[key], Word(*first), Word(*second))


# Checked against Yudakhin's Kyrgyz-Russian dictionary; nouns and adjectives where there is a
# choice (a bare imperative such as мин "ride!" only where the pair is the classic one).
KNOWN_PAIRS: tuple[KnownPair, ...] = (
    _pair("oe-o", ("көл", "湖", "lake"), ("кол", "手", "hand")),
    _pair("oe-o", ("төө", "ラクダ", "camel"), ("тоо", "山", "mountain")),
    _pair("oe-o", ("өт", "胆のう", "gall bladder"), ("от", "火", "fire")),
    _pair("oe-o", ("төр", "上座", "place of honour"), ("тор", "網", "net")),
    _pair("ue-u", ("үй", "家", "house"), ("уй", "牛", "cow")),
    _pair("ue-u", ("күл", "灰", "ash"), ("кул", "奴隷", "slave")),
    _pair("ue-u", ("түз", "まっすぐな", "straight"), ("туз", "塩", "salt")),
    _pair("ue-u", ("үн", "声", "voice"), ("ун", "小麦粉", "flour")),
    _pair("ue-u", ("үч", "三", "three"), ("уч", "先端", "tip")),
    _pair("ue-u", ("бүт", "全部の", "whole"), ("бут", "足", "leg")),
    _pair("ue-u", ("күү", "器楽曲", "melody"), ("куу", "ずる賢い", "sly")),
    _pair("ng-n", ("миң", "千", "thousand"), ("мин", "乗れ", "ride! (get on)")),
    _pair("ng-n", ("кең", "広い", "wide"), ("кен", "鉱石", "ore")),
    _pair("ng-n", ("тоң", "凍った", "frozen"), ("тон", "毛皮のコート", "sheepskin coat")),
    _pair("y-i", ("тыш", "外", "outside"), ("тиш", "歯", "tooth")),
    _pair("y-i", ("кыр", "尾根", "ridge"), ("кир", "汚れ", "dirt")),
    _pair("long-a", ("жаан", "雨", "rain"), ("жан", "魂", "soul")),
    _pair("long-a", ("маал", "時", "time, while"), ("мал", "家畜", "livestock")),
    _pair("long-a", ("каар", "怒り", "wrath"), ("кар", "雪", "snow")),
    _pair("long-e", ("ээр", "鞍", "saddle"), ("эр", "男", "man")),
    _pair("long-o", ("оор", "重い", "heavy"), ("ор", "穴", "pit")),
    _pair("long-o", ("боор", "肝臓", "liver"), ("бор", "チョーク", "chalk")),
    _pair("long-u", ("кууш", "狭い", "narrow"), ("куш", "鳥", "bird")),
)


def segments(word: str) -> tuple[str, ...]:
    """The word's sounds as written: a run of one vowel is one (long) sound, other letters one each."""
    return tuple(match.group(0) for match in re.finditer(r"(.)\1*", word))


def is_word(text: str) -> bool:
    """True for one Kyrgyz word in Cyrillic letters (a hyphenated compound counts; phrases not)."""
    return bool(_WORD.match(normalize(text)))


def _sound_contrast(a: str, b: str) -> Contrast | None:
    """The contrast between two sounds, if they are one: ө/о, өө/оо, аа/а, ң/н, ..."""
    if a[0] == b[0]:
        short, long_ = sorted((a, b), key=len)
        if len(short) == 1 and len(long_) == 2 and short in _LENGTH:
            return _LENGTH[short]
        return None
    if len(a) != len(b) or len(a) > 2:
        return None
    return _QUALITY.get(frozenset((a[0], b[0])))


def contrast_between(first: str, second: str) -> Contrast | None:
    """The contrast if the two words are a minimal pair (one sound apart), else None."""
    a, b = normalize(first), normalize(second)
    if a == b or not (_WORD.match(a) and _WORD.match(b)):
        return None
    sa, sb = segments(a), segments(b)
    if len(sa) != len(sb):
        return None
    differing = [(x, y) for x, y in zip(sa, sb, strict=True) if x != y]
    if len(differing) != 1:
        return None
    return _sound_contrast(*differing[0])


@dataclass(frozen=True)
class FoundPair:
    """Two words (as given) that are a minimal pair; `first` has the sound Japanese lacks."""

    contrast: Contrast
    first: str
    second: str


def _oriented(contrast: Contrast, a: str, b: str) -> FoundPair:
    """Put the word with the contrast's first sound (ө, ү, ң, ы, the long vowel) first."""
    if contrast.is_length:
        first_is_a = len(normalize(a)) > len(normalize(b))
    else:
        first_is_a = contrast.first in normalize(a) and contrast.first not in normalize(b)
        if contrast.first in normalize(a) and contrast.first in normalize(b):
            first_is_a = normalize(a).count(contrast.first) > normalize(b).count(contrast.first)
    return FoundPair(contrast, a, b) if first_is_a else FoundPair(contrast, b, a)


def find_minimal_pairs(words: Iterable[str]) -> list[FoundPair]:
    """Every minimal pair among `words` (each pair once; duplicates and phrases ignored).

    Words are grouped by length and by their shape with the contrasts folded away, so only
    candidates are compared: a course of thousands of words is quick.
    """
    unique: dict[str, str] = {}
    for word in words:
        key = normalize(word)
        if _WORD.match(key) and key not in unique:
            unique[key] = word
    buckets: dict[str, list[str]] = {}
    for key in unique:
        buckets.setdefault(_skeleton(key), []).append(key)
    found = []
    for keys in buckets.values():
        for a, b in itertools.combinations(sorted(keys), 2):
            contrast = contrast_between(a, b)
            if contrast is not None:
                found.append(_oriented(contrast, unique[a], unique[b]))
    return found


_FOLD = str.maketrans({"ө": "о", "ү": "у", "ң": "н", "ы": "и"})


def _skeleton(word: str) -> str:
    """The word with every contrast folded away: minimal pairs share it."""
    return "".join(segment[0] for segment in segments(word.translate(_FOLD)))


def known_pairs(contrast: str | None = None) -> Iterator[KnownPair]:
    """The curated pairs, of one contrast or all."""
    return (pair for pair in KNOWN_PAIRS if contrast is None or pair.contrast.key == contrast)
