"""A visitor registers for the demo contest in Japanese; the organizer finds them in the console;
on the day they are checked in, judged, the results published and their certificate downloaded."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from app.contest.seed import seed_contest
from app.extensions import db
from tests.browser.conftest import WAIT, in_place_before_its_script
from tests.pdftools import pdf_text, poppler_available


@pytest.fixture
def demo_contest(app: Any) -> None:
    with app.app_context():
        list(seed_contest(None, []))  # type: ignore[arg-type]
        db.session.commit()
        db.session.remove()


@pytest.fixture
def ja_page(browser: Any, live_server: str):
    context = browser.new_context(locale="ja-JP", base_url=live_server)
    context.set_default_timeout(WAIT)
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
    # the Kyrgyz keys (a deferred script) go in under the speech title, above the consent and
    # the button: a click before that can land where they were
    page.wait_for_load_state("load")

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
    page.wait_for_load_state("load")  # the Kyrgyz keys have gone in above the button again
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


@pytest.fixture
def ready_for_the_day(app: Any, demo_contest: None) -> dict[str, str]:
    """A confirmed beginner in the demo 2027 edition; nobody else checked in or judged there."""
    from sqlalchemy import select, update

    from app.auth import services as accounts
    from app.contest import registration as registration_service
    from app.contest.models import Division, Edition, JudgeAssignment, Registration, ScoreSheet
    from tests.factories.contest import details

    with app.app_context():
        edition = db.session.scalar(select(Edition).where(Edition.year == 2027))
        edition.event_date = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # today is the day
        division = edition.divisions[0]
        db.session.execute(
            ScoreSheet.__table__.delete().where(
                ScoreSheet.registration_id.in_(
                    select(Registration.id).where(Registration.division_id == division.id)
                )
            )
        )
        db.session.execute(
            JudgeAssignment.__table__.delete().where(JudgeAssignment.division_id == division.id)
        )
        db.session.execute(
            update(Registration)
            .where(Registration.division_id == division.id)
            .values(checked_in_at=None)
        )
        user = accounts.create_user(
            email="aoi@example.jp", password="kyrgyzcha-2027", display_name="青井 葵"
        )
        registration = registration_service.register(
            edition,
            db.session.get(Division, division.id),
            user,
            details(full_name="青井 葵", furigana="アオイ アオイ", name_latin="Aoi Aoi"),
        )
        db.session.commit()
        number = registration.participant_number or ""
        db.session.remove()
    return {"number": number}


def _sign_in(page: Any, email: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form button[type=submit]").last.click()


def _sheet_states(app: Any, number: str) -> list[bool]:
    """Whether each score sheet of the participant is submitted."""
    from sqlalchemy import select

    from app.contest.models import Registration, ScoreSheet

    with app.app_context():
        states = list(
            db.session.scalars(
                select(ScoreSheet.submitted)
                .join(Registration, Registration.id == ScoreSheet.registration_id)
                .where(Registration.participant_number == number)
            )
        )
        db.session.remove()
    return states


def _status_of(app: Any, email: str) -> list[str]:
    from sqlalchemy import select

    from app.contest.models import Registration

    with app.app_context():
        statuses = list(
            db.session.scalars(
                select(Registration.status)
                .where(Registration.email == email)
                .order_by(Registration.id)
            )
        )
        db.session.remove()
    return statuses


WITHDRAW = "form[action$='/me/withdraw'] button"


def test_withdrawing_asks_first_cancel_keeps_the_seat(page, app, ready_for_the_day):
    number = ready_for_the_day["number"]
    _sign_in(page, "aoi@example.jp", "kyrgyzcha-2027")
    page.goto("/contest/2027/me")
    expect(page.locator(".participant-number")).to_have_text(number)
    page.locator(WITHDRAW).click()
    dialog = page.locator("dialog.confirm-dialog[open]")
    expect(dialog).to_contain_text(number)
    expect(dialog).to_contain_text("contest@example.com")  # whom to contact
    dialog.locator("[data-confirm-cancel]").click()
    expect(dialog).to_have_count(0)
    assert _status_of(app, "aoi@example.jp") == ["confirmed"]
    page.reload()
    expect(page.locator(".participant-number")).to_have_text(number)

    page.locator(WITHDRAW).click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # Escape cancels too
    expect(page.locator("dialog.confirm-dialog")).to_have_count(0)
    assert _status_of(app, "aoi@example.jp") == ["confirmed"]

    page.locator(WITHDRAW).click()
    page.locator("dialog.confirm-dialog[open] [data-confirm-accept]").click()
    expect(page.locator(".status-withdrawn")).to_be_visible()
    assert _status_of(app, "aoi@example.jp") == ["withdrawn"]
    page.locator("main a[href='/contest/2027/register']").click()
    expect(page).to_have_url(re.compile(r"/contest/2027/register$"))


def test_check_in_by_number_judge_scores_organizer_publishes(
    ja_page, app, ready_for_the_day, make_user
):
    page = ja_page
    number = ready_for_the_day["number"]
    organizer = make_user(roles=("organizer",), email="org@example.jp")
    judge = make_user(roles=("judge",), email="judge-b@example.jp", display_name="審査 太郎")

    _sign_in(page, organizer.email, organizer.password)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/contest/console/2027/checkin")
    page.locator("#q").fill(number)
    page.locator(".checkin-search button[type=submit]").click()
    card = page.locator(".checkin-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("青井 葵")
    page.wait_for_load_state("load")  # the scanner (a deferred script) shows itself above it
    card.locator("button[type=submit]").click()
    expect(page.locator(".ticket-step .done").first).to_contain_text(re.compile(r"\d\d:\d\d"))
    page.locator(".ticket-step button[type=submit]").click()  # the gift
    expect(page.locator(".ticket-step .done")).to_have_count(2)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/contest/console/2027/")
    page.locator("a[href*='/judging']").first.click()
    page.locator("select[name=judge]").select_option(label=f"審査 太郎 <{judge.email}>")
    page.locator("form[action$='/judges'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("審査 太郎")

    _sign_in(page, judge.email, judge.password)
    page.goto("/contest/judge/")
    page.locator("main a[href*='/judge/divisions/']").first.click()
    page.locator(".judge-row a", has_text=number).click()
    # `.all()` doesn't wait: the sheet must be there before its fields are collected.
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    for field in page.locator(".score-field input").all():
        field.fill("8")
    page.locator("#comment").fill("発音がとても良いです。")
    # Submitting asks first: the sheet with its total, in a dialog. Cancelling changes nothing.
    page.wait_for_load_state("load")  # the confirmation script is in place (else: its page)
    page.locator("button[value=submit]").click()
    dialog = page.locator("dialog.confirm-dialog[open]")
    expect(dialog.locator(".sheet-total")).to_have_text("80.00 / 100")
    expect(dialog).to_contain_text("発音がとても良いです。")
    dialog.locator("[data-confirm-cancel]").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".score-field input").first).to_have_value("8")  # the form as it was
    assert _sheet_states(app, number) == []  # nothing saved, nothing locked
    page.locator("button[value=submit]").click()
    page.locator("dialog.confirm-dialog[open] [data-confirm-accept]").click()
    expect(page.locator(".judge-row", has_text=number).locator(".status-confirmed")).to_be_visible()
    assert _sheet_states(app, number) == [True]
    page.locator(".judge-row a", has_text=number).click()
    expect(page.locator(".score-table")).to_be_visible()  # locked: no inputs any more

    _sign_in(page, organizer.email, organizer.password)
    page.goto("/contest/console/2027/")
    page.locator("a[href*='/results']").first.click()
    row = page.locator(".results-table tbody tr", has_text=number)
    expect(row.locator(".rank")).to_have_text("1")
    row.locator("select").select_option("first")
    page.locator("#prizes button[type=submit]").click()
    page.locator("form[action$='/publish'] button[type=submit]").click()
    expect(page.locator(".notice")).to_be_visible()
    page.goto("/contest/2027/")
    results = page.locator("#results")
    expect(results).to_contain_text("青井 葵")
    expect(results.locator(".prize-first")).to_contain_text("青井 葵")

    _sign_in(page, "aoi@example.jp", "kyrgyzcha-2027")
    page.goto("/contest/2027/me")
    with page.expect_download() as download_info:
        page.locator("a[href$='/me/certificate.pdf']").click()
    download = download_info.value
    assert download.suggested_filename == f"certificate-{number}.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    if poppler_available():
        text = pdf_text(data)
        assert "青井葵" in text and "AoiAoi" in text and "第1位" in text


def test_the_scanner_is_there_from_the_first_drawing_and_only_where_it_can_scan(
    browser, live_server, demo_contest, make_user
):
    """The door's phone: the scanner is in its place before checkin.js arrives (so the results
    under it never move), its button working once the script has come; without JavaScript the
    search alone."""
    organizer = make_user(roles=("organizer",))
    for scripted in (True, False):
        context = browser.new_context(
            base_url=live_server,
            locale="en-US",
            viewport={"width": 390, "height": 844},
            java_script_enabled=scripted,
            service_workers="block",  # every script from the server, as routed
        )
        context.set_default_timeout(WAIT)
        page = context.new_page()
        _sign_in(page, organizer.email, organizer.password)
        url = "/contest/console/2027/checkin?q=2027"
        scanner = page.locator("[data-scanner]")
        if scripted:
            start = scanner.locator("[data-scan-start]")
            in_place_before_its_script(page, "checkin.js", url, scanner, start)
        else:
            page.goto(url)
            expect(scanner).to_be_hidden()
        expect(page.locator(".checkin-card").first).to_be_visible()
        context.close()
