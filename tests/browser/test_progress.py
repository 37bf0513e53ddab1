"""Issue #6's acceptance in Chromium, on the demo data of `make run`: the demo student hands in
a spoken and a written answer, the demo teacher grades both with a rubric and releases them, the
student reads grade and feedback, and the gradebook shows and exports it with Japanese intact."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from app.core.seed import seed_demo_data
from app.extensions import db
from tests.helpers import wav_bytes

CATALOGUE = Translations.load(str(Path(__file__).parents[2] / "app" / "translations"), ["ja"])
SPOKEN = "数字を読もう — Сандар"
WRITTEN = "家族について — Менин үй-бүлөм"
ANSWER = "Менин үй-бүлөм чоң эмес. Апам, атам жана бир иним бар."
STUDENT = "山田 花子"


def ja(msgid: str, **values: object) -> str:
    """What a Japanese reader sees for an English message of the code."""
    return CATALOGUE.gettext(msgid) % values if values else CATALOGUE.gettext(msgid)


@pytest.fixture
def demo(app):
    with app.app_context():
        for _line in seed_demo_data(password="sabak-demo"):
            pass
        db.session.commit()


def sign_in(page: Page, email: str) -> None:
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill("sabak-demo")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("form[action='/auth/logout']")).to_be_attached()


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def grade_with_rubric(page: Page, title: str, feedback: str) -> None:
    """From the grading queue: open the demo student's work on `title`, score every criterion
    with its best level, write feedback, save as graded and release."""
    page.get_by_role("link", name=ja("Grading")).first.click()
    row = page.locator("tbody tr").filter(has_text=STUDENT).filter(has_text=title)
    row.locator("a.queue-link").click()  # the row's link names the student and the work
    expect(page.get_by_role("heading", level=1)).to_contain_text(STUDENT)
    expect(page.locator("main")).to_contain_text(title)
    page.wait_for_load_state("load")  # the recorder has shown itself above the Save buttons
    for fieldset in page.locator("#grade-form fieldset.criterion").all():
        fieldset.locator("input[type=radio]").last.check()
    page.get_by_label(ja("Written feedback")).fill(feedback)
    page.get_by_role("button", name=ja("Save as graded")).click()
    expect(page.get_by_text(ja("Saved as graded. Release it when you are ready."))).to_be_visible()
    page.wait_for_load_state("load")  # the confirmation script is in place (else: its page)
    page.get_by_role("button", name=ja("Release to the student")).click()
    dialog = page.locator("dialog.confirm-dialog[open]")  # asks first, in a dialog
    expect(dialog).to_contain_text(ja("Release the grade?"))
    dialog.locator("[data-confirm-accept]").click()
    expect(page.get_by_text(ja("Released. The student has been sent an e-mail."))).to_be_visible()


def test_spoken_and_written_work_graded_released_seen_and_exported(page: Page, demo, tmp_path):
    # The student joins the demo class and hands in both kinds of work.
    sign_in(page, "student@example.com")
    page.goto("/lessons/join")
    page.get_by_label("クラスコード").fill("KYRG-YZ27")
    page.get_by_role("button", name="参加する").click()
    page.get_by_role("link", name=ja("Assignments")).first.click()
    page.get_by_role("link", name=SPOKEN).click()
    page.wait_for_load_state("load")  # the recorder has shown itself above the upload field
    recording = tmp_path / "sandar.wav"
    recording.write_bytes(wav_bytes())
    page.locator("input[name=audio]").set_input_files(str(recording))
    page.get_by_role("button", name=ja("Submit"), exact=True).click()
    expect(
        page.get_by_text(ja("Submitted as version %(n)d. Your teacher can see it now.", n=1))
    ).to_be_visible()
    expect(page.locator("audio")).not_to_have_count(0)

    page.get_by_role("link", name=ja("Assignments")).first.click()
    page.get_by_role("link", name=WRITTEN).click()
    page.wait_for_load_state("load")  # the Kyrgyz keys have gone in under the answer, above Submit
    page.locator("textarea[name=text]").fill(ANSWER)
    page.get_by_role("button", name=ja("Submit"), exact=True).click()
    expect(
        page.get_by_text(ja("Submitted as version %(n)d. Your teacher can see it now.", n=1))
    ).to_be_visible()
    # before release the student sees no grade
    expect(page.get_by_text(ja("Your grade"))).to_have_count(0)
    sign_out(page)

    # The teacher grades both with their rubrics and releases them.
    sign_in(page, "teacher@example.com")
    grade_with_rubric(page, SPOKEN, "数字の発音がとても自然です。Абдан жакшы!")
    grade_with_rubric(page, WRITTEN, "よく書けています。иним の使い方も正確です。")
    sign_out(page)

    # The student reads the grade and the feedback.
    sign_in(page, "student@example.com")
    page.get_by_role("link", name=ja("Assignments")).first.click()
    page.get_by_role("link", name=WRITTEN).click()
    expect(page.get_by_text(ja("Your grade"))).to_be_visible()
    expect(page.get_by_text("10 / 10")).to_be_visible()
    expect(page.get_by_text("よく書けています。иним の使い方も正確です。")).to_be_visible()
    page.get_by_role("link", name=ja("Assignments")).first.click()
    page.get_by_role("link", name=SPOKEN).click()
    expect(page.get_by_text("数字の発音がとても自然です。Абдан жакшы!")).to_be_visible()
    sign_out(page)

    # The gradebook shows it and exports it with the Japanese names intact.
    sign_in(page, "teacher@example.com")
    page.goto("/lessons/classes/")
    page.get_by_role("link", name="2027年春 入門クラス (火曜夜)").first.click()
    page.get_by_role("button", name=ja("Gradebook")).click()
    row = page.locator("tbody tr").filter(has_text=STUDENT)
    expect(row).to_contain_text("10")
    with page.expect_download() as download:
        page.get_by_role("button", name=ja("Download CSV")).click()
    text = Path(download.value.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    mine = next(r for r in rows if STUDENT in r)
    assert "10" in mine
    assert "田中 由衣" in text and "Сандар" in text
    with page.expect_download() as download:
        page.get_by_role("button", name=ja("Download Excel (XLSX)")).click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert download.value.suggested_filename.endswith(".xlsx")
    assert sheet is not None
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    mine_xlsx = next(r for r in values if STUDENT in r)
    assert 10 in mine_xlsx or 10.0 in mine_xlsx
    assert any(any(isinstance(c, str) and "Сандар" in c for c in r) for r in values)


def test_progress_pages_fit_a_phone(browser, live_server, demo, app):
    """Every progress page holds on a 390 px screen: wide tables scroll inside their box."""
    from sqlalchemy import select

    from app.lessons.models import CourseClass
    from app.progress.models import Assignment, Submission

    with app.app_context():
        class_id = db.session.scalar(select(CourseClass.id))
        assignment_id = db.session.scalar(select(Assignment.id).order_by(Assignment.id))
        submission_id = db.session.scalar(
            select(Submission.id).where(Submission.version_count > 0).order_by(Submission.id)
        )
    context = browser.new_context(
        base_url=live_server, locale="ja-JP", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    pages = {
        "tanaka.yui@example.com": [
            "/progress/",
            "/progress/assignments",
            f"/progress/assignments/{assignment_id}",
        ],
        "teacher@example.com": [
            f"/progress/classes/{class_id}",
            f"/progress/classes/{class_id}/gradebook",
            f"/progress/classes/{class_id}/assignments",
            f"/progress/assignments/{assignment_id}/overview",
            f"/progress/assignments/{assignment_id}/edit",
            "/progress/grading",
            f"/progress/grading/{submission_id}",
            "/progress/rubrics",
        ],
    }
    for email, urls in pages.items():
        page.context.clear_cookies()
        sign_in(page, email)
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.ok, url
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
    context.close()


def test_a_spoken_comment_recorded_in_the_browser_is_saved_with_the_grade(microphone_page, demo):
    # The same recorder as the pronunciation page, handing the recording to the grade form's
    # file input instead of posting it: one request saves the grade and its spoken comment.
    page = microphone_page
    sign_in(page, "teacher@example.com")
    page.goto("/progress/grading")
    page.locator("tbody tr").first.locator("a.queue-link").click()
    recorder = page.locator("#grade-form [data-recorder]")
    expect(recorder).to_be_visible()
    recorder.get_by_role("button", name=ja("Record"), exact=True).click()
    expect(recorder).to_have_attribute("data-state", "recording")
    page.wait_for_timeout(700)
    recorder.get_by_role("button", name=ja("Stop")).click()
    expect(recorder).to_have_attribute("data-state", "recorded")
    assert page.locator("input[name=feedback_audio]").evaluate("input => input.files.length") == 1
    for fieldset in page.locator("#grade-form fieldset.criterion").all():
        fieldset.locator("input[type=radio]").last.check()
    page.get_by_role("button", name=ja("Save as graded")).click()
    expect(page.get_by_text(ja("Saved as graded. Release it when you are ready."))).to_be_visible()
    expect(page.get_by_label(ja("Your spoken comment"))).to_be_attached()


def test_a_teacher_grades_through_the_queue_with_save_and_next(page: Page, demo):
    """The demo queue has several submissions waiting: the teacher opens the first from the
    queue, grades it and the next with "Save and next", and each time lands on the next
    submission waiting, with the navigation's count one lower."""
    sign_in(page, "teacher@example.com")
    nav_link = page.locator("#nav-progress-grading_queue")
    page.goto("/progress/grading")
    waiting = int(nav_link.locator(".badge").inner_text())
    assert waiting >= 3, waiting
    links = page.locator("tbody a.queue-link")
    expect(links).to_have_count(waiting)
    first_name = links.first.locator("strong").inner_text()
    links.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first_name)

    seen = [page.url]
    for step in (1, 2):
        page.wait_for_load_state("load")  # the recorder has shown itself above the Save buttons
        for fieldset in page.locator("#grade-form fieldset.criterion").all():
            fieldset.locator("input[type=radio]").last.check()
        page.get_by_label(ja("Written feedback")).fill(f"Жакшы! ({step})")
        page.get_by_role("button", name=ja("Save and next")).click()
        expect(
            page.get_by_text(ja("Saved as graded. Release it when you are ready."))
        ).to_be_visible()
        expect(page.locator("#grade-form")).to_be_visible()  # the next grading page
        assert page.url not in seen, page.url
        seen.append(page.url)
        expect(nav_link.locator(".badge")).to_have_text(str(waiting - step))

    # back in the queue: the two graded submissions are no longer waiting
    page.get_by_role("link", name=ja("Grading")).first.click()
    expect(page.locator("tbody a.queue-link")).to_have_count(waiting - 2)
