"""Twenty identical answers posted at the same moment: one is stored, every request gets its verdict."""

from __future__ import annotations

import threading

from sqlalchemy import select

from app.extensions import db
from app.quizzes.models import Answer, QuizSession
from tests.quizzes.test_views import HTMX, right_answer, start
from tests.quizzes.test_views import student as student

RACERS = 20


def test_concurrent_identical_answers_all_get_the_stored_verdict(app, client, student):
    session_id = start(client)
    data = right_answer(app, session_id, 1)
    clients = []
    for _ in range(RACERS):
        racer = app.test_client()
        racer.post("/auth/login", data={"email": student.email, "password": student.password})
        clients.append(racer)
    barrier = threading.Barrier(RACERS)
    results: list[tuple[int, str]] = []

    def answer(racer) -> None:
        barrier.wait()
        response = racer.post(f"/quizzes/{session_id}/1", data=data, headers=HTMX)
        results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=answer, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(status for status, _html in results) == [200] * RACERS
    assert all("Correct!" in html for _status, html in results)
    with app.app_context():
        quiz = db.session.get(QuizSession, session_id)
        assert (quiz.answered_count, quiz.correct_count) == (1, 1)
        assert len(db.session.scalars(select(Answer)).all()) == 1
