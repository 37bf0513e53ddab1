"""At the same moment on PostgreSQL: a student's answers in two tabs, and a report clicked many times."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.quizzes.models import Answer, AnswerReport, QuizSession, ReviewCard, ReviewLog
from tests.quizzes.reports.test_reports import login_email, report_url
from tests.quizzes.reports.test_reports import setup as setup
from tests.quizzes.test_views import HTMX, right_answer, start
from tests.quizzes.test_views import student as student

pytestmark = pytest.mark.postgres_only


def _at_once(calls):
    """Run the calls in threads released together; returns their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_a_right_and_a_wrong_answer_at_once_count_one_and_both_tabs_see_it(app, client, student):
    session_id = start(client)
    tabs = [app.test_client() for _ in range(6)]
    for tab in tabs:
        login_email(tab, student.email)
    right = right_answer(app, session_id, 1)
    wrong = dict.fromkeys(right, "жок")
    datas = [right if i % 2 else wrong for i in range(len(tabs))]
    url = f"/quizzes/{session_id}/1"
    responses = _at_once(
        [
            lambda t=t, d=d: t.post(url, data=d, headers=HTMX)
            for t, d in zip(tabs, datas, strict=True)
        ]
    )
    assert [r.status_code for r in responses] == [200] * len(tabs)
    with app.app_context():
        answer = db.session.scalars(select(Answer)).one()
        quiz = db.session.get(QuizSession, session_id)
        assert quiz.answered_count == 1
        assert quiz.correct_count == (1 if answer.status == "correct" else 0)
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1
        card = db.session.scalars(select(ReviewCard)).one()
        assert card.reps == 1
    # every tab is shown the verdict that was stored, whichever answer it sent
    stored_right = answer.status == "correct"
    assert all(("Correct!" in r.get_data(as_text=True)) == stored_right for r in responses)


def test_a_report_clicked_many_times_at_once_makes_one_row(app, setup):
    quiz = setup["quiz"]
    clients = [app.test_client() for _ in range(8)]
    for racer in clients:
        login_email(racer, setup["student"].email)
    responses = _at_once([lambda c=c: c.post(report_url(quiz)) for c in clients])
    assert [r.status_code for r in responses] == [302] * len(clients)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerReport)) == 1
        report = db.session.scalars(select(AnswerReport)).one()
        assert report.answer_id == quiz["answer_id"] and report.status == "open"
