"""Noun inflection: plural, the six cases and the possessive, by the rules of KYRGYZ.md.

Suffixes are written as templates with archiphonemes and spelled out letter by letter, each
letter seeing the form built so far (so the {A} of -ңAр harmonises with the {I} before it):

    A  low vowel а е о ө        I  high vowel ы и у ү
    L  plural л / д / т         N  genitive, accusative н / д / т
    G  dative г / к             D  locative, ablative д / т

The suffix attaches to the last word of a name (Ысык-Көл → Ысык-Көлгө). The stem keeps its
letter case; the suffix is written in capitals only after an all-capital last word (БИШКЕККЕ).
A final ь is dropped before a suffix and the last vowel letter decides the harmony
(медаль → медалга), as in the Apertium Kyrgyz transducer. Stem-final к/п become г/б before a
vowel only after a vowel (китеп → китеби, but кырк → кыркы), as in Apertium's voicing rules.

A compound that already carries the 3rd-person possessive (аба ырайы, жапон тамагы, мисо
шорпосу) is inflected on its head: the case endings take the linking н (аба ырайына), the plural
comes before the possessive (аба ырайлары) and another possessive replaces it (аба ырайым).
Such compounds are recognised by the form of their last word (`is_possessed_compound`); callers
that know better pass `possessed`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.kyrgyz.alphabet import (
    ALL_LETTERS,
    SONORANT_LIKE_VOWEL,
    VOICELESS,
    VOWELS,
    high_vowel,
    last_vowel,
    low_vowel,
)
from app.kyrgyz.i18n import N_

CASES: tuple[str, ...] = (
    "nominative",
    "genitive",
    "dative",
    "accusative",
    "locative",
    "ablative",
)
PERSONS: tuple[str, ...] = ("1sg", "2sg", "2sg_polite", "3", "1pl", "2pl", "2pl_polite")

FORM_KEYS: tuple[str, ...] = (
    *CASES,
    "plural",
    *(f"plural_{case}" for case in CASES[1:]),
    *(f"poss_{person}" for person in PERSONS),
)
"""The keys of `forms()`, in the order a grammar table shows them."""

FORM_LABELS: dict[str, str] = {
    "nominative": N_("nominative"),
    "genitive": N_("genitive"),
    "dative": N_("dative"),
    "accusative": N_("accusative"),
    "locative": N_("locative"),
    "ablative": N_("ablative"),
    "plural": N_("plural"),
    "plural_genitive": N_("plural genitive"),
    "plural_dative": N_("plural dative"),
    "plural_accusative": N_("plural accusative"),
    "plural_locative": N_("plural locative"),
    "plural_ablative": N_("plural ablative"),
    "poss_1sg": N_("possessive “my”"),
    "poss_2sg": N_("possessive “your” (informal)"),
    "poss_2sg_polite": N_("possessive “your” (polite)"),
    "poss_3": N_("possessive “his, her, its, their”"),
    "poss_1pl": N_("possessive “our”"),
    "poss_2pl": N_("possessive “your” (informal plural)"),
    "poss_2pl_polite": N_("possessive “your” (polite plural)"),
}
"""The English msgid naming each form; the web layer translates it with gettext."""

_CASE_SUFFIX = {
    "nominative": "",
    "genitive": "NIн",
    "dative": "GA",
    "accusative": "NI",
    "locative": "DA",
    "ablative": "DAн",
}
# After a 3rd person possessive the cases take a pronominal н: баласынын, баласына, баласын.
_CASE_AFTER_POSS_3 = {
    "nominative": "",
    "genitive": "нIн",
    "dative": "нA",
    "accusative": "н",
    "locative": "ндA",
    "ablative": "нAн",
}
# (after a vowel, after a consonant)
_POSSESSIVE_SUFFIX = {
    "1sg": ("м", "Iм"),
    "2sg": ("ң", "Iң"),
    "2sg_polite": ("ңIз", "IңIз"),
    "3": ("сI", "I"),
    "1pl": ("бIз", "IбIз"),
    "2pl": ("ңAр", "IңAр"),
    "2pl_polite": ("ңIздAр", "IңIздAр"),
}
_VOICING = {"к": "г", "п": "б"}


@dataclass(frozen=True)
class _Pronoun:
    cases: dict[str, str]
    plural: str | None


def _pronoun(
    nom: str, gen: str, dat: str, acc: str, loc: str, abl: str, plural: str | None
) -> _Pronoun:
    return _Pronoun(dict(zip(CASES, (nom, gen, dat, acc, loc, abl), strict=True)), plural)


# Personal and demonstrative pronouns (Peace Corps Kyrgyz Language Manual; Tokubek uulu).
# The regular ones are listed too, so that none of them gets a plural or a possessive by rule.
PRONOUNS: dict[str, _Pronoun] = {
    "мен": _pronoun("мен", "менин", "мага", "мени", "менде", "менден", None),
    "сен": _pronoun("сен", "сенин", "сага", "сени", "сенде", "сенден", None),
    "сиз": _pronoun("сиз", "сиздин", "сизге", "сизди", "сизде", "сизден", "сиздер"),
    "ал": _pronoun("ал", "анын", "ага", "аны", "анда", "андан", "алар"),
    "биз": _pronoun("биз", "биздин", "бизге", "бизди", "бизде", "бизден", None),
    "силер": _pronoun("силер", "силердин", "силерге", "силерди", "силерде", "силерден", None),
    "сиздер": _pronoun(
        "сиздер", "сиздердин", "сиздерге", "сиздерди", "сиздерде", "сиздерден", None
    ),
    "алар": _pronoun("алар", "алардын", "аларга", "аларды", "аларда", "алардан", None),
    "бул": _pronoun("бул", "мунун", "буга", "муну", "мында", "мындан", "булар"),
    "ошол": _pronoun("ошол", "ошонун", "ошого", "ошону", "ошондо", "ошондон", "ошолор"),
    "ушул": _pronoun("ушул", "ушунун", "ушуга", "ушуну", "ушунда", "ушундан", "ушулар"),
}

IRREGULAR_PLURALS: dict[str, str] = {"бала": "балдар"}
"""Nouns whose usual plural is not the rule's (балалар also exists beside балдар)."""

POSSESSIVE_STEMS: dict[str, str] = {
    "мурун": "мурд",
    "орун": "орд",
    "эрин": "эрд",
    "ийин": "ийн",
    "моюн": "мойн",
    "убакыт": "убакт",
}
"""Stems that lose their second vowel before a vowel-initial possessive (мурун → мурду)."""

NOT_POSSESSED: frozenset[str] = frozenset({"бөрү", "киши", "жылкы", "бугу", "тору", "кары", "сары"})
"""Words that end like a 3rd-person possessive but are words of their own (көк бөрү, жакшы киши)."""

_UNVOICED = {"г": "к", "б": "п"}
_SHORT_STEMS = {short: full for full, short in POSSESSIVE_STEMS.items()}

_WORD = re.compile(r"[^\s-]+(?:[ -][^\s-]+)*")


def _validate(word: str) -> str:
    if not isinstance(word, str):
        raise ValueError(f"A Kyrgyz word must be a string, got {type(word).__name__}.")
    text = unicodedata.normalize("NFC", word).strip()
    if not text:
        raise ValueError("A Kyrgyz word is required, got an empty string.")
    for char in text:
        if char not in ALL_LETTERS and char not in " -":
            raise ValueError(
                f"{word!r} is not a Kyrgyz word: {char!r} (U+{ord(char):04X}) is not a letter "
                "of the Kyrgyz Cyrillic alphabet."
            )
    if not _WORD.fullmatch(text):
        raise ValueError(
            f"{word!r} is not a Kyrgyz word: spaces and hyphens may only stand singly between words."
        )
    return text


def _split_last(text: str) -> tuple[str, str]:
    cut = max(text.rfind(" "), text.rfind("-")) + 1
    return text[:cut], text[cut:]


def _is_all_caps(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _match_case(form: str, model: str) -> str:
    if _is_all_caps(model):
        return form.upper()
    if model[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _recase(new: str, model: str) -> str:
    """Give `new` the letter case of `model`, position by position."""
    return "".join(
        char.upper() if index < len(model) and model[index].isupper() else char
        for index, char in enumerate(new)
    )


def _onset(symbol: str, final: str) -> str:
    if symbol == "G":
        return "к" if final in VOICELESS else "г"
    if symbol == "D":
        return "т" if final in VOICELESS else "д"
    if final in VOICELESS:
        return "т"
    if symbol == "L":
        return "л" if final in VOWELS or final in SONORANT_LIKE_VOWEL else "д"
    return "н" if final in VOWELS else "д"  # N


class _Form:
    """A word form being built: the stem as written plus lower-case suffix letters."""

    def __init__(self, stem: str) -> None:
        self.stem = stem
        self.suffix = ""
        self.vowel = last_vowel(stem) or ""

    @property
    def final(self) -> str:
        return (self.suffix or self.stem)[-1].lower()

    def attach(self, template: str) -> None:
        if template and self.stem[-1].lower() == "ь" and not self.suffix:
            self.stem = self.stem[:-1]
        for symbol in template:
            if symbol == "A":
                letter = low_vowel(self.vowel)
            elif symbol == "I":
                letter = high_vowel(self.vowel)
            elif symbol in "LNGD":
                letter = _onset(symbol, self.final)
            else:
                letter = symbol
            if letter == "у" and not self.suffix and self.stem[-1].lower() == "й":
                # й + у is spelled ю: той → тою, ой → оюм.
                self.stem = self.stem[:-1] + _recase("ю", self.stem[-1])
            else:
                self.suffix += letter
            if letter in VOWELS:
                self.vowel = letter

    def voice_final(self) -> None:
        """к → г, п → б at the end of the stem when a vowel follows and one precedes."""
        if self.suffix or len(self.stem) < 2:
            return
        last, before = self.stem[-1], self.stem[-2].lower()
        if last.lower() in _VOICING and before in VOWELS:
            self.stem = self.stem[:-1] + _recase(_VOICING[last.lower()], last)

    def text(self, upper_suffix: bool) -> str:
        return self.stem + (self.suffix.upper() if upper_suffix else self.suffix)


def possessed_head(word: str) -> str | None:
    """The noun under a 3rd-person possessive ending (ырайы → ырай, тамагы → тамак), or None."""
    lower = word.lower()
    if len(lower) < 3 or lower[-1] not in "ыиуү" or not all(c in ALL_LETTERS for c in word):
        return None
    if lower[-2] == "с" and lower[-3] in VOWELS:
        head = lower[:-2]  # -сы after a vowel: шорпо-су
    elif lower[-2] in VOWELS or lower[-2] in "ьъ":
        return None
    else:
        head = lower[:-1]
    vowel = last_vowel(head)
    if vowel is None or high_vowel(vowel) != lower[-1]:
        return None
    if len(head) >= 2 and head[-2] in VOWELS:
        if head[-1] in "кп":
            return None  # it would have been voiced: китеби, not китепи
        head = head[:-1] + _UNVOICED.get(head[-1], head[-1])
    head = _SHORT_STEMS.get(head, head)
    return _recase(head, word)


def is_possessed_compound(word: str) -> bool:
    """True for a compound of several words whose last one carries the 3rd-person possessive."""
    text = unicodedata.normalize("NFC", word).strip() if isinstance(word, str) else ""
    if " " not in text:
        return False
    last = text.rsplit(" ", 1)[1]
    return last.lower() not in NOT_POSSESSED and possessed_head(last) is not None


def inflect(
    word: str,
    case: str = "nominative",
    *,
    plural: bool = False,
    person: str | None = None,
    possessed: bool | None = None,
) -> str:
    """Return `word` with the plural, possessive and case suffixes asked for, in that order.

    `possessed`: whether `word` already carries the 3rd-person possessive (аба ырайы); None
    guesses it with `is_possessed_compound`."""
    if case not in _CASE_SUFFIX:
        raise ValueError(f"Unknown case {case!r}; expected one of {', '.join(CASES)}.")
    if person is not None and person not in _POSSESSIVE_SUFFIX:
        raise ValueError(f"Unknown person {person!r}; expected one of {', '.join(PERSONS)}.")
    text = _validate(word)
    pronoun = PRONOUNS.get(text.lower())
    if pronoun is not None:
        return _inflect_pronoun(text, pronoun, case, plural=plural, person=person)

    prefix, last = _split_last(text)
    if possessed is None:
        possessed = is_possessed_compound(text)
    if possessed:
        head = possessed_head(last)
        if head is None:
            raise ValueError(f"{word!r} does not end in a 3rd-person possessive ending.")
        if not plural and person is None and case == "nominative":
            return text
        return prefix + inflect(head, case, plural=plural, person=person or "3", possessed=False)
    if last[-1].lower() == "ъ":
        raise ValueError(f"{word!r} ends in ъ; no rule attaches a suffix after it.")
    if not any(letter in VOWELS for letter in last.lower()):
        raise ValueError(f"{word!r} has no vowel letter, so its vowel harmony is unknown.")
    if not plural and person is None and case == "nominative":
        return text

    form = _Form(last)
    if plural:
        irregular = IRREGULAR_PLURALS.get(last.lower())
        if irregular is not None:
            form = _Form(_match_case(irregular, last))
        else:
            form.attach("LAр")
    if person is not None:
        after_vowel, after_consonant = _POSSESSIVE_SUFFIX[person]
        if form.final in VOWELS:
            form.attach(after_vowel)
        else:
            short = POSSESSIVE_STEMS.get(last.lower()) if not plural else None
            if short is not None:
                form = _Form(_recase(short, last))
            form.voice_final()
            form.attach(after_consonant)
    if person == "3":
        form.attach(_CASE_AFTER_POSS_3[case])
    elif person in ("1sg", "2sg") and case == "dative":
        form.attach("A")
    else:
        form.attach(_CASE_SUFFIX[case])
    return prefix + form.text(upper_suffix=_is_all_caps(last))


def _inflect_pronoun(
    text: str, pronoun: _Pronoun, case: str, *, plural: bool, person: str | None
) -> str:
    if person is not None:
        raise ValueError(f"The pronoun {text!r} takes no possessive suffix.")
    if plural:
        if pronoun.plural is None:
            raise ValueError(f"The pronoun {text!r} has no plural form.")
        return inflect(_match_case(pronoun.plural, text), case)
    return _match_case(pronoun.cases[case], text)


def plural(word: str, *, possessed: bool | None = None) -> str:
    """Return the plural of `word` (кол → колдор, бала → балдар, аба ырайы → аба ырайлары)."""
    return inflect(word, plural=True, possessed=possessed)


def decline(word: str, case: str, *, possessed: bool | None = None) -> str:
    """Return `word` in `case`, one of CASES (кол, "dative" → колго; аба ырайы → аба ырайына)."""
    return inflect(word, case, possessed=possessed)


def possessive(word: str, person: str, *, possessed: bool | None = None) -> str:
    """Return `word` with the possessive suffix of `person`, one of PERSONS (китеп, "3" → китеби)."""
    return inflect(word, person=person, possessed=possessed)


def forms(word: str, *, possessed: bool | None = None) -> dict[str, str]:
    """Return every form of `word` in FORM_KEYS order (pronouns: only the forms they have)."""
    return dict(_forms(word, possessed))


@lru_cache(maxsize=4096)
def _forms(word: str, possessed: bool | None) -> tuple[tuple[str, str], ...]:
    text = _validate(word)
    pronoun = PRONOUNS.get(text.lower())
    result = [(case, inflect(text, case, possessed=possessed)) for case in CASES]
    if pronoun is None or pronoun.plural is not None:
        result.append(("plural", inflect(text, plural=True, possessed=possessed)))
        result.extend(
            (f"plural_{case}", inflect(text, case, plural=True, possessed=possessed))
            for case in CASES[1:]
        )
    if pronoun is None:
        result.extend(
            (f"poss_{person}", inflect(text, person=person, possessed=possessed))
            for person in PERSONS
        )
    return tuple(result)
