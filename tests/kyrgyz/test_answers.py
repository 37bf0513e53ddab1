import ast
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.kyrgyz import answers, morphology
from app.kyrgyz.answers import MESSAGES, SOUND_LABELS, Verdict, answer_key, check, lexicon
from app.kyrgyz.morphology import FORM_LABELS

KYRGYZ_LETTERS = "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНҢОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"


def identity(message: str) -> str:
    return message


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        ("колго", ["колго"]),
        ("Колго", ["колго"]),
        ("  колго!  ", ["Колго"]),
        ("«Колго»", ["колго"]),
        ("кош   келиңиз", ["Кош келиңиз!"]),
        ("Кош келиңиз", ["Кош келиңиз!"]),
        ("Салам досум", ["Салам, досум!"]),
        ("бир нерсе", ["бир нерсе."]),
        ("кoлгo", ["колго"]),  # Latin o look-alikes
        ("кɵл", ["көл"]),  # ɵ
        ("кеҥеш", ["кеңеш"]),
        ("ұй", ["үй"]),
        ("чаи\u0306", ["чай"]),  # decomposed й
        ("Ысык-Көлгө", ["Ысык-Көлгө"]),
        ("үй", ["өй", "үй"]),
    ],
)
def test_normalised_equality_is_correct(given, accepted):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind) == ("correct", "exact")
    assert verdict.render(identity) == "Correct."


def test_expected_is_the_accepted_answer_as_written():
    assert check("кош келиңиз", ["Саламатсызбы", "Кош келиңиз!"]).expected == "Кош келиңиз!"


@pytest.mark.parametrize(
    ("given", "accepted", "letters"),
    [
        ("кол", ["көл"], "о → ө"),
        ("уй", ["үй"], "у → ү"),
        ("кош келиниз", ["Кош келиңиз"], "н → ң"),
        ("коңул", ["көңүл"], "о → ө, у → ү"),
        ("конул", ["көңүл"], "о → ө, н → ң, у → ү"),
        ("көл", ["кол"], "ө → о"),
    ],
)
def test_special_letters_are_almost(given, accepted, letters):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind) == ("almost", "special_letter")
    assert verdict.params["letters"] == letters
    assert verdict.render(identity) == (
        f"Mind the special letters ({letters}): it is written {accepted[0]}."
    )


@pytest.mark.parametrize(
    ("given", "accepted", "converted"),
    [
        ("salamatsyzby", ["Саламатсызбы?"], "саламатсызбы"),
        ("kosh keliñiz", ["Кош келиңиз"], "кош келиңиз"),
        ("Kosh kelingiz!", ["Кош келиңиз"], "кош келиңиз"),
        ("ko'l", ["көл"], "көл"),
        ("kompyuter", ["компьютер"], "компьютер"),
        ("men Ysyk-Köldö jashaym", ["Мен Ысык-Көлдө жашайм"], "мен ысык-көлдө жашайм"),
    ],
)
def test_latin_input_is_converted(given, accepted, converted):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind, verdict.converted) == (
        "correct",
        "latin_input",
        converted,
    )
    assert converted in verdict.render(identity)


def test_latin_input_without_special_letters_is_almost():
    verdict = check("kosh keliniz", ["Кош келиңиз"])
    assert (verdict.status, verdict.kind) == ("almost", "special_letter")
    assert verdict.converted == "кош келиниз"
    assert verdict.params["letters"] == "н → ң"
    assert verdict.render(identity).startswith("In Cyrillic you wrote кош келиниз.")


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        ("колдго", ["колго"]),  # insertion
        ("кушк", ["кушка"]),  # deletion
        ("китап", ["китеп"]),  # substitution
        ("кеитп", ["кетип"]),  # transposition
        ("саламатсызб", ["Саламатсызбы?"]),
    ],
)
def test_one_edit_is_a_typo(given, accepted):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind, verdict.expected) == ("almost", "typo", accepted[0])
    shown = accepted[0].rstrip("?")
    assert verdict.render(identity) == f"There is a small typing mistake: it is written {shown}."


@pytest.mark.parametrize(("given", "accepted"), [("ат", ["ата"]), ("ит", ["ат"]), ("уй", ["ай"])])
def test_short_answers_get_no_typo_tolerance(given, accepted):
    assert check(given, accepted).status == "wrong"


@pytest.mark.parametrize(
    ("given", "accepted", "given_form", "expected_form"),
    [
        ("колдо", ["колго"], "locative", "dative"),
        ("колдон", ["колго"], "ablative", "dative"),
        ("кол", ["колго"], "nominative", "dative"),
        ("колдор", ["кол"], "plural", "nominative"),
        ("Осакада", ["Осакага"], "locative", "dative"),
        ("эшикке", ["эшикти"], "dative", "accusative"),
        ("китебим", ["китеби"], "poss_1sg", "poss_3"),
        ("балам", ["балага"], "poss_1sg", "dative"),
        ("балдар", ["балам"], "plural", "poss_1sg"),
        ("мага", ["мени"], "dative", "accusative"),
        ("менин", ["мага"], "genitive", "dative"),
        ("мурду", ["мурун"], "poss_3", "nominative"),
        ("медалга", ["медалдын"], "dative", "genitive"),
        ("Ысык-Көлдө", ["Ысык-Көлгө"], "locative", "dative"),
        ("Мен үйдө барам", ["Мен үйгө барам"], "locative", "dative"),
    ],
)
def test_another_form_of_the_word_is_wrong(given, accepted, given_form, expected_form):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind) == ("wrong", "other_form")
    assert (verdict.params["given_form"], verdict.params["expected_form"]) == (
        given_form,
        expected_form,
    )


def test_other_form_message_names_both_forms():
    verdict = check("колдо", ["колго"])
    assert verdict.render(identity) == (
        "колдо is the locative form; the answer needs the dative form: колго."
    )


@pytest.mark.parametrize(
    ("given", "accepted", "vowel", "suffix_vowel"),
    [
        ("колга", ["колго"], "о", "о"),
        ("куштор", ["куштар"], "у", "а"),  # у takes а
        ("гүлдер", ["гүлдөр"], "ү", "ө"),  # ү takes ө
        ("үйга", ["үйгө"], "ү", "ө"),
        ("эшиктар", ["эшиктер"], "и", "е"),
        ("колдун", ["колдун"], None, None),
        ("колдын", ["колдун"], "о", "у"),
        ("колуңуздор", ["колуңуздар"], "у", "а"),
        ("Японияге", ["Японияга"], "я (а)", "а"),
    ],
)
def test_wrong_harmony_vowel(given, accepted, vowel, suffix_vowel):
    verdict = check(given, accepted)
    if vowel is None:
        assert verdict.is_correct
        return
    assert (verdict.status, verdict.kind) == ("wrong", "vowel_harmony")
    assert (verdict.params["vowel"], verdict.params["suffix_vowel"]) == (vowel, suffix_vowel)


def test_harmony_message_states_the_rule():
    assert check("колга", ["колго"]).render(identity) == (
        "Vowel harmony: after the vowel о the suffix takes о, so колго, not колга."
    )


@pytest.mark.parametrize("given", ["", "   ", "?!", "\u200b"])
def test_empty_answer(given):
    verdict = check(given, ["Кош келиңиз"])
    assert (verdict.status, verdict.kind, verdict.expected) == ("wrong", "empty", "Кош келиңиз")
    assert verdict.render(identity) == "No answer was given. The answer is Кош келиңиз."


def test_different_answer_names_the_closest_accepted():
    verdict = check("китепкана", ["алма", "китеп"])
    assert (verdict.status, verdict.kind, verdict.expected) == ("wrong", "different", "китеп")
    assert verdict.render(identity) == "The answer is китеп."


def test_a_suffix_vowel_of_the_wrong_height_is_a_typo():
    assert check("гүлдүр", ["гүлдөр"]).kind == "typo"


@pytest.mark.parametrize("accepted", [[], [""], ["  ", "!"]])
def test_no_accepted_answer(accepted):
    verdict = check("кол", accepted)
    assert (verdict.status, verdict.kind, verdict.expected) == ("wrong", "no_accepted_answer", "")


@pytest.mark.parametrize(
    ("given", "accepted", "kind"),
    [
        ("кол", ["көл"], "special_letter"),
        ("китап", ["китеп"], "typo"),
        ("kosh keliniz", ["кош келиңиз"], "special_letter"),
    ],
)
def test_strict_reports_almost_as_wrong_but_keeps_the_explanation(given, accepted, kind):
    lenient, strict = check(given, accepted), check(given, accepted, strict=True)
    assert (lenient.status, strict.status) == ("almost", "wrong")
    assert (strict.kind, strict.message, strict.params) == (kind, lenient.message, lenient.params)


def test_strict_keeps_correct_answers_correct():
    assert check("Колго!", ["колго"], strict=True).is_correct


def test_render_translates_the_message_and_the_form_names():
    translations = {
        MESSAGES[
            "other_form"
        ]: "%(given)s は%(given_form)sです。正解は%(expected_form)sの %(expected)s。",
        FORM_LABELS["locative"]: "位格",
        FORM_LABELS["dative"]: "与格",
    }
    verdict = check("колдо", ["колго"])
    rendered = verdict.render(lambda message: translations.get(message, message))
    assert rendered == "колдо は位格です。正解は与格の колго。"
    assert verdict.params["given_form"] == "locative"  # the raw key stays in params


def _marked_values(module, name):
    tree = ast.parse(Path(module.__file__).read_text("utf-8"))
    for node in ast.walk(tree):
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id == name and isinstance(node.value, ast.Dict):
            return node.value.values
    raise AssertionError(f"{name} is not a dict literal in {module.__name__}")


@pytest.mark.parametrize(
    ("module", "name"),
    [(answers, "MESSAGES"), (answers, "SOUND_LABELS"), (morphology, "FORM_LABELS")],
)
def test_every_message_is_marked_for_extraction(module, name):
    for value in _marked_values(module, name):
        assert isinstance(value, ast.Call) and getattr(value.func, "id", None) == "N_"


KNOWN = lexicon(
    ["сүйлөм", "сүйлөйм", "ат", "ата", "эт", "ит", "баш", "беш", "тамак", "уй"], ["китеп", "көл"]
)

VERDICT_EXAMPLES = {
    "exact": ("кол", ["кол"]),
    "latin_input": ("kol", ["кол"]),
    "special_letter": ("кол", ["көл"]),
    "special_letter_latin": ("kol", ["көл"]),
    "ng_digraph": ("чонг", ["чоң"]),
    "russian_spelling": ("киргиз", ["кыргыз"]),
    "latin_i": ("kiz", ["кыз"]),
    "i_for_y": ("кизил", ["кызыл"]),
    "kana": ("サラム", ["салам"]),
    "typo": ("китап", ["китеп"]),
    "other_form": ("колдо", ["колго"]),
    "vowel_harmony": ("колга", ["колго"]),
    "suffix_consonant": ("китеплер", ["китептер"]),
    "stem_voicing": ("китепим", ["китебим"]),
    "linking_n": ("аба ырайыга", ["аба ырайына"]),
    "other_word": ("сүйлөм", ["сүйлөйм"]),
    "empty": ("", ["кол"]),
    "different": ("алма", ["кол"]),
    "no_accepted_answer": ("кол", []),
}


def test_every_message_has_an_example():
    assert set(VERDICT_EXAMPLES) == set(MESSAGES)


@pytest.mark.parametrize(("message_id", "example"), VERDICT_EXAMPLES.items())
def test_every_message_renders_with_its_params(message_id, example):
    verdict = check(*example, lexicon=KNOWN)
    assert verdict.message == MESSAGES[message_id]
    placeholders = set(re.findall(r"%\((\w+)\)s", verdict.message))
    assert placeholders == set(verdict.params)
    assert "%(" not in verdict.render(identity)


def test_verdict_is_frozen():
    verdict = check("кол", ["кол"])
    assert isinstance(verdict, Verdict)
    with pytest.raises(AttributeError):
        verdict.status = "wrong"  # type: ignore[misc]


def test_answer_key_keeps_hyphens_inside_words():
    assert answer_key("Ысык-Көл — кооз!") == "ысык-көл кооз"
    assert answer_key("кош, келиңиз") == "кош келиңиз"


kyrgyz_text = st.text(alphabet=KYRGYZ_LETTERS + " -", min_size=1).filter(
    lambda text: any(char.isalpha() for char in text)
)


@settings(max_examples=300, deadline=None, database=None)
@given(kyrgyz_text)
def test_an_accepted_answer_is_always_correct(text):
    assert check(text, [text]).status == "correct"


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.text(), st.lists(st.text(), max_size=4), st.booleans())
def test_check_never_raises(given_text, accepted, strict):
    verdict = check(given_text, accepted, strict=strict)
    assert verdict.status in ("correct", "almost", "wrong")
    assert not (strict and verdict.status == "almost")
    assert isinstance(verdict.render(identity), str)


@settings(max_examples=300, deadline=None, database=None)
@given(kyrgyz_text, st.lists(kyrgyz_text, min_size=1, max_size=3))
def test_check_never_raises_on_kyrgyz_like_text(given_text, accepted):
    verdict = check(given_text, accepted)
    assert verdict.expected in accepted
    assert isinstance(verdict.render(identity), str)


@pytest.mark.parametrize("word", [*sorted(morphology.PRONOUNS), "кол", "китеп", "көчө", "той"])
def test_every_form_is_correct_for_itself_and_another_form_for_the_others(word):
    table = morphology.forms(word)
    for key, form in table.items():
        assert check(form, [form]).is_correct
        for other_key, other in table.items():
            if other != form and other_key != key:
                assert check(other, [form]).kind == "other_form", (other, form)


# --- the rules a mistake breaks (issue 12) -----------------------------------------------------


@pytest.mark.parametrize(
    ("given", "accepted", "letter", "sound", "consonant"),
    [
        ("китеплер", ["китептер"], "п", "voiceless", "т"),  # -тер after a voiceless consonant
        ("кушлар", ["куштар"], "ш", "voiceless", "т"),
        ("кушга", ["кушка"], "ш", "voiceless", "к"),
        ("чайнын", ["чайдын"], "й", "sonorant", "д"),  # -дын after й
        ("шаарны", ["шаарды"], "р", "sonorant", "д"),
        ("коллор", ["колдор"], "л", "voiced", "д"),
        ("адамлар", ["адамдар"], "м", "voiced", "д"),
        ("көчөдөр", ["көчөлөр"], "ө", "vowel", "л"),
        ("эшикде", ["эшикте"], "к", "voiceless", "т"),
        ("Мен Ошго бардым", ["Мен Ошко бардым."], "ш", "voiceless", "к"),
        ("Бул кымбатбы?", ["Бул кымбатпы?"], "т", "voiceless", "п"),  # the question particle
        ("китептерда", ["китептерде"], None, None, None),  # a harmony error, not this rule
    ],
)
def test_the_suffix_consonant_is_named(given, accepted, letter, sound, consonant):
    verdict = check(given, accepted)
    if letter is None:
        assert verdict.kind == "vowel_harmony"
        return
    assert (verdict.status, verdict.kind) == ("wrong", "suffix_consonant")
    assert (verdict.params["letter"], verdict.params["letter_sound"]) == (letter, sound)
    assert verdict.params["consonant"] == consonant


def test_the_suffix_consonant_message_names_the_sound():
    translations = {SOUND_LABELS["voiceless"]: "無声子音"}
    rendered = check("китеплер", ["китептер"]).render(lambda m: translations.get(m, m))
    assert rendered == (
        "The suffix's first consonant: after п (無声子音) the suffix begins with т, "
        "so китептер, not китеплер."
    )


@pytest.mark.parametrize(
    ("given", "accepted", "voiceless", "voiced"),
    [
        ("китепим", ["китебим"], "п", "б"),  # п → б before a vowel
        ("китепи", ["китеби"], "п", "б"),
        ("жүрөкүм", ["жүрөгүм"], "к", "г"),
        ("мектепиңиз", ["мектебиңиз"], "п", "б"),
        ("курсакым", ["курсагым"], "к", "г"),
        ("китебтер", ["китептер"], "п", "б"),  # and stays п before a consonant
        ("жапон тамакы", ["жапон тамагы"], "к", "г"),
    ],
)
def test_voicing_at_the_end_of_the_stem_is_named(given, accepted, voiceless, voiced):
    verdict = check(given, accepted, lexicon=KNOWN)
    assert (verdict.status, verdict.kind) == ("wrong", "stem_voicing")
    assert (verdict.params["voiceless"], verdict.params["voiced"]) == (voiceless, voiced)


@pytest.mark.parametrize(
    ("given", "accepted", "vowel", "suffix_vowel"),
    [
        ("Мен жапонмын.", ["Мен жапонмун."], "о", "у"),  # the personal ending
        ("Мен студентмын", ["Мен студентмин"], "е", "и"),
        ("Мен үйдөмын", ["Мен үйдөмүн"], "ө", "ү"),
        ("кыргызчо", ["кыргызча"], "ы", "а"),  # -ча
        ("жапонча", ["жапончо"], "о", "о"),
        ("келдым", ["келдим"], "е", "и"),  # the past tense
        ("көлдо", ["көлдө"], "ө", "ө"),  # ө typed in the stem: not the keyboard
        ("даамдүү", ["даамдуу"], "а", "у"),  # -луу has у or ү only
    ],
)
def test_harmony_in_personal_endings_and_derivations(given, accepted, vowel, suffix_vowel):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind) == ("wrong", "vowel_harmony")
    assert (verdict.params["vowel"], verdict.params["suffix_vowel"]) == (vowel, suffix_vowel)


@pytest.mark.parametrize(
    ("given", "accepted", "word"),
    [
        ("аба ырайыга", ["аба ырайына"], "ырайы"),
        ("аба ырайыны", ["аба ырайын"], "ырайы"),
        ("аба ырайыда", ["аба ырайында"], "ырайы"),
        ("үй тапшырмасыдан", ["үй тапшырмасынан"], "тапшырмасы"),
        ("мисо шорпосуга", ["мисо шорпосуна"], "шорпосу"),
        ("баласыга", ["баласына"], "баласы"),
    ],
)
def test_the_linking_n_after_a_possessive_is_named(given, accepted, word):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind, verdict.params["word"]) == ("wrong", "linking_n", word)
    assert "linking н" in verdict.render(identity)


@pytest.mark.parametrize(
    ("given", "accepted", "given_form", "expected_form"),
    [
        ("аба ырайында", ["аба ырайына"], "locative", "dative"),
        ("аба ырайы", ["аба ырайлары"], "nominative", "plural"),
        ("аба ырайым", ["аба ырайы"], "poss_1sg", "poss_3"),  # of ырай
        ("жапон тамактары", ["жапон тамагын"], "plural", "accusative"),
    ],
)
def test_other_forms_of_a_possessed_compound(given, accepted, given_form, expected_form):
    verdict = check(given, accepted)
    assert (verdict.kind, verdict.params["given_form"], verdict.params["expected_form"]) == (
        "other_form",
        given_form,
        expected_form,
    )


@pytest.mark.parametrize(
    ("given", "accepted", "word"),
    [
        ("сүйлөм", ["сүйлөйм"], "сүйлөм"),  # "sentence" for "I speak"
        ("Ооба, бир аз сүйлөм.", ["Ооба, бир аз сүйлөйм."], "сүйлөм"),
        ("ат", ["ата"], "ат"),  # short words too
        ("ит", ["эт"], "ит"),
        ("беш", ["баш"], "беш"),
        ("китебиң", ["китебим"], None),  # another form of the word says more
    ],
)
def test_a_real_word_one_edit_away_is_another_word(given, accepted, word):
    verdict = check(given, accepted, lexicon=KNOWN)
    if word is None:
        assert verdict.kind == "other_form"
        return
    assert (verdict.status, verdict.kind, verdict.params["given"]) == ("wrong", "other_word", word)
    assert check(given, accepted).kind != "other_word"  # no lexicon, no other_word


def test_the_lexicon_holds_words_phrases_and_noun_forms():
    known = lexicon(["Ооба, бир аз сүйлөйм.", "salam"], ["китеп", "аба ырайы"])
    assert {"ооба", "бир", "сүйлөйм", "китептер", "китебим", "ырайына", "аба"} <= known.words
    assert "salam" not in known


@pytest.mark.parametrize(
    ("given", "accepted"),
    [("сөзз", ["сөз"]), ("тооо", ["тоо"]), ("то", ["тоо"]), ("үйй", ["үй"]), ("аат", ["ат"])],
)
def test_a_doubled_or_dropped_letter_in_a_short_word_is_a_typo(given, accepted):
    assert (check(given, accepted).status, check(given, accepted).kind) == ("almost", "typo")


@pytest.mark.parametrize(
    ("given", "accepted"), [("сөс", ["сөз"]), ("тоу", ["тоо"]), ("ат", ["ата"])]
)
def test_other_one_edit_mistakes_in_short_words_are_wrong(given, accepted):
    assert check(given, accepted).status == "wrong"


@pytest.mark.parametrize(
    ("given", "accepted", "kind"),
    [
        ("ｓａｌａｍ", ["салам"], "latin_input"),  # full-width Latin
        ("Кош\u3000келиңиз！", ["Кош келиңиз!"], "exact"),  # ideographic space, full-width !
        ("рахмат。", ["рахмат"], "exact"),
        ("「көл」", ["көл"], "exact"),
        ("Ｍｅｎ　ｊａｐｏｎｍｕｎ", ["Мен жапонмун."], "latin_input"),
    ],
)
def test_japanese_input_methods_are_normalised(given, accepted, kind):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind) == ("correct", kind)


def test_a_latin_answer_shows_the_cyrillic_once_and_does_not_repeat_correct():
    rendered = check("salam", ["салам"]).render(identity)
    assert rendered == "In Cyrillic it is written салам."


@pytest.mark.parametrize(
    ("given", "accepted", "kind", "converted"),
    [
        ("salamatsizbi", ["Саламатсызбы?"], "latin_i", "саламатсизби"),
        ("jakshi", ["жакшы"], "latin_i", "жакши"),
        ("kizil", ["кызыл"], "latin_i", "кизил"),
        ("кыргизча", ["кыргызча"], "i_for_y", None),
        ("жакши", ["жакшы"], "i_for_y", None),
    ],
)
def test_i_for_y_is_almost(given, accepted, kind, converted):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind, verdict.converted) == ("almost", kind, converted)


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        ("чонг", ["чоң"]),
        ("минг", ["миң"]),
        ("Кош келингиз!", ["Кош келиңиз!"]),
        ("эртенг", ["эртең"]),
    ],
)
def test_ng_for_the_letter_ng_is_almost(given, accepted):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind) == ("almost", "ng_digraph")


@pytest.mark.parametrize(
    ("given", "accepted", "russian", "kyrgyz"),
    [
        ("киргиз", ["кыргыз"], "киргиз", "кыргыз"),
        ("kirgiz", ["кыргыз"], "киргиз", "кыргыз"),
        ("япон", ["жапон"], "япон", "жапон"),
        ("Мен японмун.", ["Мен жапонмун."], "япон", "жапон"),
        ("Япония", ["Жапония"], "япон", "жапон"),
        ("Иссык-Куль", ["Ысык-Көл"], "иссык-куль", "ысык-көл"),
        ("кумыс", ["кымыз"], "кумыс", "кымыз"),
        ("Джалал-Абад", ["Жалал-Абад"], "дж", "ж"),
    ],
)
def test_russian_spellings_are_almost_with_the_kyrgyz_spelling(given, accepted, russian, kyrgyz):
    verdict = check(given, accepted)
    assert (verdict.status, verdict.kind) == ("almost", "russian_spelling")
    assert (verdict.params["russian"], verdict.params["kyrgyz"]) == (russian, kyrgyz)


@pytest.mark.parametrize("given", ["サラム", "さらむ", "ｻﾗﾑ", "挨拶", "サラム salam"])
def test_an_answer_in_japanese_script_is_told_to_type_cyrillic(given):
    verdict = check(given, ["салам"])
    assert (verdict.status, verdict.kind) == ("wrong", "kana")
    rendered = verdict.render(identity)
    assert "on-screen keys" in rendered and "Latin letters" in rendered


@pytest.mark.parametrize(
    ("given", "accepted", "kind"),
    [
        ("колдо", ["көлдө"], "special_letter"),  # no special letter typed: the keyboard
        ("көлдо", ["көлдө"], "vowel_harmony"),  # ө typed: the rule
        ("уй", ["үй"], "special_letter"),  # beats other_word (уй "cow")
        ("көлгө", ["колго"], "other_word"),  # ө typed: the learner has the key
        ("көлго", ["колго"], "special_letter"),  # ... but no word көлго
        ("kirgiz", ["кыргыз"], "russian_spelling"),  # beats latin_i
        ("колдо", ["колго"], "other_form"),  # beats any rule
        ("китеби", ["китебим"], "other_form"),  # beats other_word and typo
        ("китпе", ["китеп"], "typo"),
    ],
)
def test_which_kind_wins(given, accepted, kind):
    assert check(given, accepted, lexicon=KNOWN).kind == kind
