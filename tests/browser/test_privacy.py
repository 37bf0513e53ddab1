"""Issue #11's privacy acceptance in Chromium, on the demo data: a student downloads their data,
deletes their account and can no longer sign in; the teacher's gradebook still shows the graded
work, under a neutral name."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.models import User
from app.core.seed import seed_demo_data
from app.extensions import db
from app.lessons.seed import DEMO_CLASS_NAME
from tests.browser.conftest import WAIT

CATALOGUE = Translations.load(str(Path(__file__).parents[2] / "app" / "translations"), ["ja"])
STUDENT = "tanaka.yui@example.com"  # a demo classmate with released grades
NAME = "田中 由衣"


def ja(msgid: str, **values: object) -> str:
    """What a Japanese reader sees for an English message of the code."""
    return CATALOGUE.gettext(msgid) % values if values else CATALOGUE.gettext(msgid)


@pytest.fixture
def demo(app) -> int:
    with app.app_context():
        for _line in seed_demo_data(password="sabak-demo"):
            pass
        db.session.commit()
        user_id = db.session.scalar(select(User.id).where(User.email == STUDENT))
    assert user_id is not None
    return user_id


def sign_in(page: Page, email: str) -> None:
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill("sabak-demo")
    page.locator("main form button[type=submit]").click()


def test_student_downloads_their_data_deletes_the_account_and_the_gradebook_keeps_the_work(
    page: Page, demo: int, tmp_path: Path
):
    page.set_default_timeout(WAIT)
    sign_in(page, STUDENT)
    expect(page.locator("form[action='/auth/logout']")).to_be_attached()
    page.goto("/auth/profile")

    # Download my data: a ZIP with the JSON of everything, and the recordings.
    with page.expect_download() as download:
        page.get_by_role("link", name=ja("Download my data")).click()
    archive_path = tmp_path / download.value.suggested_filename
    download.value.save_as(archive_path)
    assert archive_path.suffix == ".zip"
    with zipfile.ZipFile(archive_path) as archive:
        data = json.loads(archive.read("sabak-my-data.json"))
        recordings = [n for n in archive.namelist() if n.startswith("recordings/")]
    assert data["account"]["email"] == STUDENT and data["account"]["display_name"] == NAME
    assert data["classes"][0]["class_name"] == DEMO_CLASS_NAME
    assert any("grade" in s for s in data["submissions"]) and recordings
    assert data["privacy_consents"][0]["policy_version"] == 1

    # Delete my account: the page says what stays and why, and asks for the password.
    page.get_by_role("link", name=ja("Delete my account")).click()
    expect(page.get_by_role("heading", name=ja("What stays, without your name"))).to_be_visible()
    page.get_by_role("button", name=ja("Delete my account for good")).click()
    expect(page.locator("#password-error")).to_be_visible()  # nothing filled in: nothing done
    page.get_by_label(ja("Your password")).fill("sabak-demo")
    page.get_by_label(
        ja("I understand that my account is deleted for good and cannot be restored")
    ).check()
    page.get_by_role("button", name=ja("Delete my account for good")).click()
    expect(
        page.get_by_text(ja("Your account has been deleted. Thank you for studying with Sabak."))
    ).to_be_visible()
    expect(page.locator("form[action='/auth/logout']")).not_to_be_attached()

    # The old e-mail and password no longer sign in.
    sign_in(page, STUDENT)
    expect(page.locator("#password-error")).to_be_visible()
    expect(page.locator("form[action='/auth/logout']")).not_to_be_attached()

    # The teacher's gradebook still shows the graded work, under a neutral name.
    sign_in(page, "teacher@example.com")
    expect(page.locator("form[action='/auth/logout']")).to_be_attached()
    page.goto("/lessons/classes/")
    page.get_by_role("link", name=DEMO_CLASS_NAME).first.click()
    page.get_by_role("button", name=ja("Gradebook")).click()
    row = page.locator("tbody tr").filter(has_text=f"退会したユーザー {demo}")
    expect(row).to_be_visible()
    expect(row).to_contain_text(" / ")  # the total of the graded work
    expect(page.locator("main")).not_to_contain_text(NAME)
