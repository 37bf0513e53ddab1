"""The login limits hold as `make serve` runs the app: gunicorn with 4 workers and no Redis.

Real HTTP with CSRF tokens against the suite's database (a SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set); the access log names the worker of every request.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
ADDRESS_LIMIT = 12
REFUSED = "Too many unsuccessful sign-in attempts"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


class Browser:
    """One browser: its own cookies, a fresh connection per request, redirects not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects
        )
        self.opener.addheaders = [("Accept-Language", "en")]
        self.csrf_token = ""

    def request(self, path: str, data: dict[str, str] | None = None) -> Answer:
        encoded = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, encoded, timeout=60) as response:
                return Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.read().decode())

    def open_login(self) -> None:
        page = self.request("/auth/login").body
        self.csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]

    def login(self, email: str, password: str) -> Answer:
        data = {"csrf_token": self.csrf_token, "email": email, "password": password}
        return self.request("/auth/login", data)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base: str
    access_log: Path

    def login_workers(self) -> set[str]:
        """The process ids of the workers that answered the sign-in attempts."""
        lines = self.access_log.read_text().splitlines()
        return {line.split()[0] for line in lines if "POST /auth/login" in line}


@pytest.fixture
def server(app, database_url: str, tmp_path: Path) -> Iterator[Server]:
    """`make serve`'s gunicorn (only SECRET_KEY and DATABASE_URL) on the suite's database."""
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SABAK_", "FLASK_"))} | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "gunicorn-test-secret",
        "SABAK_INSTANCE_PATH": str(tmp_path / "instance"),
        "SABAK_SESSION_COOKIE_SECURE": "false",  # plain http on 127.0.0.1
        "SABAK_LOGIN_LIMIT_PER_ADDRESS": f"{ADDRESS_LIMIT} per 15 minutes",
    }
    with (tmp_path / "gunicorn.err").open("w") as errors:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)),
                *("--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log)),
                *("--access-logformat", "%(p)s %(r)s %(s)s", "app:create_app()"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, process, tmp_path / "gunicorn.err")
            yield Server(base, access_log)
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen[bytes], errors: Path) -> None:
    """Wait for /healthz (generously: the machine may be busy); fail with gunicorn's errors."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not start:\n" + errors.read_text()[-3000:])


def test_login_limits_hold_across_gunicorn_workers(server, make_user):
    victim, raced, *others = (make_user() for _ in range(2 + ADDRESS_LIMIT))

    # Five wrong passwords are answered; the sixth attempt is refused, even with the right password.
    browser = Browser(server.base)
    browser.open_login()
    statuses = [browser.login(victim.email, "wrong password").status for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    right = browser.login(victim.email, victim.password)
    assert right.status == 429 and REFUSED in right.body
    # ... from any other browser too
    elsewhere = Browser(server.base)
    elsewhere.open_login()
    assert elsewhere.login(victim.email, victim.password).status == 429

    # Twelve wrong passwords at once: at most five are checked, whichever workers take them.
    browsers = [Browser(server.base) for _ in range(12)]
    for each in browsers:
        each.open_login()
    barrier = threading.Barrier(len(browsers))
    raced_statuses: list[int] = []

    def attempt(each: Browser) -> None:
        barrier.wait()
        raced_statuses.append(each.login(raced.email, "wrong password").status)

    threads = [threading.Thread(target=attempt, args=(each,)) for each in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = raced_statuses.count(200)
    assert sorted(raced_statuses) == [200] * checked + [429] * (12 - checked)
    assert checked <= 5  # a race may even refuse all twelve: each counts the others' rows
    # Refused attempts don't count, so a race can leave fewer than five failures: top them up.
    topped_up = [browser.login(raced.email, "wrong password").status for _ in range(5 - checked)]
    assert topped_up == [200] * (5 - checked)
    assert browser.login(raced.email, raced.password).status == 429

    # One address can't spray accounts: failures on other accounts count towards its limit too.
    counted = 5 + 5
    sprayed = [browser.login(other.email, "wrong password").status for other in others]
    assert sprayed == [200] * (ADDRESS_LIMIT - counted) + [429] * (
        len(others) - ADDRESS_LIMIT + counted
    )
    assert REFUSED in browser.login(others[0].email, others[0].password).body

    assert len(server.login_workers()) >= 2  # the counts were shared, not kept per worker
