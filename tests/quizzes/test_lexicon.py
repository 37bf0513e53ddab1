"""The course's lexicon for the answer checker: a real word of the course is another word."""

from __future__ import annotations

from app.extensions import db
from app.lessons.models import Item
from app.quizzes import lexicon as lexicon_module
from app.quizzes.exercises import Word, suffix_answers
from app.quizzes.lexicon import course_lexicon
from app.quizzes.models import ExerciseKind, Question
from app.quizzes.sessions import services as sessions


def _add_word(course_id: int, lesson_id: int, ky: str, en: str) -> Item:
    item = Item(course_id=course_id, lesson_id=lesson_id, ky=ky, ja=en, en=en, pos="noun")
    db.session.add(item)
    db.session.flush()
    return item


def test_the_lexicon_holds_the_course_words_and_noun_forms(app, quiz_course):
    with app.app_context():
        known = course_lexicon(quiz_course.id)
        assert {"кол", "колго", "китебим", "рахмат", "жакшы", "тоолор"} <= known.words
        assert course_lexicon(quiz_course.id) is known  # cached per course


def test_the_lexicon_is_rebuilt_after_its_lifetime(app, quiz_course, monkeypatch):
    with app.app_context():
        known = course_lexicon(quiz_course.id)
        _add_word(quiz_course.id, quiz_course.lessons[0], "ата", "father")
        later = lexicon_module.time.monotonic() + lexicon_module.LIFETIME_SECONDS + 1
        monkeypatch.setattr(lexicon_module.time, "monotonic", lambda: later)
        rebuilt = course_lexicon(quiz_course.id)
        assert "ата" not in known and "ата" in rebuilt


def test_a_course_word_one_letter_away_is_another_word_not_a_typo(app, quiz_course):
    with app.app_context():
        ata = _add_word(quiz_course.id, quiz_course.lessons[0], "ата", "father")
        _add_word(quiz_course.id, quiz_course.lessons[0], "ат", "name")
        question = Question(kind=ExerciseKind.RECALL.value, item=ata, params={})
        verdict, given, _ = sessions.judge(question, "ат", "ja")
        assert (verdict.status, verdict.kind, given) == ("wrong", "other_word", "ат")


def test_drills_include_compound_nouns_with_the_linking_n():
    weather = Word(1, "аба ырайы", "天気", "weather", "noun")
    assert suffix_answers(weather, "dative") == ["аба ырайына"]
    assert suffix_answers(weather, "accusative") == ["аба ырайын"]
    assert suffix_answers(weather, "plural") == ["аба ырайлары"]
    soup = Word(2, "мисо шорпосу", "みそ汁", "miso soup", "noun", also_accepted=("мисо сорпосу",))
    assert suffix_answers(soup, "locative") == ["мисо шорпосунда", "мисо сорпосунда"]
    grandfather = Word(3, "чоң ата", "祖父", "grandfather", "noun")
    assert suffix_answers(grandfather, "dative") == ["чоң атага"]
