import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.kyrgyz.latin import slugify, to_cyrillic, to_latin

ROOT = Path(__file__).resolve().parents[2]
NOUNS = [
    line.strip()
    for line in (Path(__file__).parent / "data" / "nouns.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("salamatsyzby", "саламатсызбы"),
        ("Salamatsyzby", "Саламатсызбы"),
        ("kosh keliñiz", "кош келиңиз"),
        ("kosh kelingiz", "кош келиңиз"),
        ("kosh keliŋiz", "кош келиңиз"),
        # ө: ö o' oʻ oʼ
        ("köl", "көл"),
        ("ko'l", "көл"),
        ("koʻl", "көл"),
        ("koʼl", "көл"),
        ("ko’l", "көл"),
        # ү: ü u'
        ("üy", "үй"),
        ("u'y", "үй"),
        ("gu'l", "гүл"),
        # ж: j zh
        ("jakshy", "жакшы"),
        ("zhakshy", "жакшы"),
        ("jangy", "жаңы"),
        # ч ш щ х
        ("chay", "чай"),
        ("shaar", "шаар"),
        ("ashchy", "ашчы"),
        ("ishchi", "ишчи"),
        ("xat", "хат"),
        ("khat", "хат"),
        ("hat", "хат"),
        # Turkish-keyboard letters
        ("çay", "чай"),
        ("şaar", "шаар"),
        ("mıktı", "мыкты"),
        # y: ы, or й after a vowel / before a vowel
        ("kyrgyz", "кыргыз"),
        ("ysyk", "ысык"),
        ("ayyl", "айыл"),
        ("kiyim", "кийим"),
        ("sarayy", "сарайы"),
        # ya yu yo ye
        ("Yaponiya", "Япония"),
        ("ayal", "аял"),
        ("oyun", "оюн"),
        ("samolyot", "самолёт"),
        # e: э at the start of a word and after a vowel, ee = ээ
        ("eshik", "эшик"),
        ("ene", "эне"),
        ("mektep", "мектеп"),
        ("aeroport", "аэропорт"),
        ("jeen", "жээн"),
        ("bee", "бээ"),
        # case is kept
        ("Ysyk-Köl", "Ысык-Көл"),
        ("CHAY", "ЧАЙ"),
        ("Chay", "Чай"),
        ("KYRGYZSTAN", "КЫРГЫЗСТАН"),
        # anything not Latin passes through
        ("Salam, dosum! 2024", "Салам, досум! 2024"),
        ("кош keliñiz", "кош келиңиз"),
        ("kelиңиз", "келиңиз"),
        ("'kol'", "'кол'"),
        ("", ""),
    ],
)
def test_to_cyrillic(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "vocabulary", "cyrillic"),
    [
        ("kosh keliniz", ["Кош келиңиз"], "кош келиңиз"),
        ("Kosh keliniz", ["кош келиңиз"], "Кош келиңиз"),
        ("kol", ["көл"], "көл"),
        ("kol", ["көл", "кол"], "кол"),  # an exact match wins
        ("tun", ["түн", "түң"], "тун"),  # two restorations possible: keep what was typed
        ("köl", ["кол"], "көл"),  # a typed ö is never taken back
        ("uy", ["үй"], "үй"),
        ("kompyuter", ["компьютер"], "компьютер"),  # ь restored
        ("obekt", ["объект"], "объект"),  # ъ restored
        ("suyuu", ["сүйүү"], "сүйүү"),  # yu read as йү
        ("kongon", ["көнгөн"], "көнгөн"),  # ng read as нг
        ("tsirk", ["цирк"], "цирк"),  # ts read as ц
        ("borshch", ["борщ"], "борщ"),  # shch read as щ
        ("poezd", ["поезд"], "поезд"),  # e after a vowel read as е
        ("Evropa", ["Европа"], "Европа"),
        ("Ysyk-Kol", ["Ысык-Көл"], "Ысык-Көл"),
        ("men Ysyk-Kolgo baram", ["Мен Ысык-Көлгө барам"], "мен Ысык-Көлгө барам"),
    ],
)
def test_to_cyrillic_with_vocabulary(latin, vocabulary, cyrillic):
    assert to_cyrillic(latin, vocabulary) == cyrillic


def test_vocabulary_without_restoring_special_letters():
    assert to_cyrillic("kosh keliniz", ["Кош келиңиз"], restore_special=False) == "кош келиниз"
    assert to_cyrillic("kompyuter", ["компьютер"], restore_special=False) == "компьютер"


def test_vocabulary_can_be_any_iterable():
    assert to_cyrillic("kol", (word for word in ["көл"])) == "көл"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Кыргыз Республикасы", "Kyrgyz Respublikasy"),
        ("Ысык-Көл", "Ysyk-Kol"),
        ("жаңы", "jangy"),
        ("үй", "uy"),
        ("чай", "chay"),
        ("ЧАЙ", "CHAY"),
        ("Чолпон-Ата", "Cholpon-Ata"),
        ("Япония", "Yaponiya"),
        ("компьютер", "kompyuter"),
        ("борщ", "borshch"),
        ("хат", "khat"),
        ("Кош келиңиз!", "Kosh kelingiz!"),
        ("café", "cafe"),
    ],
)
def test_to_latin(cyrillic, latin):
    assert to_latin(cyrillic) == latin
    assert to_latin(cyrillic).isascii()


def test_slugify():
    assert slugify("Ысык-Көл облусу") == "ysyk-kol-oblusu"
    assert slugify("  Кош келиңиз!  ", "_") == "kosh_kelingiz"


@pytest.mark.parametrize("word", NOUNS)
def test_round_trip_with_the_word_as_vocabulary(word):
    assert to_cyrillic(to_latin(word), [word]) == word


# Loads static/js/kyrgyz-input.js in Node with a stub DOM and converts the words on stdin.
NODE_HARNESS = """
const fs = require("fs");
global.window = { localStorage: { getItem() { return null; }, setItem() {} } };
global.document = {
  readyState: "complete", querySelectorAll() { return []; }, addEventListener() {},
};
eval(fs.readFileSync(process.env.KYRGYZ_INPUT_JS, "utf8"));
const words = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(words.map((w) => window.SabakKyrgyz.toCyrillic(w, " "))));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_javascript_scheme_matches_python():
    words = [part for noun in NOUNS for part in to_latin(noun).replace("-", " ").split()]
    words += ["keliñiz", "ko'l", "u'y", "Ysyk", "CHAY", "ashchy", "mıktı", "çay", "kom'pyuter"]
    result = subprocess.run(
        [str(shutil.which("node")), "-e", NODE_HARNESS],
        input=json.dumps(words),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
        env={**os.environ, "KYRGYZ_INPUT_JS": str(ROOT / "static" / "js" / "kyrgyz-input.js")},
    )
    assert json.loads(result.stdout) == [to_cyrillic(word) for word in words]
