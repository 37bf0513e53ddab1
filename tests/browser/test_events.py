"""The events acceptance: a visitor reserves a seat at the concert; a student signs up for a
shift, gets the e-mail and sees the shift on their page; the organizer checks them in and records
2 hours; the student downloads the certificate."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import User
from app.core.models import OutboxMessage
from app.core.seed import DemoData
from app.events.seed import seed_demo
from app.extensions import db
from tests.browser.conftest import WAIT
from tests.pdftools import pdf_text, poppler_available


@pytest.fixture
def demo_events(app: Any, make_user: Any) -> dict[str, Any]:
    """The demo film day and concert, with their volunteers, and a student and an organizer."""
    organizer = make_user(roles=("organizer",), display_name="佐藤 健", email="org@example.com")
    student = make_user(display_name="山田 花子", email="hanako@example.com")
    classmates = [make_user(display_name=f"Classmate {n}") for n in range(4)]
    with app.app_context():
        users = {"organizer@example.com": db.session.get(User, organizer.id)}
        mates = [db.session.get(User, c.id) for c in classmates]
        list(seed_demo(DemoData(password="", users=users, classmates=mates)))  # type: ignore[arg-type]
        db.session.commit()
        db.session.remove()
    return {"organizer": organizer, "student": student}


def _person(browser: Any, live_server: str) -> Any:
    context = browser.new_context(locale="en-US", base_url=live_server)
    context.set_default_timeout(WAIT)
    return context.new_page()


def _sign_in(page: Any, user: Any) -> None:
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(user.password)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(user.display_name).first).to_be_visible()


def test_a_seat_a_shift_two_hours_and_the_certificate(app, page, browser, live_server, demo_events):
    # a visitor reserves one of the last seats at the concert
    page.goto("/events/")
    page.get_by_role("link", name="Komuz and Voice: a Concert of Kyrgyz Music").click()
    expect(page.locator(".seats")).to_have_text("3 of 40 seats left")
    page.get_by_label("Name").fill("来場 太郎")
    page.get_by_label("E-mail address").fill("taro@example.net")
    page.get_by_role("button", name="Reserve a seat").click()
    expect(page).to_have_url(re.compile(r"/events/tickets/"))
    expect(page.locator(".status-label")).to_have_text("Seat reserved")
    expect(page.locator("svg.qr-ticket")).to_be_visible()

    # a student signs up for the open photographs shift
    student = _person(browser, live_server)
    _sign_in(student, demo_events["student"])
    student.goto("/events/")
    student.get_by_role("link", name="Komuz and Voice: a Concert of Kyrgyz Music").click()
    photos = student.locator(".role-card", has_text="Photographs")
    photos.get_by_role("button", name="Sign up").click()
    expect(student).to_have_url(re.compile(r"/events/me$"))
    shift = student.locator(".shift-card")
    expect(shift).to_contain_text("Photographs")
    expect(shift).to_contain_text("Komuz and Voice")
    with app.app_context():
        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == "hanako@example.com")
        )
        assert mail is not None and "写真撮影" in mail.body_text and "Photographs" in mail.body_text

    # the organizer checks the student in and records 2 hours, then issues the certificates
    organizer = _person(browser, live_server)
    _sign_in(organizer, demo_events["organizer"])
    organizer.goto("/events/console/")
    organizer.locator("tr", has_text="Komuz and Voice").get_by_role("link", name="Roster").click()
    row = organizer.locator(".roster-row", has_text="山田 花子")
    row.get_by_role("button", name="Check in").click()
    row = organizer.locator(".roster-row", has_text="山田 花子")
    expect(row.locator(".done")).to_contain_text("Checked in at")
    row.get_by_label("Hours").fill("2")
    row.get_by_role("button", name="Record hours").click()
    expect(
        organizer.locator(".roster-row", has_text="山田 花子").get_by_label("Hours")
    ).to_have_value("2")
    organizer.get_by_role("button", name="Issue certificates of appreciation").click()
    expect(organizer.get_by_text("certificates issued")).to_be_visible()

    # the student sees the hours and downloads the certificate
    student.goto("/events/me")
    record = student.locator(".volunteer-record tr", has_text="Komuz and Voice")
    expect(record).to_contain_text("2")
    with student.expect_download() as download_info:
        record.get_by_role("link", name="Download (PDF)").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    if poppler_available():
        text = pdf_text(data)
        assert "山田花子" in text and "2時間" in text and "ЫРААЗЫЧЫЛЫК" in text
    student.context.close()
    organizer.context.close()
