"""The learning loop through the client, with a fixed clock: missed words come back in the
session and within minutes in the review; Latin answers; the practice hub and its budget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.lessons.models import CourseClass
from app.quizzes.models import Answer, Question, ReviewCard, ReviewLog
from app.quizzes.sessions import services as sessions
from tests.helpers import queries_for, visible_text
from tests.quizzes.conftest import NOW
from tests.quizzes.test_views import make_due_cards, right_answer, start


@pytest.fixture
def student(auth, enrol, quiz_course, clock):
    user = auth.login("student")
    enrol(quiz_course, user)
    return user


def question(app, session_id, number):
    with app.app_context():
        q = sessions.question_at(session_id, number - 1)
        return q.kind, q.item_id, q.item.ky, q.retry


def answer_right_until(app, client, session_id, last):
    for number in range(1, last):
        client.post(f"/quizzes/{session_id}/{number}", data=right_answer(app, session_id, number))


def learnt(app, user_id, item_ids):
    """Cards taken through the learning steps 20 days ago: in the review state and overdue."""
    make_due_cards(app, user_id, item_ids, now=NOW - timedelta(days=15))
    make_due_cards(app, user_id, item_ids, now=NOW - timedelta(days=15, minutes=-10))
    with app.app_context():
        cards = db.session.scalars(select(ReviewCard).where(ReviewCard.item_id.in_(item_ids)))
        assert {card.state for card in cards} == {2}


def review_text(client):
    return visible_text(client.get("/quizzes/review").get_data(as_text=True))


def test_a_missed_word_comes_back_in_the_session_and_in_the_review(client, student, app, clock):
    session_id = start(client)
    kind, item_id, ky, _retry = question(app, session_id, 1)
    client.post(f"/quizzes/{session_id}/1", data={"answer": "?"})
    for number in range(2, 11):
        client.post(f"/quizzes/{session_id}/{number}", data=right_answer(app, session_id, number))
    # asked again at the end: the same exercise on the same word
    assert question(app, session_id, 11) == (kind, item_id, ky, 1)
    # wrong again: asked once more, and no more than that
    client.post(f"/quizzes/{session_id}/11", data={"answer": "?"})
    client.post(f"/quizzes/{session_id}/12", data={"answer": "?"})
    assert client.get(f"/quizzes/{session_id}").headers["Location"].endswith("/results")
    text = visible_text(client.get(f"/quizzes/{session_id}/results").get_data(as_text=True))
    assert "9 of 12 correct" in text
    # the word is learning again: not due yet, back in a minute
    text = review_text(client)
    assert "Nothing is due right now." in text and "come back in 1 minute" in text
    assert "Well done" not in text
    clock["now"] = NOW + timedelta(minutes=1)
    text = review_text(client)
    assert "1 word is due today." in text


def test_words_answered_right_come_back_after_ten_minutes(client, student, app, clock):
    session_id = start(client)
    answer_right_until(app, client, session_id, 11)
    text = review_text(client)
    assert "come back in 10 minutes" in text
    clock["now"] = NOW + timedelta(minutes=10)
    assert "are due today." in review_text(client)


def test_a_review_word_answered_wrong_relearns_within_minutes(
    client, student, app, quiz_course, clock
):
    learnt(app, student.id, [quiz_course.items["китеп"]])
    response = client.post("/quizzes/review")
    session_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    client.post(f"/quizzes/{session_id}/1", data={"answer": "?"})
    # the session isn't over: the word comes again
    assert client.get(f"/quizzes/{session_id}").headers["Location"].endswith(f"/{session_id}/2")
    client.post(f"/quizzes/{session_id}/2", data=right_answer(app, session_id, 2))
    with app.app_context():
        card = db.session.scalar(select(ReviewCard).where(ReviewCard.user_id == student.id))
        assert card.lapses == 1 and card.state == 3  # relearning
        logs = db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == card.id)).all()
        # right again at once: logged, but the word still comes back in 10 minutes
        assert [log.counted for log in logs][-2:] == [True, False]
    assert "come back in 10 minutes" in review_text(client)
    clock["now"] = NOW + timedelta(minutes=10)
    assert "1 word is due today." in review_text(client)


def test_a_new_student_is_invited_to_start_a_lesson(client, student, app):
    for url in ("/quizzes/review", "/quizzes/"):
        html = client.get(url).get_data(as_text=True)
        text = visible_text(html)
        assert "Well done" not in text, url
        assert "Start with Lesson 1" in text, url
        assert 'href="/lessons/courses/kyrgyz-quiz/lesson-1"' in html, url
    # the home page (its own panel lists the courses) says the same, within its query budget
    text = visible_text(client.get("/").get_data(as_text=True))
    assert "Your review is empty for now." in text and "Well done" not in text


# --- Latin answers ---------------------------------------------------------------------------------


LATIN = {"кол": "kol", "китеп": "kitep", "чай": "chai", "куш": "kush", "эшик": "eshik"}


def typed_latin_question(app, client, session_id):
    """Answer right up to the first typed question of a word with a plain Latin spelling."""
    for number in range(1, 11):
        kind, _item, ky, _retry = question(app, session_id, number)
        if kind in ("recall", "listen") and ky in LATIN:
            return number, ky
        client.post(f"/quizzes/{session_id}/{number}", data=right_answer(app, session_id, number))
    raise AssertionError("the fixed seed must give a typed question on a plain word")


def test_a_latin_answer_is_accepted_says_correct_once_and_counts_as_hard(client, student, app):
    session_id = start(client)
    number, ky = typed_latin_question(app, client, session_id)
    html = client.post(
        f"/quizzes/{session_id}/{number}",
        data={"answer": LATIN[ky]},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    verdict = visible_text(html.split('data-verdict="correct">', 1)[1].split("</div>", 1)[0])
    assert verdict.count("Correct") == 1 and ky in verdict
    assert "type it in Cyrillic to master it" in visible_text(html)
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.given == LATIN[ky]))
        assert answer.status == "correct"
        log = db.session.scalar(select(ReviewLog).where(ReviewLog.answer_id == answer.id))
        assert log.rating == 2  # Hard, not Good


def test_a_class_without_latin_refuses_latin_answers(client, student, app, quiz_course):
    with app.app_context():
        course_class = db.session.scalar(select(CourseClass))
        course_class.latin_input = False
        db.session.commit()
    session_id = start(client)
    number, ky = typed_latin_question(app, client, session_id)
    page = client.get(f"/quizzes/{session_id}/{number}").get_data(as_text=True)
    assert 'data-kyrgyz-latin="off"' in page  # no Latin → Cyrillic toggle either
    response = client.post(f"/quizzes/{session_id}/{number}", data={"answer": LATIN[ky]})
    assert response.status_code == 200
    text = visible_text(response.get_data(as_text=True))
    assert "Your class answers in Cyrillic letters" in text and "ң ө ү" in text
    with app.app_context():
        assert db.session.scalar(select(Answer).where(Answer.given == LATIN[ky])) is None
    # the Cyrillic answer is taken
    response = client.post(f"/quizzes/{session_id}/{number}", data={"answer": ky})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Answer).where(Answer.given == ky)).status == "correct"


def test_a_teacher_turns_latin_answers_off_in_the_class_settings(
    client, auth, app, quiz_course, make_class
):
    teacher = auth.login("teacher")
    class_id = make_class(quiz_course, teacher, name="クラス")["id"]
    page = client.get(f"/lessons/classes/{class_id}/edit").get_data(as_text=True)
    assert "Accept answers typed in Latin letters" in visible_text(page)
    assert 'name="latin_input" checked' in page.replace('role="switch" ', "") or "checked" in page
    response = client.post(f"/lessons/classes/{class_id}/edit", data={"name": "コンテスト準備"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(CourseClass, class_id).latin_input is False
    page = client.get(f"/lessons/classes/{class_id}").get_data(as_text=True)
    assert "Not accepted: Cyrillic only" in visible_text(page)
    client.post(f"/lessons/classes/{class_id}/edit", data={"name": "入門", "latin_input": "y"})
    with app.app_context():
        assert db.session.get(CourseClass, class_id).latin_input is True


# --- the practice hub ------------------------------------------------------------------------------


def test_the_hub_shows_the_review_lessons_weak_words_and_sessions(
    client, student, app, quiz_course
):
    make_due_cards(app, student.id, list(quiz_course.items.values())[:3])
    session_id = start(client)
    client.post(f"/quizzes/{session_id}/1", data={"answer": "?"})
    for number in range(2, 12):
        client.post(f"/quizzes/{session_id}/{number}", data=right_answer(app, session_id, number))
    with app.app_context():
        card = db.session.scalar(select(ReviewCard).where(ReviewCard.user_id == student.id))
        card.lapses = 3
        weak, weak_id = card.item.ky, card.item_id
        db.session.commit()
    html = client.get("/quizzes/").get_data(as_text=True)
    text = visible_text(html)
    assert "Daily review" in text and "Start the review" in text
    assert "Lesson 1" in text and "Lesson 2" in text and "Practise the whole course" in text
    assert "of 11 known" in text and "of 6 known" in text
    assert weak in text and "forgotten 3 times" in text and "Practise weak words" in text
    assert "Recent sessions" in text and "of 11 correct" in text
    response = client.post("/quizzes/weak")
    new_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    with app.app_context():
        items = db.session.scalars(select(Question.item_id).where(Question.session_id == new_id))
        assert weak_id in set(items)


def test_the_hub_is_in_the_students_navigation(client, student):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/quizzes/"' in html and "Practice" in visible_text(html)


def test_the_hub_runs_a_fixed_number_of_queries(client, student, app, quiz_course):
    make_due_cards(app, student.id, [quiz_course.items["кол"]])  # one word due, nothing else
    few = queries_for(app, client, "/quizzes/")
    make_due_cards(app, student.id, list(quiz_course.items.values()))
    for lesson in ("lesson-1", "lesson-2", "lesson-1"):
        session_id = start(client, lesson=lesson)
        for number in range(1, 11):
            client.post(
                f"/quizzes/{session_id}/{number}", data=right_answer(app, session_id, number)
            )
    with app.app_context():
        for card in db.session.scalars(select(ReviewCard)):
            card.lapses = 2
        db.session.commit()
    many = queries_for(app, client, "/quizzes/")
    assert few == many <= 12
