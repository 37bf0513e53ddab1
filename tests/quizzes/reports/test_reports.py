"""Answer reports: filing one, the teachers' queue, approving and rejecting, access across roles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.kyrgyz.answers import check
from app.lessons.models import CourseClass, Item, Lesson
from app.quizzes import services
from app.quizzes.models import Answer, AnswerReport, Question, QuizSession, ReviewLog
from app.quizzes.reports import services as reports
from app.quizzes.sessions import services as sessions
from tests.helpers import visible_text
from tests.quizzes.conftest import NOW

HTMX = {"HX-Request": "true"}


def right(question: Question) -> sessions.GivenAnswer:
    if question.kind == "recognise":
        return str(question.item_id)
    if question.kind == "match":
        return {p["id"]: p["id"] for p in question.params["pairs"]}
    if question.kind == "suffix":
        return str(question.params["answers"][0])
    return question.item.ky


def take_quiz(app, user_id: int, lesson_id: int, given: str) -> dict[str, Any]:
    """A finished lesson quiz with one typed (recall or listen) question answered `given`."""
    with app.app_context():
        user = db.session.get(User, user_id)
        lesson = db.session.get(Lesson, lesson_id)
        session = services.start_lesson_session(user, lesson, now=NOW, seed=7)
        target = next(q for q in session.questions if q.kind in ("recall", "listen"))
        for question in session.questions:
            answer = given if question is target else right(question)
            sessions.submit_answer(question, answer, user=user, now=NOW)
        db.session.commit()
        facts = {
            "session_id": session.id,
            "number": target.position + 1,
            "item_id": target.item_id,
            "answer_id": target.answer.id,
            "correct": session.correct_count,
            "status": target.answer.status,
            "questions": session.question_count,
        }
        db.session.remove()
    return facts


@pytest.fixture
def setup(app, auth, make_user, make_course, make_class, enrol, quiz_course, clock):
    """A student with a wrong answer to report, their class's teacher, and another course's."""
    student = make_user()
    enrol(quiz_course, student)
    other = make_user(roles=("teacher",))
    make_class(make_course(slug="other", lessons=0), other, name="他のクラス")
    with app.app_context():
        course_class = db.session.scalar(
            select(CourseClass).where(CourseClass.course_id == quiz_course.id)
        )
        teacher_id = course_class.teacher_links[0].user_id
        teacher = db.session.get(User, teacher_id)
        teacher_info = {"email": teacher.email}
        db.session.remove()
    quiz = take_quiz(app, student.id, quiz_course.lessons[0], "колл")
    return {
        "student": student,
        "teacher_email": teacher_info["email"],
        "other_teacher": other,
        "quiz": quiz,
    }


def login_email(client, email):
    response = client.post(
        "/auth/login", data={"email": email, "password": "correct horse battery"}
    )
    assert response.status_code == 302


def report_url(quiz, back=None):
    url = f"/quizzes/{quiz['session_id']}/{quiz['number']}/report"
    return url + ("?back=results" if back else "")


def file_report(client, setup):
    login_email(client, setup["student"].email)
    response = client.post(report_url(setup["quiz"]))
    assert response.status_code == 302
    client.post("/auth/logout")


def only_report(app) -> AnswerReport:
    with app.app_context():
        report = db.session.scalars(select(AnswerReport)).one()
        db.session.expunge(report)
    return report


# --- filing ------------------------------------------------------------------------------------


def test_the_feedback_and_the_results_offer_the_report(client, setup):
    quiz = setup["quiz"]
    login_email(client, setup["student"].email)
    page = client.get(f"/quizzes/{quiz['session_id']}/{quiz['number']}").get_data(as_text=True)
    assert "My answer should be accepted" in visible_text(page)
    assert f'action="{report_url(quiz)}"' in page
    results = client.get(f"/quizzes/{quiz['session_id']}/results").get_data(as_text=True)
    assert "back=results" in results and "My answer should be accepted" in results
    # a right answer can't be reported
    other = 1 if quiz["number"] != 1 else 2
    assert "My answer should be accepted" not in visible_text(
        client.get(f"/quizzes/{quiz['session_id']}/{other}").get_data(as_text=True)
    )
    assert client.post(f"/quizzes/{quiz['session_id']}/{other}/report").status_code == 400


def test_a_double_report_makes_one_row(client, setup, app):
    quiz = setup["quiz"]
    login_email(client, setup["student"].email)
    first = client.post(report_url(quiz), headers=HTMX)
    assert first.status_code == 200
    fragment = first.get_data(as_text=True)
    assert "<html" not in fragment and 'data-report="open"' in fragment
    again = client.post(report_url(quiz, back="results"))
    assert again.headers["Location"].endswith(f"/quizzes/{quiz['session_id']}/results")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerReport)) == 1
        report = db.session.scalars(select(AnswerReport)).one()
        expected = db.session.get(Item, quiz["item_id"]).ky
        assert (report.given, report.expected, report.status) == ("колл", expected, "open")
    page = client.get(f"/quizzes/{quiz['session_id']}/{quiz['number']}").get_data(as_text=True)
    assert "Reported. Your teacher will look at your answer." in visible_text(page)


def test_the_unique_constraint_holds_without_the_service(setup, app):
    file_report(app.test_client(), setup)
    with app.app_context():
        report = db.session.scalars(select(AnswerReport)).one()
        db.session.add(
            AnswerReport(
                answer_id=report.answer_id,
                user_id=report.user_id,
                item_id=report.item_id,
                given="x",
                expected="y",
            )
        )
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            db.session.flush()
        db.session.rollback()


# --- access across roles -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, setup, app):
    file_report(client, setup)
    report = only_report(app)
    for method, url in [
        ("post", report_url(setup["quiz"])),
        ("get", "/quizzes/reports/mine"),
        ("get", "/quizzes/reports"),
        ("post", f"/quizzes/reports/{report.id}"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"], url


@pytest.mark.parametrize(
    ("who", "queue", "sees", "resolve"),
    [
        ("student", 403, False, 403),
        ("reporter", 403, False, 403),
        ("class_teacher", 200, True, 302),
        ("other_teacher", 200, False, 404),
        ("admin", 200, True, 302),
    ],
)
def test_who_sees_and_decides_reports(client, setup, app, auth, who, queue, sees, resolve):
    file_report(client, setup)
    report = only_report(app)
    if who == "reporter":
        login_email(client, setup["student"].email)
    elif who == "class_teacher":
        login_email(client, setup["teacher_email"])
    elif who == "other_teacher":
        auth.login(user=setup["other_teacher"])
    else:
        auth.login(who)
    response = client.get("/quizzes/reports")
    assert response.status_code == queue
    if queue == 200:
        assert ("колл" in visible_text(response.get_data(as_text=True))) is sees
    response = client.post(f"/quizzes/reports/{report.id}", data={f"r{report.id}-reject": "1"})
    assert response.status_code == resolve
    assert only_report(app).status == ("rejected" if resolve == 302 else "open")


def test_another_student_cannot_report_the_answer(client, setup, auth, app):
    auth.login("student")
    assert client.post(report_url(setup["quiz"])).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerReport)) == 0


def test_the_navigation_counts_the_open_reports_of_my_classes(client, setup, app, auth):
    file_report(client, setup)
    login_email(client, setup["teacher_email"])
    page = client.get("/").get_data(as_text=True)
    assert "Answer reports" in visible_text(page) and '<span class="badge">1</span>' in page
    client.post("/auth/logout")
    auth.login(user=setup["other_teacher"])
    page = client.get("/").get_data(as_text=True)
    assert "Answer reports" in visible_text(page) and 'class="badge"' not in page


# --- deciding ----------------------------------------------------------------------------------


def test_approving_accepts_the_answer_and_changes_the_score(
    client, setup, app, make_user, enrol, quiz_course
):
    quiz = setup["quiz"]
    file_report(client, setup)
    report = only_report(app)
    with app.app_context():
        logs_before = [(log.rating, log.counted) for log in db.session.scalars(select(ReviewLog))]
    login_email(client, setup["teacher_email"])
    response = client.post(
        f"/quizzes/reports/{report.id}",
        data={f"r{report.id}-approve": "1", f"r{report.id}-reply": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert 'data-report="approved"' in response.get_data(as_text=True)
    with app.app_context():
        item = db.session.get(Item, quiz["item_id"])
        assert item.also_accepted == ["колл"]
        answer = db.session.get(Answer, quiz["answer_id"])
        assert answer.status == "correct"
        assert answer.params["reported"]["status"] == "wrong"
        session = db.session.get(QuizSession, quiz["session_id"])
        assert session.correct_count == quiz["correct"] + 1
        # the FSRS history is left as it was
        assert [
            (log.rating, log.counted) for log in db.session.scalars(select(ReviewLog))
        ] == logs_before
        assert check("Колл", item.accepted_answers).status == "correct"
        # a re-import of the course files will keep it
        assert reports.accepted_on_the_web([item.id]) == {item.id: ["колл"]}
    # a second decision changes nothing
    client.post(f"/quizzes/reports/{report.id}", data={f"r{report.id}-approve": "1"})
    with app.app_context():
        assert db.session.get(Item, quiz["item_id"]).also_accepted == ["колл"]
        assert db.session.get(QuizSession, quiz["session_id"]).correct_count == quiz["correct"] + 1
    # the student's results show the new score and the accepted answer
    client.post("/auth/logout")
    login_email(client, setup["student"].email)
    text = visible_text(client.get(f"/quizzes/{quiz['session_id']}/results").get_data(as_text=True))
    assert f"{quiz['correct'] + 1} of" in text and "Your teacher accepted this answer." in text
    # and any student who writes it later is right
    other = make_user()
    enrol(quiz_course, other)
    later = take_quiz(app, other.id, quiz_course.lessons[0], "колл")
    # right at once: no mistake to ask again, one more right answer than the first student had
    assert later["status"] == "correct" and later["questions"] == quiz["questions"] - 1
    assert later["correct"] == quiz["correct"]


def test_rejecting_with_a_reply_shows_it_to_the_student(client, setup, app):
    quiz = setup["quiz"]
    file_report(client, setup)
    report = only_report(app)
    login_email(client, setup["teacher_email"])
    reply = "кол は「手」、колл という語はありません。"
    response = client.post(
        f"/quizzes/reports/{report.id}",
        data={f"r{report.id}-reject": "1", f"r{report.id}-reply": reply},
    )
    assert response.headers["Location"].endswith("/quizzes/reports")
    with app.app_context():
        assert db.session.get(Item, quiz["item_id"]).also_accepted == []
        assert db.session.get(Answer, quiz["answer_id"]).status == "wrong"
    client.post("/auth/logout")
    login_email(client, setup["student"].email)
    results = visible_text(
        client.get(f"/quizzes/{quiz['session_id']}/results").get_data(as_text=True)
    )
    assert reply in results and "Your teacher kept the verdict." in results
    mine = visible_text(client.get("/quizzes/reports/mine").get_data(as_text=True))
    assert reply in mine and "колл" in mine
    home = visible_text(client.get("/").get_data(as_text=True))
    assert "My answer reports" in home and "1 answered" in home


def test_a_student_outside_any_class_of_the_course_is_told_why(
    client, app, auth, quiz_course, clock
):
    student = auth.login("student")
    quiz = take_quiz(app, student.id, quiz_course.lessons[0], "колл")
    response = client.post(report_url(quiz), headers=HTMX)
    assert "no teacher can look at it" in visible_text(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerReport)) == 0


def test_accepted_answers_skip_duplicates_after_normalising(app_ctx, quiz_course):
    item = db.session.get(Item, quiz_course.items["көл"])
    assert not reports.add_accepted(item, "  КӨЛ ")
    assert reports.add_accepted(item, "көлү")
    assert not reports.add_accepted(item, "Көлү.")
    assert item.also_accepted == ["көлү"]


def reports_badge(html: str) -> str | None:
    found = re.search(
        r'<li id="nav-quizzes-reports"[^>]*><a href="/quizzes/reports"[^>]*>Answer reports'
        r'(?: <span class="badge">(\d+)</span>)?</a>',
        html,
    )
    assert found is not None, html
    return found.group(1)


def test_the_navigation_count_follows_a_decision_on_the_next_page(client, setup, app):
    file_report(client, setup)
    report = only_report(app)
    login_email(client, setup["teacher_email"])
    assert reports_badge(client.get("/quizzes/reports").get_data(as_text=True)) == "1"
    response = client.post(
        f"/quizzes/reports/{report.id}",
        data={f"r{report.id}-reject": "1", f"r{report.id}-reply": ""},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert reports_badge(page) is None  # decided: the count is gone


def test_a_decision_made_in_place_sends_the_new_count_with_it(client, setup, app):
    file_report(client, setup)
    report = only_report(app)
    login_email(client, setup["teacher_email"])
    response = client.post(
        f"/quizzes/reports/{report.id}",
        data={f"r{report.id}-approve": "1", f"r{report.id}-reply": ""},
        headers=HTMX,
    )
    html = response.get_data(as_text=True)
    assert 'data-report="approved"' in html
    # htmx swaps the navigation's entry out of band: no count left
    assert (
        '<li id="nav-quizzes-reports" hx-swap-oob="true"><a href="/quizzes/reports" '
        'aria-current="page">' in html
    )
    assert reports_badge(html) is None
