"""Minimal pairs: the contrasts Japanese ears miss, found among words and in the curated list."""

from __future__ import annotations

import unicodedata

import pytest

from app.kyrgyz import minimal_pairs
from app.kyrgyz.minimal_pairs import (
    BY_KEY,
    CONTRASTS,
    KNOWN_PAIRS,
    contrast_between,
    find_minimal_pairs,
    segments,
)


@pytest.mark.parametrize(
    ("first", "second", "key"),
    [
        ("көл", "кол", "oe-o"),
        ("төө", "тоо", "oe-o"),  # the whole long vowel changes quality
        ("үй", "уй", "ue-u"),
        ("күл", "кул", "ue-u"),
        ("түз", "туз", "ue-u"),
        ("миң", "мин", "ng-n"),
        ("кең", "кен", "ng-n"),
        ("тыш", "тиш", "y-i"),
        ("жаан", "жан", "long-a"),
        ("ээр", "эр", "long-e"),
        ("оор", "ор", "long-o"),
        ("кол", "көл", "oe-o"),  # either order
    ],
)
def test_real_pairs_are_found_with_their_contrast(first: str, second: str, key: str) -> None:
    contrast = contrast_between(first, second)
    assert contrast is not None and contrast.key == key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("кол", "кол"),  # the same word
        ("кол", "кыл"),  # о/ы is not a contrast Japanese ears miss
        ("көл", "кул"),  # ө/у: two features at once
        ("төө", "то"),  # quality and length at once
        ("көл", "көлдөр"),  # different lengths
        ("кийин", "кыйын"),  # one contrast, but in two places
        ("китеп", "китең"),  # п/ң
        ("кол", "сол"),  # another consonant
        ("Рахмат!", "Рахмат"),  # a phrase is not a word
        ("таң ата", "тан ата"),  # phrases are left out
        ("cat", "cut"),  # Latin
        ("", "кол"),
    ],
)
def test_non_pairs_are_rejected(first: str, second: str) -> None:
    assert contrast_between(first, second) is None


def test_decomposed_and_look_alike_input_finds_the_same_pairs() -> None:
    # й typed as и + combining breve (NFD), a capital, a Latin o inside a Cyrillic word
    decomposed = unicodedata.normalize("NFD", "үй")
    assert decomposed != "үй"
    pairs = find_minimal_pairs([decomposed, "Уй", "кoл", "КӨЛ"])
    found = {(p.contrast.key, p.first, p.second) for p in pairs}
    assert found == {("ue-u", decomposed, "Уй"), ("oe-o", "КӨЛ", "кoл")}
    assert contrast_between(unicodedata.normalize("NFD", "кийин"), "кийин") is None  # same word


def test_finder_over_a_word_list() -> None:
    words = [
        "кол",
        "көл",
        "үй",
        "уй",
        "китеп",
        "тоо",
        "төө",
        "жан",
        "жаан",
        "суу",
        "кол",
        "Рахмат!",
    ]
    pairs = find_minimal_pairs(words)
    assert sorted((p.first, p.second) for p in pairs) == [
        ("жаан", "жан"),
        ("көл", "кол"),
        ("төө", "тоо"),
        ("үй", "уй"),
    ]


def test_the_word_with_the_sound_japanese_lacks_comes_first() -> None:
    (pair,) = find_minimal_pairs(["мин", "миң"])
    assert (pair.first, pair.second) == ("миң", "мин")
    (pair,) = find_minimal_pairs(["жан", "жаан"])
    assert (pair.first, pair.second) == ("жаан", "жан")


def test_a_long_course_is_compared_in_buckets_not_all_pairs() -> None:
    words = [f"сөз{n}" for n in range(3000)]  # none is a word: digits
    words += [w + "к" for w in ("кол", "көл")] + ["ата" + "н" * n for n in range(1, 40)]
    found = find_minimal_pairs(words)
    assert [(p.first, p.second) for p in found] == [("көлк", "колк")]


def test_every_known_pair_is_a_minimal_pair_of_its_contrast() -> None:
    for pair in KNOWN_PAIRS:
        assert contrast_between(pair.first.ky, pair.second.ky) is pair.contrast, pair
        # the first word has the sound Japanese lacks
        found = find_minimal_pairs([pair.second.ky, pair.first.ky])
        assert [(f.first, f.second) for f in found] == [(pair.first.ky, pair.second.ky)]
        assert pair.first.ja and pair.first.en and pair.second.ja and pair.second.en
    spellings = [w.ky for p in KNOWN_PAIRS for w in (p.first, p.second)]
    assert len(spellings) == len(set(spellings))
    # the pairs of the issue are there
    for first, second in (("көл", "кол"), ("үй", "уй"), ("миң", "мин"), ("төө", "тоо")):
        assert any((p.first.ky, p.second.ky) == (first, second) for p in KNOWN_PAIRS)


def test_contrasts() -> None:
    assert [c.label for c in CONTRASTS[:4]] == ["ө / о", "ү / у", "ң / н", "ы / и"]
    assert {c.key for c in CONTRASTS if c.is_length} == {
        "long-a",
        "long-e",
        "long-o",
        "long-oe",
        "long-u",
        "long-ue",
    }
    assert all(key.isascii() and len(key) <= 12 for key in BY_KEY)
    assert segments("жаан") == ("ж", "аа", "н")
    assert {p.contrast.key for p in minimal_pairs.known_pairs("ng-n")} == {"ng-n"}
