"""Judging whole sentences: the checker's tolerance, word order, the verb at the end, words
that don't belong or are missing, and any string without an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.kyrgyz.sentences import check_sentence, tiles

SENTENCE = "Мен мектепке барам."


@pytest.mark.parametrize(
    "text",
    ["Мен мектепке барам.", "мен мектепке барам", "МЕН  мектепке барам!", "men mektepke baram"],
)
def test_case_punctuation_and_latin_do_not_matter(text: str) -> None:
    assert check_sentence(text, SENTENCE).is_correct


def test_verb_moved_from_the_end_is_explained() -> None:
    verdict = check_sentence("барам мен мектепке", SENTENCE)
    assert (verdict.status, verdict.kind) == ("wrong", "verb_final")
    assert verdict.params["verb"] == "барам"
    text = verdict.render(lambda s: s)
    assert "like Japanese" in text and "барам comes last" in text and "Мен мектепке барам" in text


def test_other_words_swapped_is_word_order() -> None:
    verdict = check_sentence("мектепке мен барам", SENTENCE)
    assert (verdict.status, verdict.kind) == ("wrong", "word_order")


def test_a_word_in_another_form_gets_the_checkers_grammar() -> None:
    verdict = check_sentence("Мен мектепте барам", SENTENCE)
    assert verdict.kind == "other_form"
    assert verdict.params["given_form"] == "locative"


def test_special_letters_are_almost() -> None:
    verdict = check_sentence("Бул китеп абдан жакшы", "Бул китеп абдан жакшы.")
    assert verdict.is_correct
    assert check_sentence("Мен мектепке барам", "Мен мектепке барам.").is_correct
    almost = check_sentence("Биз бугун барабыз", "Биз бүгүн барабыз.")
    assert almost.status == "almost" and almost.kind == "special_letter"


def test_extra_and_missing_words() -> None:
    extra = check_sentence("мен эртең мектепке барам", SENTENCE)
    assert (extra.kind, extra.params["words"]) == ("extra_word", "эртең")
    missing = check_sentence("мен барам", SENTENCE)
    assert (missing.kind, missing.params["words"]) == ("missing_word", "мектепке")


def test_tiles_keep_capitals_and_inner_hyphens_not_punctuation() -> None:
    assert tiles("«Манас» — кыргыз элинин эпосу.") == ["Манас", "кыргыз", "элинин", "эпосу"]
    assert tiles("Жайында Ысык-Көлдө туристтер көп.") == [
        "Жайында",
        "Ысык-Көлдө",
        "туристтер",
        "көп",
    ]


@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    verdict = check_sentence(text, SENTENCE)
    assert verdict.status in ("correct", "almost", "wrong")


def test_hostile_input() -> None:
    assert not check_sentence("\x00" * 1000, SENTENCE).is_correct
    assert check_sentence("Мен мектепке барам\x00", SENTENCE).status in (
        "correct",
        "almost",
        "wrong",
    )
    assert check_sentence("барам " * 10_000, SENTENCE).status == "wrong"
