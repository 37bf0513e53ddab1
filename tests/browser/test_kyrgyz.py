"""The Kyrgyz interface in a real browser: the three-way switcher, and immersion (each entry,
button and heading shows its Japanese on hover, and in a popover after a long press on a phone)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from tests.browser.conftest import WAIT, ConsoleErrors

TRANSLATIONS = str(Path(__file__).parents[2] / "app" / "translations")
JA = Translations.load(TRANSLATIONS, ["ja"])
KY = Translations.load(TRANSLATIONS, ["ky"])


def test_the_switcher_goes_to_kyrgyz_and_back(page: Page) -> None:
    page.goto("/typing")
    menu = page.locator(".language-menu")
    switcher = page.locator(".language-switcher")
    expect(menu.locator("summary")).to_have_attribute("aria-label", "Language: English")
    menu.locator("summary").click()
    expect(switcher.get_by_role("button")).to_have_text(["日本語", "Кыргызча"])
    switcher.get_by_role("button", name="Кыргызча").click()
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    assert page.url.endswith("/typing")  # the same page, now in Kyrgyz
    expect(page.get_by_role("heading", level=1)).to_have_text(KY.gettext("Typing Kyrgyz"))
    menu.locator("summary").click()
    expect(switcher.get_by_role("button")).to_have_text(["日本語", "English"])
    switcher.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text(JA.gettext("Typing Kyrgyz"))


def test_hovering_shows_the_japanese_of_entries_buttons_and_headings(page: Page) -> None:
    page.goto("/auth/login")
    page.locator(".language-menu > summary").click()
    page.locator(".language-switcher").get_by_role("button", name="Кыргызча").click()
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    # the navigation has it from the server, the heading and the button from immersion.js
    contest = page.locator("#main-nav a[href='/contest/']")
    expect(contest).to_have_text(KY.gettext("Contest"))
    expect(contest).to_have_attribute("title", JA.gettext("Contest"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(KY.gettext("Sign in"))
    expect(heading).to_have_attribute("title", JA.gettext("Sign in"))
    submit = page.locator("main form button[type=submit]")
    expect(submit).to_have_attribute("data-ja", JA.gettext("Sign in"))
    # what is not an interface string (the brand) gets nothing
    assert page.locator(".brand").get_attribute("title") is None


@pytest.fixture
def touch_page(browser: Any, live_server: str) -> Iterator[Page]:
    """A phone (390 px, touch) in Kyrgyz."""
    context = browser.new_context(
        locale="ky-KG",
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    errors = ConsoleErrors(page)
    yield page
    context.close()
    assert errors.take() == [], "the browser reported errors"


def long_press(page: Page, selector: str, milliseconds: int = 700) -> None:
    """Touch the element's middle and hold it (Chromium's touch events through CDP)."""
    box = page.locator(selector).bounding_box()
    assert box is not None
    point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    page.wait_for_timeout(milliseconds)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_long_press_on_a_phone_shows_the_japanese(touch_page: Page) -> None:
    page = touch_page
    page.goto("/auth/login")  # Accept-Language ky: the page is in Kyrgyz
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_attribute("data-ja", JA.gettext("Sign in"))
    popover = page.locator(".immersion-popover")
    long_press(page, "main h1")
    expect(popover).to_be_visible()
    expect(popover).to_have_text(JA.gettext("Sign in"))
    box = popover.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # a short touch elsewhere puts it away; a long press on a button reads it without pressing it
    long_press(page, "main label >> nth=0", milliseconds=50)
    expect(popover).to_be_hidden()
    long_press(page, "main form button[type=submit]")
    expect(popover).to_be_visible()
    page.wait_for_timeout(300)
    assert page.url.endswith("/auth/login") and page.locator(".field-error").count() == 0
