"""Screenshots of the running app (`make run`) in Chromium, for review and for docs/.

Usage: python scripts/screenshots.py [base_url] [out_dir] [only]
(default http://127.0.0.1:5000, /tmp/shots; `only`: shoot the entries whose name contains it)
Each entry: (file name, demo account or None, path, locale, phone?[, selector to click first]).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

SHOTS = [
    ("home-anonymous-ja", None, "/", "ja-JP", False),
    ("home-anonymous-en-phone", None, "/", "en-US", True),
    ("login-ja-phone", None, "/auth/login", "ja-JP", True),
    ("signup-ja", None, "/auth/signup", "ja-JP", False),
    ("home-student-ja", "student", "/", "ja-JP", False),
    ("profile-student-ja-phone", "student", "/auth/profile", "ja-JP", True),
    ("admin-users-en", "admin", "/auth/admin/users", "en-US", False),
    ("admin-users-ja-phone", "admin", "/auth/admin/users", "ja-JP", True),
    ("not-found-ja", None, "/no-such-page", "ja-JP", False),
    ("typing-ja-phone", None, "/typing", "ja-JP", True),
    ("join-student-ja", "student", "/lessons/join", "ja-JP", False),
    ("classes-teacher-ja", "teacher", "/lessons/classes/", "ja-JP", False),
    ("class-teacher-ja-phone", "teacher", "/lessons/classes/1", "ja-JP", True),
    ("course-teacher-ja", "teacher", "/lessons/courses/kyrgyz-a1/", "ja-JP", False),
    ("lesson-teacher-ja", "teacher", "/lessons/courses/kyrgyz-a1/family", "ja-JP", False),
    ("lesson-teacher-en-phone", "teacher", "/lessons/courses/kyrgyz-a1/greetings", "en-US", True),
    ("edit-lesson-teacher-ja", "teacher", "/lessons/courses/kyrgyz-a1/family/edit", "ja-JP", False),
    ("progress-dashboard-ja", "tanaka.yui", "/progress/", "ja-JP", False),
    ("progress-dashboard-ja-phone", "tanaka.yui", "/progress/", "ja-JP", True),
    ("progress-dashboard-overdue-ja", "kobayashi.ren", "/progress/", "ja-JP", False),
    ("assignment-student-ja", "tanaka.yui", "/progress/assignments/1", "ja-JP", False),
    ("grading-queue-ja", "teacher", "/progress/grading", "ja-JP", False),
    ("grading-queue-ja-phone", "teacher", "/progress/grading", "ja-JP", True),
    ("grading-ja", "teacher", "/progress/grading/9", "ja-JP", False),
    ("grading-ja-phone", "teacher", "/progress/grading/9", "ja-JP", True),
    ("gradebook-ja", "teacher", "/progress/classes/1/gradebook", "ja-JP", False),
    ("gradebook-ja-phone", "teacher", "/progress/classes/1/gradebook", "ja-JP", True),
    ("class-dashboard-ja", "teacher", "/progress/classes/1", "ja-JP", False),
    ("certificate-student-ja", "student", "/contest/2026/me", "ja-JP", False),
    ("practice-hub-ja-phone", "tanaka.yui", "/quizzes/", "ja-JP", True),
    ("practice-hub-ja", "tanaka.yui", "/quizzes/", "ja-JP", False),
    ("review-ja-phone", "tanaka.yui", "/quizzes/review", "ja-JP", True),
    ("privacy-ja", None, "/privacy/", "ja-JP", False),
    ("privacy-en-phone", None, "/privacy/", "en-US", True),
    ("delete-account-ja-phone", "tanaka.yui", "/privacy/delete-account", "ja-JP", True),
    ("course-editors-ja", "teacher", "/lessons/courses/kyrgyz-a1/editors", "ja-JP", False),
    ("withdraw-ja-phone", "student", "/contest/2027/me", "ja-JP", True),
    ("contest-day-ja-phone", "tanaka.yui", "/contest/2027/me", "ja-JP", True),
    ("events-ja", None, "/events/", "ja-JP", False),
    ("events-ja-phone", None, "/events/", "ja-JP", True),
    ("event-concert-ja", None, "/events/2", "ja-JP", False),
    ("event-concert-en-phone", "tanaka.yui", "/events/2", "en-US", True),
    ("events-my-shifts-ja", "tanaka.yui", "/events/me", "ja-JP", False),
    ("events-my-shifts-ja-phone", "tanaka.yui", "/events/me", "ja-JP", True),
    ("events-roster-ja", "organizer", "/events/console/2/roster", "ja-JP", False),
    ("events-roster-ja-phone", "organizer", "/events/console/1/roster", "ja-JP", True),
    ("home-teacher-ja", "teacher", "/", "ja-JP", False),
    ("home-student-ja-phone", "tanaka.yui", "/", "ja-JP", True),
    ("home-student-menu-ja-phone", "tanaka.yui", "/", "ja-JP", True, ".nav-toggle"),
    ("judging-ja-phone", "organizer", "/contest/console/divisions/4/judging", "ja-JP", True),
    ("print-list-ja-phone", "organizer", "/contest/console/2027/print", "ja-JP", True),
    ("admin-user-en-phone", "admin", "/auth/admin/users/45", "en-US", True),
    ("lesson-notes-en-phone", "tanaka.yui", "/lessons/courses/kyrgyz-a1/classroom", "en-US", True),
]


def main(base: str, out: Path, only: str = "") -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, account, path, locale, phone, *click in SHOTS:
            if only and only not in name:
                continue
            context = browser.new_context(
                base_url=base, locale=locale, viewport=PHONE if phone else DESKTOP, is_mobile=phone
            )
            page = context.new_page()
            if account:
                page.goto("/auth/login")
                page.fill("input[name=email]", f"{account}@example.com")
                page.fill("input[name=password]", "sabak-demo")
                page.click("main form button[type=submit]")
                # the demo account's own language may differ; follow the locale of the shot
                page.goto("/")
                language = locale[:2]
                # the switcher offers only the other language
                button = page.locator(f"form.language-switcher button[value={language}]")
                if button.count():
                    if page.locator(".nav-toggle").is_visible():  # a phone: open the menu first
                        page.click(".nav-toggle")
                    button.click()
            page.goto(path)
            page.wait_for_load_state("load")
            for selector in click:
                page.click(selector)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000",
        Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/shots"),
        sys.argv[3] if len(sys.argv) > 3 else "",
    )
