"""A whole preliminary round in the browser: two registrants upload their speeches, a judge
scores them after the deadline, the organizer publishes one finalist; the finalist sees their
seat, the other the kind e-mail (issue #17)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from app.contest.models import Preliminary, Registration
from app.core.dbtypes import utcnow
from app.core.models import OutboxMessage
from app.extensions import db
from tests.factories.contest import WAV


def _sign_in(page: Any, email: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")


def _hand_in(page: Any, person: Any) -> None:
    _sign_in(page, person.email, person.password)
    page.goto("/contest/2027/me")
    page.locator("a[href$='/me/preliminary']").click()
    page.wait_for_load_state("load")  # the recorder has shown itself above the upload field
    page.locator("#audio").set_input_files(
        files=[{"name": "speech.wav", "mimeType": "audio/wav", "buffer": WAV}]
    )
    page.locator("#entry-form button[type=submit]").click()
    expect(page.locator(".preliminary-state")).to_contain_text("1")
    expect(page.locator(".version-list audio")).to_have_count(1)


def _score(page: Any, code: str, value: str) -> None:
    page.locator(".judge-row a", has_text=code).click()
    expect(page.locator(".entry-material audio")).to_have_count(1)  # the recording to hear
    for field in page.locator(".score-field input").all():
        field.fill(value)
    page.wait_for_load_state("load")  # the confirmation script is in place
    page.locator("button[value=submit]").click()
    page.locator("dialog.confirm-dialog[open] [data-confirm-accept]").click()
    row = page.locator(".judge-row", has_text=code)
    expect(row.locator(".status-confirmed")).to_be_visible()


def test_two_entries_one_judge_one_finalist(page, app, preliminary, make_user):
    first, second = preliminary["people"]
    _hand_in(page, first)
    _hand_in(page, second)
    with app.app_context():  # the deadline passes
        prelim = db.session.get_one(Preliminary, preliminary["preliminary"])
        prelim.deadline_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()

    judge = preliminary["judges"][0]
    _sign_in(page, judge.email, judge.password)
    page.goto("/contest/judge/")
    page.locator("main a[href$='/preliminary']").first.click()
    expect(page.locator(".judge-row")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("青木")  # blind: numbers only
    _score(page, "P-01", "9")
    _score(page, "P-02", "6")

    organizer = make_user(roles=("organizer",), email="org@example.jp")
    _sign_in(page, organizer.email, organizer.password)
    page.goto("/contest/console/2027/")
    page.locator("a[href$='/preliminary']").first.click()
    rows = page.locator(".results-table tbody tr")
    expect(rows.first).to_contain_text("P-01")
    expect(rows.first.locator("strong")).to_be_visible()  # the finalist by default
    page.wait_for_load_state("load")
    page.locator("form[action$='/preliminary/publish'] button[type=submit]").click()
    page.locator("dialog.confirm-dialog[open] [data-confirm-accept]").click()
    expect(page.locator(".notice")).to_be_visible()

    _sign_in(page, first.email, first.password)
    page.goto("/contest/2027/me")
    expect(page.locator(".participant-number")).to_have_text("2027-A-001")
    expect(page.locator(".preliminary-card")).to_be_visible()

    _sign_in(page, second.email, second.password)
    page.goto("/contest/2027/me")
    expect(page.locator(".participant-number")).to_have_count(0)
    expect(page.locator(".preliminary-card")).to_contain_text("not chosen")
    with app.app_context():
        other = db.session.get_one(Registration, preliminary["regs"][1])
        [mail] = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient == other.email,
                OutboxMessage.topic == "contest_preliminary_not_selected",
            )
        ).all()
        assert "Thank you very much for your entry" in mail.body_text  # English first: theirs
        assert mail.body_text.index("Thank you") < mail.body_text.index("予選")
