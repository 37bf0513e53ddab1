"""The student's first steps in Chromium, on the demo data of `make run`."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.core.seed import seed_demo_data
from app.extensions import db
from app.kyrgyz import speech


@pytest.fixture
def demo(app):
    with app.app_context():
        for _line in seed_demo_data(password="sabak-demo"):
            pass
        db.session.commit()


def sign_in(page, email):
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill("sabak-demo")
    page.locator("main form button[type=submit]").click()


@pytest.mark.skipif(not speech.is_available(), reason="espeak-ng is not installed")
def test_student_joins_the_demo_class_studies_a_lesson_and_marks_it_done(page, demo):
    sign_in(page, "student@example.com")  # the demo student reads Japanese
    page.get_by_role("button", name="クラスコードで参加").first.click()
    page.get_by_label("クラスコード").fill("kyrg-yz27")
    page.get_by_role("button", name="参加する").click()
    expect(page.get_by_text("2027年春 入門クラス (火曜夜) に参加しました。")).to_be_visible()
    expect(page.get_by_role("heading", name="キルギス語入門 (A1)")).to_be_visible()

    page.locator(".lesson-list a").first.click()
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("load")  # the play buttons' script has run
    # The play button plays in place: the browser asks for the word's audio URL, which leads to
    # the speech (the service worker, which every page registers, follows that redirect itself).
    with page.expect_request(lambda r: "/lessons/audio/" in r.url or "/speech" in r.url) as audio:
        page.locator("a[data-play]").first.click()
    assert page.url.endswith("/alphabet")  # no navigation away from the lesson
    fetched = page.request.get(audio.value.url)
    assert fetched.ok and fetched.headers["content-type"].startswith("audio/")

    page.get_by_role("button", name="修了にする").click()
    expect(page.get_by_text("よくできました！この課を修了にしました。")).to_be_visible()
    page.get_by_role("navigation", name="パンくずリスト").get_by_role("link").click()
    expect(page.locator(".lesson-list li").first).to_contain_text("✓ 修了")
    expect(page.get_by_text("課中 1 課を修了")).to_be_visible()


PHONE_PAGES = [
    "/lessons/classes/{class_id}",
    "/lessons/courses/kyrgyz-a1/",
    "/lessons/courses/kyrgyz-a1/family",
    "/lessons/courses/kyrgyz-a1/family/edit",
    "/lessons/classes/",
]


def test_teacher_pages_fit_a_phone(browser, live_server, demo, app):
    from sqlalchemy import select

    from app.lessons.models import CourseClass

    with app.app_context():
        class_id = db.session.scalar(select(CourseClass.id))
    context = browser.new_context(
        base_url=live_server, locale="ja-JP", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, "teacher@example.com")
    for url in PHONE_PAGES:
        page.goto(url.format(class_id=class_id))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width)
    context.close()
