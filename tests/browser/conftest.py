"""A live server and a real Chromium (Debian's, driven by Playwright) for browser tests.

Missing Chromium: the tests skip with the reason, or fail when SABAK_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("SABAK_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("SABAK_REQUIRE_BROWSER") == "1"
# How long an action or an expectation waits for its condition: a loaded 2-core CI needs more
# than Playwright's 5 s default.
WAIT = 20_000
# Where the first submit button of a form with a Kyrgyz field is drawn, [before the Kyrgyz keys
# came, with them]: the rows are taken out and their fields' room kept, as the page is drawn
# before kyrgyz-input.js arrives, then put back. Equal when the keys move nothing.
KEYS_ROOM = """() => {
  const button = document.querySelector('form:has([data-kyrgyz]) [type=submit]');
  const top = () => button.getBoundingClientRect().top + window.scrollY;
  const withKeys = top();
  const rows = [...document.querySelectorAll('.ky-keys')];
  const fields = rows.map(row => row.previousElementSibling);
  rows.forEach(row => row.remove());
  fields.forEach(field => { delete field.dataset.kyrgyzReady; });
  const before = top();
  fields.forEach((field, i) => { field.dataset.kyrgyzReady = '1'; field.after(rows[i]); });
  return [before, withKeys];
}"""


def hold_back_script(context: Any, name: str) -> None:
    """The context's pages get `static/js/<name>` empty: what they show before it arrives."""
    context.route(
        lambda url: url.split("?")[0].endswith(f"/static/js/{name}"),
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
    )


def in_place_before_its_script(page: Any, script: str, url: str, part: Any, button: Any) -> None:
    """`url` drawn before `script` has come shows `part` in its place with `button` disabled
    (nothing moves when the script comes); once the script is there, `button` works. Needs a
    context whose service workers are blocked, so that every script comes as routed."""
    from playwright.sync_api import expect

    hold_back_script(page.context, script)
    page.goto(url)
    expect(part).to_be_visible()
    expect(button).to_be_disabled()
    page.context.unroute_all()
    page.reload()
    expect(button).to_be_enabled()


# Flags for a sandboxed machine without a network: no background requests, no GPU.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class ConsoleErrors:
    """Collects what a page reports as wrong: console errors (CSP refusals, failed loads,
    htmx complaints) and uncaught exceptions."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )

    def take(self) -> list[str]:
        """The errors so far, forgetting them."""
        errors, self.errors = self.errors, []
        return errors


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def settings() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """Every `expect` waits as long as the actions do, then the default comes back."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        reason = (
            f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
            "(or set SABAK_CHROMIUM) to run the browser tests"
        )
        if REQUIRE_BROWSER:
            pytest.fail(reason + " (SABAK_REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def whole_responses(app: Any) -> Any:
    """The app with each response's body read and closed before Werkzeug's dev server sends it.

    The dev server leaves a response unclosed when the browser drops its connection midway (a
    page that closes while a recording or a static file is still loading: Werkzeug's clean-up reads
    the dropped socket and raises before it calls ``close``), so an open file would wait for the
    garbage collector, in whichever test runs then. Range requests are unaffected: the app answers
    them itself.
    """

    def serve(environ: dict, start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return serve


@pytest.fixture
def live_server(app: Any) -> Iterator[str]:
    """Serve the test app on a free port in a background thread."""
    server = make_server("127.0.0.1", 0, whole_responses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", base_url=live_server)
    context.set_default_timeout(WAIT)
    page = context.new_page()
    errors = ConsoleErrors(page)
    yield page
    context.close()
    assert errors.take() == [], "the browser reported errors"


@pytest.fixture
def phone_page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        locale="ja-JP", base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    errors = ConsoleErrors(page)
    yield page
    context.close()
    assert errors.take() == [], "the browser reported errors"


@pytest.fixture
def microphone_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A second Chromium with a fake microphone (a beep) that pages may use without asking."""
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    context = chromium.new_context(locale="en-US", base_url=live_server)
    context.grant_permissions(["microphone"])
    context.set_default_timeout(WAIT)
    page = context.new_page()
    errors = ConsoleErrors(page)
    yield page
    chromium.close()
    assert errors.take() == [], "the browser reported errors"
