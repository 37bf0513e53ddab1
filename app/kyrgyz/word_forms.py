"""Which form of which noun an answer is: the other_form check of `app.kyrgyz.answers`.

A wrong answer that is another inflected form of the expected word (колдо for колго) is named as
such; finding the shared lemma undoes stem changes (дарагы → дарак) and irregular forms (мага → мен).
"""

from __future__ import annotations

from functools import lru_cache

from app.kyrgyz.alphabet import ALL_LETTERS, VOWELS
from app.kyrgyz.morphology import POSSESSIVE_STEMS, PRONOUNS, forms, possessed_head


def is_kyrgyz_word(word: str) -> bool:
    """Cyrillic Kyrgyz letters (and hyphens) with a vowel: a word morphology can read."""
    return all(char in ALL_LETTERS or char == "-" for char in word) and any(
        char in VOWELS for char in word
    )


def other_form(given: str, expected: str) -> dict[str, str] | None:
    """Name both forms if `given` is another inflected form of the expected noun."""
    for lemma, possessed in _lemma_candidates(given, expected):
        table = _form_table(lemma, possessed)
        expected_form = table.get(expected)
        given_form = table.get(given)
        if expected_form is not None and given_form is not None:
            return {
                "given": given,
                "given_form": given_form,
                "expected": expected,
                "expected_form": expected_form,
            }
    return None


_VOICED_BACK = {"г": "к", "б": "п"}
# A stem may end in two consonants only after a sonorant or с ш (кырк, дост, банк, Гамбург).
_CLUSTER_FIRST = frozenset("рлйнмңсш")


def _plausible_stem(stem: str) -> bool:
    bare = stem.rstrip("ь")
    if len(bare) < 2 or not any(char in VOWELS for char in bare):
        return False
    last, before = bare[-1], bare[-2]
    return last in VOWELS or before in VOWELS or before in _CLUSTER_FIRST


def _lemma_candidates(given: str, expected: str) -> list[tuple[str, bool]]:
    """Stems both words may be forms of, shortest first, undoing stem changes (дарагы → дарак);
    then the words that carry a 3rd-person possessive (ырайы of аба ырайы), read as such."""
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
    plain = [stem for stem in dict.fromkeys(candidates) if _plausible_stem(stem)]
    prefixes = [word[:length] for word in (given, expected) for length in range(3, len(word) + 1)]
    possessed = [word for word in dict.fromkeys(prefixes) if possessed_head(word) is not None]
    return [(stem, False) for stem in plain] + [(word, True) for word in possessed]


@lru_cache(maxsize=8192)
def _form_table(lemma: str, possessed: bool) -> dict[str, str]:
    """Map each form of `lemma` to its first form key; empty if `lemma` can't be inflected."""
    try:
        table = forms(lemma, possessed=possessed)
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
