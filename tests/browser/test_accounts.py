"""A person in Chromium: sign up, sign out, sign in, switch to Japanese."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_sign_up_sign_out_sign_in_and_switch_to_japanese(page):
    page.goto("/")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_label("Name", exact=True).fill("Aiko Tanaka")
    page.get_by_label("Name in katakana (optional)").fill("タナカ アイコ")
    page.get_by_label("E-mail address").fill("aiko@example.org")
    page.get_by_label("Password (8 characters or more)").fill("kyrgyzcha-2027")
    page.get_by_label("Password (again)").fill("kyrgyzcha-2027")
    page.get_by_label("Interface language").select_option("en")
    page.get_by_role("button", name="Create an account").click()
    expect(page.get_by_text("Your account has been created")).to_be_visible()
    expect(page.get_by_role("heading", name="Hello, Aiko Tanaka")).to_be_visible()

    page.get_by_text("Aiko Tanaka", exact=True).click()  # the account menu
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("E-mail address").fill("AIKO@example.org")
    page.get_by_label("Password").fill("kyrgyzcha-2027")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome, Aiko Tanaka.")).to_be_visible()

    page.locator(".language-menu > summary").click()
    page.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", name="こんにちは、Aiko Tanaka さん")).to_be_visible()
    header = page.locator("header")
    header.get_by_text("Aiko Tanaka", exact=True).click()
    expect(header.get_by_role("link", name="プロフィール")).to_be_visible()
    expect(header.get_by_role("button", name="ログアウト")).to_be_visible()


def test_wrong_password_shows_the_error_next_to_the_field(page, make_user):
    user = make_user()
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The e-mail address or password is incorrect.")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value(user.email)
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")


def test_phone_layout_has_no_horizontal_scroll(phone_page):
    phone_page.goto("/auth/signup")
    expect(phone_page.get_by_role("heading", name="アカウントを作成")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert re.search("ログイン", phone_page.content())
