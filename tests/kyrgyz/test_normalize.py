import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.kyrgyz.normalize import fold_special, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Кол", "кол"),
        ("  кош   келиңиз \n", "кош келиңиз"),
        ("Кош келиңиз!", "кош келиңиз"),
        ("«Салам»", "салам"),
        ("(кол).", "кол"),
        ("-га", "га"),
        ("Салам, досум!", "салам, досум"),
        ("ЖАКШЫ", "жакшы"),
        # decomposed й and ё
        ("чаи\u0306", "чай"),
        ("самоле\u0308т", "самолёт"),
        # Latin look-alikes inside Cyrillic words
        ("кoл", "кол"),
        ("Kол", "кол"),
        ("сaпaр", "сапар"),
        ("КОМПЬЮТEP", "компьютер"),
        ("HAH", "hah"),  # no Cyrillic in the word: it stays Latin
        ("Нан", "нан"),
        ("Hан", "нан"),
        ("Тамак", "тамак"),
        ("Tамак", "тамак"),
        ("мектeп", "мектеп"),
        ("кyш", "куш"),
        ("cуу", "суу"),
        ("xат", "хат"),
        ("кöл", "көл"),
        ("үй kol", "үй kol"),
        # non-Latin look-alikes, everywhere
        ("кɵл", "көл"),
        ("ƟЗӨН", "өзөн"),
        ("ұй", "үй"),
        ("кеҥеш", "кеңеш"),
        ("кеӈеш", "кеңеш"),
        ("кӧл", "көл"),
        # invisible characters
        ("ко\u200bл", "кол"),
        ("\ufeffкол\u00ad", "кол"),
        # purely Latin input is left for latin.to_cyrillic
        ("Salamatsyzby", "salamatsyzby"),
        ("OK", "ok"),
        ("kosh keliñiz", "kosh keliñiz"),
        ("", ""),
        ("?!", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_fold_special():
    assert fold_special("көңүл Өзөн") == "коңул Озон".replace("ң", "н")


@settings(max_examples=300, deadline=None, database=None)
@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(alphabet="абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюяacekmopxyBHTKMö ɵұҥӈ.,!-«»\u0306"))
def test_normalize_is_idempotent_on_kyrgyz_like_text(text):
    once = normalize(text)
    assert normalize(once) == once
