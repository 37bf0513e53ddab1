import pytest

from app.kyrgyz.rules import broken_rule, parses, sound_class, spell


@pytest.mark.parametrize(
    ("form", "suffix", "letters"),
    [
        ("китеп", "LAр", "тер"),
        ("чай", "NIн", "дын"),
        ("көчө", "LAр", "лөр"),
        ("жапон", "мIн", "мун"),
        ("кыргыз", "чA", "ча"),
        ("кымбат", "BI", "пы"),
        ("даам", "LUU", "дуу"),
        ("үй", "LUU", "лүү"),
        ("бала", "Iм", None),  # a vowel-initial suffix can't follow a vowel: балам
    ],
)
def test_spell(form, suffix, letters):
    assert spell(form, suffix) == letters


def test_parses_read_the_longest_stem_first_and_undo_voicing():
    first = parses("китебим")[0]
    assert (first.stem, first.stem_length, first.slots) == ("китеп", 5, "Iм")


def test_a_one_letter_suffix_needs_a_known_stem():
    assert not any(parse.stem == "жылк" for parse in parses("жылкы"))
    assert any(parse.stem == "жылк" for parse in parses("жылкы", {"жылк"}.__contains__))


@pytest.mark.parametrize(
    ("letter", "sound"),
    [("а", "vowel"), ("й", "sonorant"), ("р", "sonorant"), ("л", "voiced"), ("п", "voiceless")],
)
def test_sound_class(letter, sound):
    assert sound_class(letter) == sound


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("китап", "китеп"),
        ("гүлдүр", "гүлдөр"),
        ("колдго", "колго"),
        ("кол", "кол"),
        ("жылку", "жылкы"),
    ],
)
def test_mistakes_no_rule_explains(given, expected):
    assert broken_rule(given, expected) is None
