"""Typing Kyrgyz in Chromium: the on-screen keys and the as-you-type Latin conversion."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import KEYS_ROOM, WAIT


def test_on_screen_keys_insert_at_the_caret_and_the_answer_is_checked(page):
    page.goto("/typing?word=1")  # үй
    field = page.get_by_label("Your answer")
    field.fill("й")
    field.press("Home")
    page.get_by_role("button", name="Insert ү").click()
    expect(field).to_have_value("үй")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#typing-feedback")).to_contain_text("Correct.")
    assert page.url.endswith("/typing?word=1")  # htmx: no page load


def test_shift_gives_capitals(page):
    page.goto("/typing?word=1")
    page.get_by_label("Your answer").click()
    page.get_by_role("button", name="Capital letters").click()
    page.get_by_role("button", name="Insert Ө").click()
    expect(page.get_by_label("Your answer")).to_have_value("Ө")


def test_latin_typing_is_converted_as_you_type(page):
    page.goto("/typing?word=2")  # көл
    page.get_by_role("button", name="Latin → Cyrillic").click()
    field = page.get_by_label("Your answer")
    field.press_sequentially("ko'l")
    expect(field).to_have_value("көл")
    field.press("Enter")
    expect(page.locator("#typing-feedback")).to_contain_text("Correct.")


def test_almost_feedback_teaches_the_letter(page):
    page.goto("/typing?word=3")  # миң
    field = page.get_by_label("Your answer")
    field.fill("мин")
    field.press("Enter")
    expect(page.locator("#typing-feedback")).to_contain_text("н → ң")


def test_without_javascript_the_practice_still_works(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server, locale="en-US")
    page = context.new_page()
    page.goto("/typing?word=1")
    page.get_by_label("Your answer").fill("уй")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#typing-feedback")).to_contain_text("у → ү")
    context.close()


@pytest.mark.parametrize("locale", ["en-US", "ja-JP", "ky-KG"])
def test_the_check_button_stays_put_when_the_keys_arrive_on_a_phone(browser, live_server, locale):
    """The keys come a moment after the page (a deferred script): their room under the field is
    kept from the first drawing, so a tap aimed at Check never lands on what moved into its place.
    The row keeps to one line on a 360 px phone in all three languages."""
    context = browser.new_context(
        base_url=live_server, locale=locale, viewport={"width": 360, "height": 740}
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto("/typing?word=1")
    expect(page.locator("html")).to_have_attribute("lang", locale[:2])
    expect(page.locator(".ky-keys")).to_be_visible()
    before, with_keys = page.evaluate(KEYS_ROOM)
    assert abs(before - with_keys) < 1
    tops = page.evaluate(
        "() => [...document.querySelector('.ky-keys').children].map(k => k.offsetTop)"
    )
    assert max(tops) - min(tops) < 10  # one line (the smaller toggle sits a little lower)
    context.close()
