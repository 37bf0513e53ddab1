"""The calendar feed in Chromium: make the link, copy it, replace it after a confirmation."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_a_student_makes_a_feed_link_and_replaces_it(page: Any, make_user: Any) -> None:
    user = make_user(display_name="Aiko Tanaka")
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()

    page.locator("header").get_by_text("Aiko Tanaka", exact=True).click()  # the account menu
    page.get_by_role("link", name="Calendar feed").click()
    expect(page.get_by_text("Your calendar feed is off")).to_be_visible()
    page.get_by_role("button", name="Create my link").click()
    page.wait_for_load_state("load")
    first = page.get_by_label("Calendar feed link").input_value()
    assert first.endswith(".ics")
    expect(page.get_by_role("button", name="Copy")).to_be_visible()  # shown by the script
    webcal = page.get_by_role("button", name="Open in my calendar app")
    expect(webcal).to_have_attribute("href", "webcal://" + first.split("://", 1)[1])
    assert page.request.get(first).status == 200

    page.get_by_role("button", name="Create a new link", exact=True).click()
    dialog = page.locator("dialog.confirm-dialog[open]")  # asks first, in a dialog
    expect(dialog).to_contain_text("The current link stops working at once.")
    dialog.locator("[data-confirm-accept]").click()
    page.wait_for_load_state("load")
    second = page.get_by_label("Calendar feed link").input_value()
    assert second != first
    assert page.request.get(first).status == 404
    assert page.request.get(second).status == 200
