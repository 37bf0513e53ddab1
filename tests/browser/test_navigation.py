"""The navigation folds behind one menu button when its entries do not fit on one line
(static/js/nav.js measures it): always on a phone, on a wide screen only for a long bar (a
teacher's in Kyrgyz); without JavaScript every entry shows."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import WAIT
from tests.browser.test_sweep import HEADER_LINES

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_menu_button_shows_and_hides_the_entries(phone_page):
    phone_page.goto("/")
    phone_page.wait_for_load_state("load")
    toggle = phone_page.get_by_role("button", name="メニュー")
    sign_in = phone_page.locator(".main-nav a[href^='/auth/login']")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(sign_in).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(sign_in).to_be_visible()

    phone_page.keyboard.press("Escape")
    expect(sign_in).to_be_hidden()
    expect(toggle).to_be_focused()


def test_on_a_screen_every_entry_shows_without_a_menu(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    expect(page.locator(".nav-toggle")).to_be_hidden()
    expect(page.locator(".main-nav a[href^='/auth/login']")).to_be_visible()


def test_on_a_phone_without_javascript_every_entry_shows(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, locale="ja-JP", java_script_enabled=False
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto("/")
    expect(page.locator(".nav-toggle")).to_be_hidden()
    expect(page.locator(".main-nav a[href^='/auth/login']")).to_be_visible()
    context.close()


def choose_language(page: Page, name: str) -> None:
    page.locator(".language-menu > summary").click()
    page.locator(".language-switcher").get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


def test_a_visitor_s_bar_in_kyrgyz_shows_whole_on_a_laptop(page: Page) -> None:
    """Kyrgyz words are longer, but a visitor's four entries fit 1280 px: no menu to open."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    choose_language(page, "Кыргызча")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    expect(page.locator(".nav-toggle")).to_be_hidden()
    expect(page.locator("#main-nav a[href='/contest/']")).to_be_visible()
    assert page.evaluate(HEADER_LINES) == 1


def test_a_bar_folds_when_its_entries_do_not_fit_and_unfolds_when_they_do(
    browser, live_server, make_user
) -> None:
    teacher = make_user(roles=("teacher",), password="sabak-nav", display_name="Айгүл Асанова")
    context = browser.new_context(
        base_url=live_server, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(teacher.email)
    page.locator("input[name=password]").fill("sabak-nav")
    page.locator("main form button[type=submit]").click()
    toggle = page.locator(".nav-toggle")
    grading = page.locator("#main-nav > li > a").first
    expect(grading).to_be_visible()  # in English a teacher's bar fits 1280 px
    expect(toggle).to_be_hidden()

    page.set_viewport_size({"width": 800, "height": 900})  # a tablet: it does not
    expect(page.locator("html")).to_have_class(re.compile(r"\bnav-folds\b"))
    expect(grading).to_be_hidden()
    toggle.click()
    expect(grading).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 900})  # wide again: whole, the menu gone
    expect(toggle).to_be_hidden()
    expect(grading).to_be_visible()
    assert page.evaluate(HEADER_LINES) == 1

    # in Kyrgyz the same bar needs about 1,530 px: folded even on a wide screen, one line
    choose_language(page, "Кыргызча")
    expect(toggle).to_be_visible()
    page.set_viewport_size({"width": 1600, "height": 900})
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(grading).to_be_hidden()
    assert page.evaluate(HEADER_LINES) == 1
    context.close()
