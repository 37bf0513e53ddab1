"""Quiz pages through the client: access across roles, answering with and without htmx, budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.quizzes.models import Answer, QuizSession, ReviewCard
from app.quizzes.sessions import services as sessions
from tests.helpers import count_queries, queries_for, visible_text
from tests.quizzes.conftest import NOW

HTMX = {"HX-Request": "true"}


@pytest.fixture
def student(auth, enrol, quiz_course, clock):
    user = auth.login("student")
    enrol(quiz_course, user)
    return user


def start(client, course_slug="kyrgyz-quiz", lesson="lesson-1"):
    response = client.post(f"/quizzes/courses/{course_slug}/{lesson}/practise")
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def right_answer(app, session_id, number):
    """The form data of a right answer to question `number`."""
    with app.app_context():
        q = sessions.question_at(session_id, number - 1)
        if q.kind == "recognise":
            return {"answer": str(q.item_id)}
        if q.kind == "match":
            return {f"pair_{p['id']}": str(p["id"]) for p in q.params["pairs"]}
        if q.kind == "suffix":
            return {"answer": q.params["answers"][0]}
        return {"answer": q.item.ky}


def kind_of(app, session_id, number):
    with app.app_context():
        return sessions.question_at(session_id, number - 1).kind


def test_lesson_start_page_and_resume(client, student, app):
    page = client.get("/quizzes/courses/kyrgyz-quiz/lesson-1/practise")
    assert page.status_code == 200
    assert "Practise these words" in visible_text(page.get_data(as_text=True))
    session_id = start(client)
    response = client.get(f"/quizzes/{session_id}")
    assert response.headers["Location"].endswith(f"/quizzes/{session_id}/1")
    client.post(f"/quizzes/{session_id}/1", data=right_answer(app, session_id, 1))
    page = client.get("/quizzes/courses/kyrgyz-quiz/lesson-1/practise").get_data(as_text=True)
    assert "Continue (question 2 of 10)" in visible_text(page)


def test_a_student_outside_the_course_cannot_start(client, auth, quiz_course, clock):
    auth.login("student")
    assert client.get("/quizzes/courses/kyrgyz-quiz/lesson-1/practise").status_code == 404
    assert client.post("/quizzes/courses/kyrgyz-quiz/lesson-1/practise").status_code == 404
    assert client.post("/quizzes/courses/kyrgyz-quiz/practise").status_code == 404


def owned_urls(session_id):
    return [
        ("get", f"/quizzes/{session_id}"),
        ("get", f"/quizzes/{session_id}/1"),
        ("post", f"/quizzes/{session_id}/1"),
        ("get", f"/quizzes/{session_id}/results"),
        ("post", f"/quizzes/{session_id}/mistakes"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, student, app):
    session_id = start(client)
    client.post("/auth/logout")
    for method, url in [*owned_urls(session_id), ("get", "/quizzes/review")]:
        response = getattr(client, method)(url, data={"answer": "кол"})
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["student", "teacher", "admin"])
def test_nobody_else_sees_answers_or_resumes_a_session(
    client, student, auth, enrol, app, quiz_course, role
):
    session_id = start(client)
    auth.logout()
    intruder = auth.login(role)
    enrol(quiz_course, intruder)
    for method, url in owned_urls(session_id):
        response = getattr(client, method)(url, data={"answer": "кол"})
        assert response.status_code == 404, (role, url)
    with app.app_context():
        assert db.session.scalar(select(Answer.id)) is None
        assert db.session.get(QuizSession, session_id).answered_count == 0
    # and the intruder's own session doesn't open the student's questions
    own = start(client)
    assert client.get(f"/quizzes/{own}/1").status_code == 200
    assert client.get(f"/quizzes/{session_id}/2").status_code == 404


def test_without_htmx_answering_redirects_to_the_feedback(client, student, app):
    session_id = start(client)
    response = client.post(f"/quizzes/{session_id}/1", data=right_answer(app, session_id, 1))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/quizzes/{session_id}/1")
    page = client.get(f"/quizzes/{session_id}/1").get_data(as_text=True)
    assert "Correct!" in visible_text(page) and 'href="/quizzes/' in page
    assert f"/quizzes/{session_id}/2" in page


def test_with_htmx_answering_returns_the_feedback_fragment(client, student, app):
    session_id = start(client)
    response = client.post(
        f"/quizzes/{session_id}/1", data=right_answer(app, session_id, 1), headers=HTMX
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="quiz"' in html and "Correct!" in html
    assert "HX-Request" in response.headers["Vary"]
    next_page = client.get(f"/quizzes/{session_id}/2", headers=HTMX).get_data(as_text=True)
    assert "<html" not in next_page and "Question 2 of 10" in next_page


def test_a_repeated_post_keeps_the_first_verdict_and_the_score(client, student, app):
    session_id = start(client)
    right = right_answer(app, session_id, 1)
    client.post(f"/quizzes/{session_id}/1", data=right)
    for _ in range(2):  # double click, then the back button and another answer
        response = client.post(f"/quizzes/{session_id}/1", data={"answer": "?"}, headers=HTMX)
        assert "Correct!" in response.get_data(as_text=True)
    with app.app_context():
        quiz = db.session.get(QuizSession, session_id)
        assert (quiz.answered_count, quiz.correct_count) == (1, 1)
        assert len(db.session.scalars(select(Answer)).all()) == 1


def test_a_later_question_waits_for_the_earlier_ones(client, student, app):
    session_id = start(client)
    response = client.get(f"/quizzes/{session_id}/5")
    assert response.headers["Location"].endswith(f"/quizzes/{session_id}/1")
    response = client.post(f"/quizzes/{session_id}/5", data={"answer": "кол"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Answer.id)) is None


def test_almost_names_the_special_letter(client, student, app):
    session_id = start(client)
    number = 1
    while True:
        data = right_answer(app, session_id, number)
        typed = kind_of(app, session_id, number) in ("recall", "listen", "suffix")
        if typed and any(ch in data["answer"] for ch in "өүң"):
            break
        client.post(f"/quizzes/{session_id}/{number}", data=data)
        number += 1
    folded = data["answer"].replace("ө", "о").replace("ү", "у").replace("ң", "н")
    html = client.post(
        f"/quizzes/{session_id}/{number}", data={"answer": folded}, headers=HTMX
    ).get_data(as_text=True)
    text = visible_text(html)
    assert "Almost." in text
    assert any(pair in text for pair in ("о → ө", "у → ү", "н → ң")), text
    assert "/lessons/audio/" in html or "/speech" in html


def test_a_whole_quiz_ends_with_the_results_and_the_mistakes(client, student, app):
    session_id = start(client)
    for number in range(1, 11):
        data = {"answer": "?"} if number == 2 else right_answer(app, session_id, number)
        client.post(f"/quizzes/{session_id}/{number}", data=data)
    # the missed word is asked again before the end
    response = client.get(f"/quizzes/{session_id}")
    assert response.headers["Location"].endswith(f"/quizzes/{session_id}/11")
    text = visible_text(client.get(f"/quizzes/{session_id}/11").get_data(as_text=True))
    assert "Question 11 of 11" in text and "Once more" in text
    client.post(f"/quizzes/{session_id}/11", data=right_answer(app, session_id, 11))
    response = client.get(f"/quizzes/{session_id}")
    assert response.headers["Location"].endswith("/results")
    text = visible_text(client.get(f"/quizzes/{session_id}/results").get_data(as_text=True))
    assert "10 of 11 correct" in text and "Your mistakes" in text
    response = client.post(f"/quizzes/{session_id}/mistakes")
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    with app.app_context():
        again = db.session.get(QuizSession, new_id)
        assert again.source == "mistakes" and again.question_count == 2


def test_results_wait_for_the_last_answer(client, student, app):
    session_id = start(client)
    assert client.get(f"/quizzes/{session_id}/results").status_code == 302


def make_due_cards(app, user_id, item_ids, now=NOW):
    with app.app_context():
        user = db.session.get(User, user_id)
        sessions.record_reviews(
            user,
            dict.fromkeys(item_ids, Rating.Good),
            now=now - timedelta(days=5),
            duration_ms=None,
        )
        db.session.commit()


def test_the_due_badge_costs_the_same_statements_whatever_the_cards(
    client, student, app, quiz_course
):
    def typing_page():
        with count_queries(app) as log:
            page = client.get("/typing").get_data(as_text=True)
        return page, log.count

    client.get("/typing")  # the first request of a process looks up the privacy policy
    page, before = typing_page()
    assert 'class="badge"' not in page
    make_due_cards(app, student.id, list(quiz_course.items.values())[:3])
    page, after = typing_page()
    assert '<a href="/quizzes/">Practice <span class="badge">3</span>' in page
    assert after == before
    # the count follows on the very next page: one card answered elsewhere is no longer due
    with app.app_context():
        card = db.session.scalars(
            select(ReviewCard).where(ReviewCard.user_id == student.id)
        ).first()
        card.due = NOW + timedelta(days=3)
        db.session.commit()
    assert '<a href="/quizzes/">Practice <span class="badge">2</span>' in typing_page()[0]


def test_students_share_the_counts_statement_never_the_counts(
    client, student, app, quiz_course, auth, enrol
):
    make_due_cards(app, student.id, list(quiz_course.items.values())[:3])
    assert '<a href="/quizzes/">Practice <span class="badge">3</span>' in client.get("/typing").text
    auth.logout()
    other = auth.login("student")  # the same roles: the same statement, their own values
    enrol(quiz_course, other)
    page = client.get("/typing").text
    assert '<a href="/quizzes/">Practice</a>' in page and 'class="badge"' not in page


def test_review_page_nav_badge_and_review_session(client, student, app, quiz_course):
    text = visible_text(client.get("/quizzes/review").get_data(as_text=True))
    # a new student is sent to a lesson, not congratulated
    assert "Nothing is due today" not in text and "Start with Lesson 1" in text
    make_due_cards(app, student.id, list(quiz_course.items.values())[:3])
    page = client.get("/quizzes/review").get_data(as_text=True)
    assert "3 words are due today." in visible_text(page)
    assert '<span class="badge">3</span>' in page
    home = client.get("/").get_data(as_text=True)
    assert "3 words are due today." in visible_text(home)
    response = client.post("/quizzes/review")
    session_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    for number in range(1, 4):
        client.post(f"/quizzes/{session_id}/{number}", data=right_answer(app, session_id, number))
    page = client.get("/quizzes/review").get_data(as_text=True)
    assert "Nothing is due today" in visible_text(page) and 'class="badge"' not in page
    assert "The next review is Sun 2 May 2027." in visible_text(page)  # a day, never a time


def test_teachers_do_not_get_the_review_in_the_navigation(client, auth, clock):
    auth.login("teacher")
    assert "Daily review" not in visible_text(client.get("/").get_data(as_text=True))


# --- query budgets -----------------------------------------------------------------------------


def answer_queries(app, client, session_id, number):
    data = right_answer(app, session_id, number)
    with count_queries(app) as log:
        response = client.post(f"/quizzes/{session_id}/{number}", data=data, headers=HTMX)
    assert response.status_code == 200
    return log


def test_answering_runs_a_fixed_number_of_queries(client, student, app, quiz_course, make_user):
    session_id = start(client)
    client.get(f"/quizzes/{session_id}/1")
    small = answer_queries(app, client, session_id, 1)  # a new card
    # much more data: cards for every word (reviewed days ago) and other sessions
    make_due_cards(app, student.id, list(quiz_course.items.values()))
    for _ in range(3):
        other = start(client, lesson="lesson-2")
        for number in range(1, 4):
            client.post(f"/quizzes/{other}/{number}", data=right_answer(app, other, number))
    client.get(f"/quizzes/{session_id}/2")
    large = answer_queries(app, client, session_id, 2)  # an existing card
    # user and roles, the question with its session, word and answer, INSERT answer,
    # SELECT card, UPDATE session, INSERT/UPDATE card, INSERT review log
    assert small.count == large.count <= 8, large.statements
    # the card is read before the answer is written: the answer, the card, its log and the
    # session are flushed together, once
    order = [s.split()[:3] for s in large.statements]
    card = next(n for n, s in enumerate(large.statements) if "FROM review_cards" in s)
    written = next(
        n for n, words in enumerate(order) if words[:3] == ["INSERT", "INTO", "quiz_answers"]
    )
    assert card < written, large.statements


def test_the_review_page_runs_a_fixed_number_of_queries(client, student, app, quiz_course):
    make_due_cards(app, student.id, list(quiz_course.items.values())[:2])
    few = queries_for(app, client, "/quizzes/review")
    make_due_cards(app, student.id, list(quiz_course.items.values()))
    many = queries_for(app, client, "/quizzes/review")
    assert few == many <= 6


def test_a_question_page_runs_a_fixed_number_of_queries(client, student, app):
    session_id = start(client)
    assert queries_for(app, client, f"/quizzes/{session_id}/1") <= 5
