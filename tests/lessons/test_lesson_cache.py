"""The lesson page's tables of words, kept for every student (app.core.page_cache.shared_fragment):
served without loading the words again, drawn afresh as soon as a word or the lesson changes, in
each language apart, and never with anything of one person's (an editor's links, a done mark)."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from sqlalchemy import select

from app.core import page_cache
from app.extensions import db
from app.lessons.models import Item
from tests.helpers import count_queries, kept_in_process, visible_text

LESSON = "/lessons/courses/kyrgyz-test/lesson-1"


@pytest.fixture
def lesson_class(make_course, make_user, make_class):
    """A course with a class of three students (the second reads in Japanese) and an admin (an
    editor)."""
    course = make_course(lessons=2, items=3)
    first, second = make_user(display_name="Айбек"), make_user(display_name="花子", language="ja")
    third = make_user(display_name="Asel")
    make_class(course, students=(first, second, third))
    return {
        "course": course,
        "first": first,
        "second": second,
        "third": third,
        "admin": make_user(roles="admin"),
    }


def word_tables(body: str) -> str:
    start = body.index('<table class="word-table">')
    return body[start : body.index("</table>", start)]


def item_queries(statements: list[str]) -> list[str]:
    return [s for s in statements if "FROM items" in s]


def test_a_second_student_gets_the_kept_tables_without_the_words_being_loaded(
    app, client, auth, lesson_class
):
    auth.login(user=lesson_class["first"])
    first = client.get(LESSON).get_data(as_text=True)
    auth.logout()
    auth.login(user=lesson_class["admin"])  # an editor's tables are kept apart
    assert "/edit" in word_tables(client.get(LESSON).get_data(as_text=True))
    auth.logout()
    auth.login(user=lesson_class["third"])
    with count_queries(app) as log:
        second = client.get(LESSON).get_data(as_text=True)
    assert item_queries(log.statements) == []
    assert word_tables(second) == word_tables(first)
    assert "hand" in visible_text(word_tables(second)) and "/edit" not in word_tables(second)


def test_an_edited_word_is_shown_to_the_next_student_at_once(app, client, auth, lesson_class):
    auth.login(user=lesson_class["first"])
    assert "arm" not in visible_text(word_tables(client.get(LESSON).get_data(as_text=True)))
    auth.logout()
    auth.login(user=lesson_class["admin"])
    item_id = lesson_class["course"].items["кол"]
    edited = {"ky": "кол", "ja": "手", "en": "arm", "pos": "noun", "kind": "word"}
    assert client.post(f"/lessons/items/{item_id}/edit", data=edited).status_code == 302
    auth.logout()
    auth.login(user=lesson_class["first"])
    assert "arm" in visible_text(word_tables(client.get(LESSON).get_data(as_text=True)))


def test_a_word_changed_by_any_means_draws_the_tables_again(app, client, auth, lesson_class):
    """A change outside the authoring pages (an import, a script) is seen too: the generations
    are raised by every commit that writes the table."""
    auth.login(user=lesson_class["first"])
    client.get(LESSON)
    with app.app_context():
        item = db.session.scalar(select(Item).where(Item.ky == "көл"))
        item.retired = True  # retired words leave the lesson page
        db.session.commit()
    tables = visible_text(word_tables(client.get(LESSON).get_data(as_text=True)))
    assert "lake" not in tables and "hand" in tables


def test_languages_are_kept_apart(app, client, auth, lesson_class):
    auth.login(user=lesson_class["first"])  # English
    english = word_tables(client.get(LESSON).get_data(as_text=True))
    auth.logout()
    auth.login(user=lesson_class["second"])  # Japanese
    japanese = word_tables(client.get(LESSON).get_data(as_text=True))
    assert "hand" in english and "手" not in english
    assert "手" in japanese and "hand" not in japanese


def test_a_students_done_mark_is_never_shown_to_another(app, client, auth, lesson_class):
    auth.login(user=lesson_class["first"])
    client.post(f"{LESSON}/done", data={"action": "done"})
    assert "You have finished this lesson." in client.get(LESSON).get_data(as_text=True)
    auth.logout()
    auth.login(user=lesson_class["third"])
    body = client.get(LESSON).get_data(as_text=True)
    assert "You have finished this lesson." not in body and "Mark as done" in body


def test_without_the_cache_every_request_draws_the_tables(app, client, auth, lesson_class):
    app.config["PAGE_CACHE_SECONDS"] = 0
    auth.login(user=lesson_class["first"])
    client.get(LESSON)
    with count_queries(app) as log:
        assert "hand" in client.get(LESSON).get_data(as_text=True)
    assert len(item_queries(log.statements)) == 1


def test_a_fragment_of_a_private_table_is_refused(app: Flask):
    with app.test_request_context("/"), pytest.raises(ValueError, match="review_cards"):
        page_cache.shared_fragment(
            "x", frozenset({"review_cards"}), lambda: render_template_string("x")
        )


# --- the course's outline around a lesson (app.core.page_cache.shared_value) -------------------


def test_the_outline_around_a_lesson_follows_a_lesson_retired_or_renamed_at_once(
    app, client, auth, lesson_class
):
    from app.lessons.models import Lesson

    auth.login(user=lesson_class["first"])
    page = client.get(LESSON).get_data(as_text=True)
    assert "Lesson 1 of 2" in page and 'rel="next"' in page
    with count_queries(app) as log:
        client.get(LESSON)
    outline_reads = [s for s in log.statements if "ORDER BY lessons.position" in s]
    # kept since the first view (on SQLite and with Redis)
    assert len(outline_reads) == (0 if kept_in_process(app) else 1)
    with app.app_context():
        second = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-2"))
        second.title_en = "Numbers, renamed"
        db.session.commit()
    assert "Numbers, renamed" in client.get(LESSON).get_data(as_text=True)
    with app.app_context():
        db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-2")).retired = True
        db.session.commit()
    page = client.get(LESSON).get_data(as_text=True)
    assert "Lesson 1 of 1" in page and 'rel="next"' not in page


def test_students_and_editors_outlines_are_kept_apart(app, client, auth, lesson_class):
    from app.lessons.models import Lesson

    with app.app_context():
        db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-2")).published = False
        db.session.commit()
    auth.login(user=lesson_class["admin"])
    assert "Lesson 1 of 2" in client.get(LESSON).get_data(as_text=True)  # editors see drafts
    auth.logout()
    auth.login(user=lesson_class["first"])
    assert "Lesson 1 of 1" in client.get(LESSON).get_data(as_text=True)


def test_a_shared_value_is_never_drawn_from_a_persons_own_tables(app):
    with app.test_request_context("/"), pytest.raises(ValueError):
        page_cache.shared_value(("test",), frozenset({"quiz_answers"}), lambda: 0)
