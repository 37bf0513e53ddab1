"""The acceptance test of quizzes: the demo student takes a lesson quiz in Chromium."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from app.auth.models import User
from app.core.dbtypes import utcnow
from app.core.seed import seed_demo_data
from app.extensions import db
from app.lessons.models import Course, CourseClass, Enrollment, Item, Lesson
from app.lessons.seed import DEMO_CLASS_CODE
from app.privacy.services import record_consent
from app.quizzes import services
from app.quizzes.models import Question, ReviewCard
from app.quizzes.seed import seed_quizzes
from app.quizzes.sessions import services as sessions

SPECIAL = "өүң"


@pytest.fixture
def demo(app, monkeypatch):
    """Demo data; the demo student in the demo class, with the family words due today."""
    monkeypatch.setattr("app.quizzes.services.new_seed", lambda: 1)
    with app.app_context():
        for _line in seed_demo_data(password="sabak-demo"):
            pass
        student = db.session.scalar(select(User).where(User.email == "student@example.com"))
        course = db.session.scalar(select(Course).where(Course.slug == "kyrgyz-a1"))
        for _line in seed_quizzes([student], course):
            pass
        course_class = db.session.scalar(
            select(CourseClass).where(CourseClass.join_code == DEMO_CLASS_CODE)
        )
        db.session.add(Enrollment(class_id=course_class.id, user_id=student.id))
        family = db.session.scalars(
            select(Item.id)
            .join(Lesson)
            .where(Lesson.slug == "family", Lesson.course_id == course.id)
        ).all()
        sessions.record_reviews(
            student,
            dict.fromkeys(family, services.scheduling.Rating.Good),
            now=utcnow() - timedelta(days=9),
            duration_ms=None,
        )
        db.session.execute(
            update(ReviewCard)
            .where(ReviewCard.user_id == student.id, ReviewCard.item_id.in_(family))
            .values(due=utcnow() - timedelta(hours=1))
        )
        db.session.commit()


def sign_in(page):
    page.goto("/auth/login")
    page.locator("input[name=email]").fill("student@example.com")
    page.locator("input[name=password]").fill("sabak-demo")
    page.locator("main form button[type=submit]").click()


def due_badge(page):
    return int(page.locator(".main-nav a[href='/quizzes/'] .badge").inner_text())


def current_question(app, url):
    session_id, number = (int(part) for part in url.rstrip("/").split("/")[-2:])
    with app.app_context():
        question = sessions.question_at(session_id, number - 1)
        return question.kind, question.item_id, question.params, question.item.ky


def type_with_keys(page, text):
    """Type `text`, entering ө ү ң with the on-screen keys."""
    field = page.locator("input[name=answer]")
    field.click()
    for char in text:
        if char in SPECIAL:
            page.get_by_role("button", name=f"Insert {char}", exact=True).click()
        else:
            page.keyboard.type(char)
    expect(field).to_have_value(text)


def test_the_demo_student_takes_a_quiz_with_on_screen_keys_and_an_almost(page, app, demo):
    sign_in(page)
    page.locator(".language-menu > summary").click()
    page.locator(".language-switcher button[value=en]").click()  # the test reads English labels
    page.goto("/quizzes/review")
    before = due_badge(page)
    assert before > 0

    page.goto("/quizzes/courses/kyrgyz-a1/family/practise")
    page.get_by_role("button", name="Start").click()
    # the first question is a whole page: htmx (a deferred script) takes over its form, and the
    # Kyrgyz keys go in under the answer, above Check
    page.wait_for_load_state("load")
    used_keys = saw_almost = False
    statuses = []
    for number in range(1, 11):
        expect(page.locator(".quiz-progress")).to_contain_text(f"Question {number} of 10")
        kind, item_id, params, ky = current_question(app, page.url)
        if kind == "recognise":
            index = [c["id"] for c in params["choices"]].index(item_id) + 1
            page.wait_for_load_state("load")  # the keyboard script is in place
            page.locator("body").press(str(index))  # keyboard: 1–4 choose, Enter checks
            expect(page.locator(f"input[data-key='{index}']")).to_be_checked()
            page.keyboard.press("Enter")
        elif kind == "match":
            for pair in params["pairs"]:
                page.locator(f"select[name=pair_{pair['id']}]").select_option(str(pair["id"]))
            page.get_by_role("button", name="Check").click()
        else:
            answer = params["answers"][0] if kind == "suffix" else ky
            special = any(char in SPECIAL for char in answer)
            if special and not used_keys:
                type_with_keys(page, answer)
                used_keys = True
            elif special and not saw_almost:
                folded = answer.replace("ө", "о").replace("ү", "у").replace("ң", "н")
                page.locator("input[name=answer]").fill(folded)
                saw_almost = True
            else:
                page.locator("input[name=answer]").fill(answer)
            page.locator("input[name=answer]").press("Enter")
        verdict = page.locator("[data-verdict]")
        expect(verdict).to_be_visible()
        statuses.append(verdict.get_attribute("data-verdict"))
        if number < 10:
            page.get_by_role("button", name="Next").click()
    assert used_keys and saw_almost, "seed 1 gives two typed words with ө ү ң"
    assert statuses.count("almost") == 1 and statuses.count("wrong") == 0
    page.get_by_role("button", name="See the results").click()
    expect(page.locator(".score")).to_have_text("9 of 10 correct")
    expect(page.get_by_text("1 answer was almost right.")).to_be_visible()
    expect(page.locator(".quiz-mistakes")).to_contain_text("→")
    after = due_badge(page)
    assert after < before


def test_quiz_pages_fit_a_phone(phone_page, app, demo):
    page = phone_page
    sign_in(page)
    page.goto("/quizzes/courses/kyrgyz-a1/family/practise")
    page.locator("main form button[type=submit]").first.click()
    # every exercise with its feedback, each missed one asked again (at most twice), the results
    for number in range(1, 31):
        expect(page.locator(".quiz-progress")).to_contain_text(f"{number}")
        page.wait_for_load_state("load")  # styles and scripts in place, as the learner sees it
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
        page.locator("form.quiz-form button[type=submit]").click()
        expect(page.locator("[data-verdict]")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
        page.locator("a[data-autofocus]").click()
        if "/results" in page.url:
            break
    expect(page.locator(".score")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for url in ("/quizzes/review", "/quizzes/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url


def answer_in_browser(page, app, *, right):
    """Answer the current question, right or wrong; returns (item id, retry) of the question."""
    session_id, number = (int(part) for part in page.url.rstrip("/").split("/")[-2:])
    with app.app_context():
        question = sessions.question_at(session_id, number - 1)
        kind, item_id, params, ky, retry = (
            question.kind,
            question.item_id,
            question.params,
            question.item.ky,
            question.retry,
        )
    if kind == "recognise":
        ids = [c["id"] for c in params["choices"]]
        chosen = item_id if right else next(i for i in ids if i != item_id)
        page.locator(f"input[data-key='{ids.index(chosen) + 1}']").check()
    elif kind == "match":
        for pair in params["pairs"]:
            if right:
                page.locator(f"select[name=pair_{pair['id']}]").select_option(str(pair["id"]))
    else:
        answer = (params["answers"][0] if kind == "suffix" else ky) if right else "?"
        page.locator("input[name=answer]").fill(answer)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("[data-verdict]")).to_have_attribute(
        "data-verdict", "correct" if right else "wrong", timeout=15_000
    )
    return item_id, retry


def test_a_missed_word_comes_back_before_the_end_and_in_the_review_within_minutes(
    page, app, make_user, monkeypatch
):
    clock = {"now": datetime(2027, 4, 14, 1, 0, tzinfo=UTC)}  # 10:00 in Tokyo
    monkeypatch.setattr("app.core.dates.now", lambda: clock["now"])
    monkeypatch.setattr("app.quizzes.services.new_seed", lambda: 1)
    with app.app_context():
        for _line in seed_demo_data(password="sabak-demo"):
            pass
        db.session.commit()
    newcomer = make_user(email="newcomer@example.com", password="sabak-demo", language="en")
    with app.app_context():
        course_class = db.session.scalar(
            select(CourseClass).where(CourseClass.join_code == DEMO_CLASS_CODE)
        )
        db.session.add(Enrollment(class_id=course_class.id, user_id=newcomer.id))
        # as at sign-up: the newcomer agreed to the demo's privacy policy
        record_consent(db.session.get(User, newcomer.id), "signup")
        db.session.commit()
    page.goto("/auth/login")
    page.locator("input[name=email]").fill("newcomer@example.com")
    page.locator("input[name=password]").fill("sabak-demo")
    page.locator("main form button[type=submit]").click()

    # nothing to review yet: the review sends the newcomer to the first lesson
    page.goto("/quizzes/review")
    expect(page.locator("main")).not_to_contain_text("Well done")
    page.locator("[data-first-lesson]").click()
    page.locator(".practise-link a[href$='/practise']").click()
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state("load")  # htmx has the question's form, the Kyrgyz keys are in

    missed, _retry = answer_in_browser(page, app, right=False)
    met_again = False
    while True:
        page.locator("a[data-autofocus]").click()
        expect(page.locator("form.quiz-form, .score").first).to_be_visible(timeout=15_000)
        if page.locator(".score").count():
            break
        item_id, retry = answer_in_browser(page, app, right=True)
        if item_id == missed and retry:
            expect(page.locator("[data-again]")).to_be_visible()
            met_again = True
    assert met_again, "the missed word was asked again before the end"
    expect(page.locator(".score")).to_have_text("10 of 11 correct")

    # minutes later, within 15, the missed word is due in the daily review
    page.goto("/quizzes/review")
    expect(page.locator(".come-back")).to_contain_text("come back in 1 minute")
    clock["now"] += timedelta(minutes=10)
    page.goto("/quizzes/review")
    expect(page.locator(".due-count")).to_contain_text("due today")
    page.get_by_role("button", name="Start the review").click()
    expect(page.locator(".quiz-progress")).to_be_visible(timeout=15_000)
    session_id = int(page.url.rstrip("/").split("/")[-2])
    with app.app_context():
        reviewed = db.session.scalars(
            select(Question.item_id).where(Question.session_id == session_id)
        ).all()
    assert missed in reviewed
