"""A double click sends once, in Chromium on the demo data: saving a grade twice over is one
save, and releasing a grade, or all of an assignment's, mails each student exactly once.

(The forms are sent once by static/js/progress-grading.js and the confirmation dialog of
static/js/confirm.js; the server would also take a second release as a no-op. What is checked
is what the teacher and the students see: one message, one e-mail each, no conflict.)
"""

from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.models import User
from app.core.models import OutboxMessage
from app.core.seed import seed_demo_data
from app.extensions import db
from app.progress.models import Assignment, Grade, GradeState, Submission
from tests.browser.test_progress import CATALOGUE, ja, sign_in


@pytest.fixture
def demo(app: Flask) -> None:
    with app.app_context():
        for _line in seed_demo_data(password="sabak-demo"):
            pass
        db.session.commit()


def mails(app: Flask) -> Counter[str]:
    """How many e-mails each address has in the outbox."""
    with app.app_context():
        recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
        db.session.remove()
    return Counter(recipients)


def posts_to(page: Page, path: str) -> list[str]:
    """The bodies of the POSTs the page sends to `path` from now on."""
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.post_data or "")
            if request.method == "POST" and request.url.split("?")[0].endswith(path)
            else None
        ),
    )
    return sent


def test_a_double_click_saves_a_grade_once_and_mails_its_release_once(
    page: Page, app: Flask, demo: None
) -> None:
    with app.app_context():
        submission_id, student_email = db.session.execute(
            select(Submission.id, User.email)
            .join(User, User.id == Submission.student_id)
            .outerjoin(Grade, Grade.submission_id == Submission.id)
            .where(Submission.submitted_at.is_not(None), Grade.submission_id.is_(None))
            .order_by(Submission.id)
            .limit(1)
        ).one()
        db.session.remove()
    before = mails(app)
    sign_in(page, "teacher@example.com")
    page.goto(f"/progress/grading/{submission_id}")
    page.wait_for_load_state("load")  # the script that sends the form once is in place
    for fieldset in page.locator("#grade-form fieldset.criterion").all():
        fieldset.locator("input[type=radio]").last.check()
    if page.locator("#grade-form input[name=points]").count():
        page.locator("#grade-form input[name=points]").fill("8")
    page.get_by_label(ja("Written feedback")).fill("よくできました。")
    saves = posts_to(page, f"/progress/grading/{submission_id}")

    page.get_by_role("button", name=ja("Save as graded")).dblclick()
    expect(page.get_by_text(ja("Saved as graded. Release it when you are ready."))).to_be_visible()
    assert len(saves) == 1
    with app.app_context():
        grade = db.session.scalars(select(Grade).where(Grade.submission_id == submission_id)).one()
        assert (grade.state, grade.version) == (GradeState.GRADED, 1)
        db.session.remove()

    page.wait_for_load_state("load")  # the confirmation script is in place
    releases = posts_to(page, f"/progress/grading/{submission_id}/release")
    page.get_by_role("button", name=ja("Release to the student")).click()
    dialog = page.locator("dialog.confirm-dialog[open]")
    expect(dialog).to_contain_text(ja("Release the grade?"))
    dialog.locator("[data-confirm-accept]").dblclick()
    expect(page.get_by_text(ja("Released. The student has been sent an e-mail."))).to_be_visible()
    assert len([body for body in releases if "confirmed=1" in body]) == 1
    assert mails(app) - before == Counter({student_email: 1})


def test_a_double_click_on_release_all_mails_each_student_once(
    page: Page, app: Flask, demo: None
) -> None:
    with app.app_context():
        assignment_id = db.session.scalars(
            select(Grade.assignment_id)
            .where(Grade.state == GradeState.GRADED)
            .order_by(Grade.assignment_id)
            .limit(1)
        ).one()
        waiting = db.session.scalars(
            select(User.email)
            .join(Grade, Grade.student_id == User.id)
            .where(Grade.assignment_id == assignment_id, Grade.state == GradeState.GRADED)
        ).all()
        title = db.session.get(Assignment, assignment_id).title  # type: ignore[union-attr]
        db.session.remove()
    assert waiting
    before = mails(app)
    sign_in(page, "teacher@example.com")
    page.goto(f"/progress/grading?assignment={assignment_id}")
    page.wait_for_load_state("load")  # the confirmation script is in place
    releases = posts_to(page, f"/progress/assignments/{assignment_id}/release")
    page.locator(".release-all form button[type=submit]").click()
    dialog = page.locator("dialog.confirm-dialog[open]")
    expect(dialog).to_contain_text(title)
    dialog.locator("[data-confirm-accept]").dblclick()
    released = CATALOGUE.ngettext(
        "Released %(num)d grade. The student has been sent an e-mail.",
        "Released %(num)d grades. Each student has been sent an e-mail.",
        len(waiting),
    ) % {"num": len(waiting)}
    expect(page.locator("main")).to_contain_text(released)
    assert len([body for body in releases if "confirmed=1" in body]) == 1
    assert mails(app) - before == Counter(dict.fromkeys(waiting, 1))
