"""A visitor registers for the demo contest in Japanese; the organizer finds them in the console."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.contest.seed import seed_contest
from app.extensions import db


@pytest.fixture
def demo_contest(app: Any) -> None:
    with app.app_context():
        list(seed_contest(None, []))  # type: ignore[arg-type]
        db.session.commit()
        db.session.remove()


@pytest.fixture
def ja_page(browser: Any, live_server: str):
    context = browser.new_context(locale="ja-JP", base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_visitor_registers_in_japanese_and_organizer_sees_them(ja_page, demo_contest, make_user):
    page = ja_page
    page.goto("/contest/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2027")
    page.locator("a[href='/contest/2027/register']").first.click()

    page.locator("#email").fill("aoi@example.jp")
    page.locator("#password").fill("kyrgyzcha-2027")
    page.locator("#confirm").fill("kyrgyzcha-2027")
    page.locator("input[name=division]").first.check()
    page.locator("#full_name").fill("青井 葵")
    page.locator("#furigana").fill("あおい")  # hiragana: refused, input kept
    page.locator("#name_latin").fill("Aoi Aoi")
    page.locator("#phone").fill("090-1111-2222")
    page.locator("#age_group").select_option("18-29")
    page.locator("#affiliation").select_option("jica")
    page.locator("#study_years").fill("1")
    page.locator("#study_place").fill("JICA の研修")
    page.locator("#months_in_kyrgyzstan").fill("4")
    page.locator("#not_native_speaker").check()
    page.locator("#japanese_citizen").check()
    page.locator("#speech_title_ky").fill("Менин сүйүктүү тоолорум")
    page.locator("#speech_title_ja").fill("私の大好きな山々")
    page.locator("#consent_privacy").check()
    page.locator("button[type=submit]").last.click()

    expect(page.locator("#furigana-error")).to_be_visible()
    expect(page.locator("#full_name")).to_have_value("青井 葵")
    page.locator("#furigana").fill("アオイ アオイ")
    page.locator("#password").fill("kyrgyzcha-2027")
    page.locator("#confirm").fill("kyrgyzcha-2027")
    page.locator("button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(r"/contest/2027/me$"))
    number = page.locator(".participant-number")
    expect(number).to_have_text(re.compile(r"^2027-A-\d{3}$"))
    participant_number = number.inner_text()
    expect(page.locator(".status-card")).to_be_visible()

    page.context.clear_cookies()
    organizer = make_user(roles=("organizer",), email="org@example.jp")
    page.goto("/auth/login")
    page.locator("#email").fill(organizer.email)
    page.locator("#password").fill(organizer.password)
    page.locator("form button[type=submit]").last.click()
    page.goto("/contest/console/2027/?q=青井")
    row = page.locator("table.registrations tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("青井 葵")
    expect(row).to_contain_text(participant_number)
