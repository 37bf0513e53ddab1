"""Markdown rendering (lesson notes, instructions, policies): sanitised, with generated tables."""

from __future__ import annotations

from app.core.markdown import directive_words, render_notes


def identity(text: str) -> str:
    return text


def test_directives_become_generated_tables():
    html = render_notes("Intro\n\n[[cases: кол, куш]]\n\n[[plural: бала]]", identity)
    for form in ["колго", "колдон", "кушка", "куштан", "балдар"]:
        assert f'<td lang="ky">{form}</td>' in html
    assert "[[" not in html


def test_possessive_tables_voice_the_stem():
    html = render_notes("[[possessive: китеп]]", identity)
    assert "китебим" in html and "китеби<" in html


def test_scripts_and_event_handlers_are_removed():
    html = render_notes(
        '<script>alert(1)</script><a href="javascript:x" onclick="y">z</a>', identity
    )
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html


def test_a_list_right_after_a_paragraph_is_a_list():
    html = render_notes("Examples:\n- Менин агам бар.\n- Менин эжем жок.", identity)
    assert "<li>Менин агам бар.</li>" in html


def test_directive_words():
    assert directive_words("x\n[[cases: үй, бөлмө]]\n") == [("cases", ["үй", "бөлмө"])]


def test_unknown_words_do_not_break_the_page():
    html = render_notes("[[cases: hello]]", identity)
    assert "<table" in html


def test_tables_of_possessed_compounds_take_the_linking_n():
    html = render_notes("[[cases: аба ырайы, жапон тамагы]]\n\n[[plural: мисо шорпосу]]", identity)
    for form in ["аба ырайына", "аба ырайын", "аба ырайынан", "жапон тамагында", "мисо шорполору"]:
        assert f'<td lang="ky">{form}</td>' in html
    assert "ырайыга" not in html
