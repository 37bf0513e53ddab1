"""Draw the installed app's icons (static/img/icons/) from the favicon's design with Chromium.

Run once after changing static/img/favicon.svg: `.venv/bin/python scripts/make_icons.py`; the
PNGs are checked in. The maskable icon fills its square (the phone cuts its own shape) and keeps
the emblem inside the safe zone, the middle 80 %.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
FAVICON = ROOT / "static" / "img" / "favicon.svg"
ICONS = ROOT / "static" / "img" / "icons"
CHROMIUM = os.environ.get("SABAK_CHROMIUM", "/usr/bin/chromium")
# The favicon's sun on a full-bleed red square: for the maskable and the Apple icon.
FULL_BLEED = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" '
    'fill="#c8102e"/><circle cx="16" cy="16" r="7" fill="#f6b40e"/><circle cx="16" cy="16" '
    'r="3.5" fill="#c8102e"/></svg>'
)


def render(page, svg: str, size: int, target: Path) -> None:
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        "<html><body style='margin:0;background:transparent'>"
        f"<div style='width:{size}px;height:{size}px'>"
        + svg.replace("<svg ", f"<svg width='{size}' height='{size}' ", 1)
        + "</div></body></html>"
    )
    page.screenshot(
        path=str(target), omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size}
    )
    print(f"{target.relative_to(ROOT)}: {size}×{size}")


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    favicon = FAVICON.read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        render(page, favicon, 192, ICONS / "icon-192.png")
        render(page, favicon, 512, ICONS / "icon-512.png")
        render(page, FULL_BLEED, 512, ICONS / "icon-maskable-512.png")
        render(page, FULL_BLEED, 180, ICONS / "apple-touch-icon.png")
        browser.close()


if __name__ == "__main__":
    main()
