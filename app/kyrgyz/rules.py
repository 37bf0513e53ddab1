"""Which Kyrgyz rule a wrongly built word breaks, so that the checker can name it.

The expected word is parsed into a stem and up to three suffixes from SUFFIXES, spelled out by the
same rules as app.kyrgyz.morphology (archiphonemes: A low vowel а е о ө, I high vowel ы и у ү,
U у ү, L л д т, N н д т, G г к, D д т, B б п). A given word of the same length that differs only
where a suffix has a choice, or at the end of the stem, breaks the rule that makes that choice:

    a vowel slot (A I U) → vowel_harmony       колга → колго, жапонмын → жапонмун
    a consonant slot     → suffix_consonant    китеплер → китептер, чайнын → чайдын
    the stem's last к п  → stem_voicing        китепим → китебим, китебтер → китептер

`linking_n` is a case ending put straight after a 3rd-person possessive (аба ырайыга → аба
ырайына). Only the first of several broken rules is named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from app.kyrgyz.alphabet import (
    FRONT_VOWELS,
    SONORANT_LIKE_VOWEL,
    VOICELESS,
    VOWELS,
    harmony_vowel,
    high_vowel,
    low_vowel,
)
from app.kyrgyz.morphology import CASES, inflect, possessed_head

# The first consonant of a suffix after (a vowel, й or р, another voiced, a voiceless consonant),
# as in KYRGYZ.md's table; B is the б/п of the question particle -бы and the negative -ба.
_ONSETS: dict[str, str] = {"L": "ллдт", "N": "нддт", "G": "гггк", "D": "дддт", "B": "бббп"}
_SOUNDS = ("vowel", "sonorant", "voiced", "voiceless")
CONSONANT_SLOTS: dict[str, str] = {slot: "".join(dict.fromkeys(o)) for slot, o in _ONSETS.items()}
VOWEL_SLOTS: dict[str, str] = {"A": "аеоө", "I": "ыиуү", "U": "уү"}

SUFFIXES: tuple[str, ...] = (
    # nouns: plural, cases, possessives, cases after a 3rd-person possessive
    *("LAр", "NIн", "GA", "NI", "DA", "DAн"),
    *("Iм", "Iң", "IңIз", "I", "IбIз", "IңAр", "м", "ң", "ңIз", "сI", "бIз", "ңAр"),
    *("нIн", "нA", "н", "ндA", "нAн"),
    # predicates ("I am ..."), derivation, the question particle
    *("мIн", "сIң", "сIз", "сIңAр", "сIздAр", "чA", "LIк", "чI", "DAй", "BI", "DAгI", "LUU"),
    # verbs: present, past, negative, converb, participle, polite imperative + -чы
    *("Aм", "йм", "AсIң", "йсIң", "AсIз", "йсIз", "Aт", "йт", "AбIз", "йбIз"),
    *("DIм", "DIң", "DIңIз", "DI", "DIк", "DIңAр"),
    *("BAйм", "BAйт", "BAйсIз", "BAйсIң", "BAйбIз", "Iп", "п", "GAн", "GAнчA"),
)
MAX_SUFFIXES = 3
_VOICED = {"к": "г", "п": "б"}
_UNVOICED = {"г": "к", "б": "п"}


@dataclass(frozen=True)
class Parse:
    """The expected word as a stem (`stem_length` letters of it, `stem` in the dictionary) and
    suffix slots, one per letter after it."""

    stem: str
    stem_length: int
    slots: str


@dataclass(frozen=True)
class RuleError:
    """The rule a given word breaks: its verdict kind and the message parameters."""

    kind: str
    params: dict[str, str]


def sound_class(letter: str) -> str:
    """What a suffix's first consonant depends on: vowel, sonorant (й р), voiced or voiceless."""
    if letter in VOWELS:
        return "vowel"
    if letter in SONORANT_LIKE_VOWEL:
        return "sonorant"
    return "voiceless" if letter in VOICELESS else "voiced"


def _letter(slot: str, previous: str, vowel: str) -> str:
    if slot == "A":
        return low_vowel(vowel)
    if slot == "I":
        return high_vowel(vowel)
    if slot == "U":
        return "ү" if harmony_vowel(vowel) in FRONT_VOWELS else "у"
    if slot not in _ONSETS:
        return slot
    return _ONSETS[slot][_SOUNDS.index(sound_class(previous))]


def spell(form: str, suffix: str) -> str | None:
    """`suffix` spelled after `form`, or None if it can't follow it (a vowel after a vowel)."""
    vowel = next((char for char in reversed(form) if char in VOWELS), "")
    if not vowel:
        return None
    letters = ""
    for slot in suffix:
        previous = (form + letters)[-1]
        letter = _letter(slot, previous, vowel)
        if not letters and letter in VOWELS and previous in VOWELS:
            return None
        letters += letter
        if letter in VOWELS:
            vowel = letter
    return letters


def parses(expected: str, known: Callable[[str], bool] | None = None) -> tuple[Parse, ...]:
    """Every reading of `expected` (lower case) as a stem and up to three suffixes, longest stem
    first (китеб-им before ките-би-м), stems in `known` before the others.

    A one-letter suffix ends the word (китеб-и-м is no reading), and a word whose only suffix is
    one letter (жылк-ы) is only read so after a stem in `known` or a voiced one (китеб-и): most
    words end in such a letter."""
    found = [
        parse
        for parse, guarded in _parses(expected)
        if not guarded or (known is not None and known(parse.stem))
    ]
    if known is not None:
        found.sort(key=lambda parse: not known(parse.stem))
    return tuple(found)


@lru_cache(maxsize=4096)
def _parses(expected: str) -> tuple[tuple[Parse, bool], ...]:
    """The readings of `expected`, each with whether it needs a known stem (a one-letter suffix)."""
    found: list[tuple[Parse, bool]] = []
    for cut in range(len(expected) - 1, 1, -1):
        written = expected[:cut]
        if not any(char in VOWELS for char in written):
            continue
        stems: list[tuple[str, bool | None]] = [(written, None)]
        if written[-1] in _UNVOICED and written[-2] in VOWELS:  # китеб-им is китеп + им first
            stems.insert(0, (written[:-1] + _UNVOICED[written[-1]], True))
        for stem, must_voice in stems:
            for slots in _suffix_chains(expected, cut, stem, MAX_SUFFIXES):
                letters = expected[cut:]
                starts_with_vowel = letters[0] in VOWELS
                voicing = must_voice is None and written[-1] in _VOICED and written[-2] in VOWELS
                if voicing and starts_with_vowel:
                    continue  # китеп + и is китеби
                if must_voice and not starts_with_vowel:
                    continue
                found.append((Parse(stem, cut, slots), len(letters) == 1 and not must_voice))
    return tuple(dict.fromkeys(found))


def _suffix_chains(expected: str, position: int, stem: str, depth: int) -> Iterator[str]:
    form = stem + expected[len(stem) : position]
    for suffix in SUFFIXES:
        letters = spell(form, suffix)
        if letters is None or not expected.startswith(letters, position):
            continue
        end = position + len(letters)
        if end == len(expected):
            yield suffix
        elif depth > 1 and len(letters) > 1:
            for rest in _suffix_chains(expected, end, stem, depth - 1):
                yield suffix + rest


def broken_rule(
    given: str, expected: str, known: Callable[[str], bool] | None = None
) -> RuleError | None:
    """The rule `given` breaks where `expected` keeps it, if one explains every difference."""
    linking = _linking_n(given, expected)
    if linking is not None:
        return linking
    if len(given) != len(expected) or given == expected:
        return None
    differences = [
        index for index, (a, b) in enumerate(zip(given, expected, strict=True)) if a != b
    ]
    for parse in parses(expected, known):
        error = _explain(given, expected, parse, differences)
        if error is not None:
            return error
    return None


def _explain(given: str, expected: str, parse: Parse, differences: list[int]) -> RuleError | None:
    stem_end = parse.stem_length - 1
    kinds: list[str] = []
    for index in differences:
        typed, meant = given[index], expected[index]
        if index == stem_end:
            if {typed, meant} not in ({"к", "г"}, {"п", "б"}) or expected[index - 1] not in VOWELS:
                return None
            kinds.append("stem_voicing")
        elif index > stem_end:
            slot = parse.slots[index - parse.stem_length]
            if typed in VOWEL_SLOTS.get(slot, ""):
                kinds.append("vowel_harmony")
            elif typed in CONSONANT_SLOTS.get(slot, ""):
                kinds.append("suffix_consonant")
            else:
                return None
        else:
            return None
    first = differences[0]
    kind = kinds[0]
    params = {"expected": expected, "given": given}
    if kind == "stem_voicing":
        meant = expected[first]
        voiceless = _UNVOICED.get(meant, meant)
        params |= {"voiceless": voiceless, "voiced": _VOICED[voiceless]}
    elif kind == "vowel_harmony":
        vowel = next((char for char in reversed(expected[:first]) if char in VOWELS), "")
        shown = vowel if vowel == harmony_vowel(vowel) else f"{vowel} ({harmony_vowel(vowel)})"
        params |= {"vowel": shown, "suffix_vowel": expected[first]}
    else:
        before = expected[first - 1]
        params |= {
            "letter": before,
            "letter_sound": sound_class(before),
            "consonant": expected[first],
        }
    return RuleError(kind, params)


def _linking_n(given: str, expected: str) -> RuleError | None:
    """A case ending put straight after a 3rd-person possessive: ырайыга for ырайына."""
    for cut in range(3, len(expected)):
        word = expected[:cut]
        if possessed_head(word) is None or not given.startswith(word):
            continue
        for case in CASES[1:]:
            try:
                right = inflect(word, case, possessed=True)
                wrong = inflect(word, case, possessed=False)
            except ValueError:
                break
            if right == expected and wrong == given and right != wrong:
                return RuleError("linking_n", {"word": word, "expected": expected, "given": given})
    return None
