"""The navigation on a phone folds behind one menu button (static/js/nav.js); on a screen, and
on a phone without JavaScript, every entry shows."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import WAIT

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
