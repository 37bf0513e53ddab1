"""A page served from the visitors' cache works in the browser as a freshly drawn one: its
scripts run under the CSP, and its forms carry this visitor's own CSRF token."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_cached_page_runs_its_scripts_and_its_forms_work(browser, live_server, page, make_user):
    user = make_user(display_name="Dinara Browser")
    for url, locale in (("/", "en-US"), ("/auth/login", "ja-JP")):  # kept by other visitors
        other = browser.new_context(locale=locale, base_url=live_server)
        assert other.new_page().goto(url).headers.get("x-page-cache") == "miss"
        other.close()

    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto("/")
    assert response.headers.get("x-page-cache") == "hit"
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
    page.wait_for_load_state("load")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")  # nav.js ran
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.locator(".language-menu > summary").click()
    page.get_by_role("button", name="日本語").click()  # the switcher posts this visitor's token
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    response = page.goto("/auth/login")
    assert response.headers.get("x-page-cache") == "hit"
    page.get_by_label("メールアドレス").fill(user.email)  # the page is in Japanese now
    page.get_by_label("パスワード").fill(user.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator(".main-nav")).to_contain_text("Dinara Browser")
