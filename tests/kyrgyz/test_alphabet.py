import unicodedata

import pytest

from app.kyrgyz.alphabet import (
    ALPHABET,
    BACK_VOWELS,
    CONSONANTS,
    FRONT_VOWELS,
    ROUNDED_VOWELS,
    SIGNS,
    SPECIAL_FOLD,
    SPECIAL_LETTERS,
    VOWELS,
    high_vowel,
    last_vowel,
    low_vowel,
)


def test_thirty_six_letters_in_order():
    assert "".join(ALPHABET).upper() == "АБВГДЕЁЖЗИЙКЛМНҢОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"


def test_every_letter_is_a_vowel_a_consonant_or_a_sign():
    assert len(VOWELS) + len(CONSONANTS) + len(SIGNS) == 36
    assert set(ALPHABET) == VOWELS | CONSONANTS | SIGNS


def test_special_letters_are_the_right_code_points():
    assert SPECIAL_LETTERS == ("ң", "ө", "ү")
    assert [ord(letter) for letter in "ңөүҢӨҮ"] == [
        0x04A3,
        0x04E9,
        0x04AF,
        0x04A2,
        0x04E8,
        0x04AE,
    ]


def test_special_letters_have_no_decomposition():
    # which is why folding them needs an explicit table
    for letter in "ңөү":
        assert unicodedata.normalize("NFD", letter) == letter
    assert SPECIAL_FOLD["ө"] == "о"


def test_vowel_classes():
    assert set("аыоу") <= BACK_VOWELS
    assert set("еэиөү") == FRONT_VOWELS
    assert set("оуөү") <= ROUNDED_VOWELS
    assert BACK_VOWELS | FRONT_VOWELS == VOWELS


@pytest.mark.parametrize(
    ("vowel", "low", "high"),
    [
        ("а", "а", "ы"),
        ("ы", "а", "ы"),
        ("у", "а", "у"),  # the asymmetry: у takes а
        ("я", "а", "ы"),
        ("ю", "а", "у"),
        ("о", "о", "у"),
        ("ё", "о", "у"),
        ("е", "е", "и"),
        ("э", "е", "и"),
        ("и", "е", "и"),
        ("ө", "ө", "ү"),
        ("ү", "ө", "ү"),  # while ү takes ө
    ],
)
def test_harmony_table(vowel, low, high):
    assert low_vowel(vowel) == low
    assert high_vowel(vowel) == high


@pytest.mark.parametrize(
    ("word", "vowel"), [("компьютер", "е"), ("Ысык-Көл", "ө"), ("куш", "у"), ("ктр", None)]
)
def test_last_vowel(word, vowel):
    assert last_vowel(word) == vowel
