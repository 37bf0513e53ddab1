"""Under gunicorn, as in production, an upload over the limit gets the 413 page, not a reset."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(database_url, _schema, tmp_path):
    """A gunicorn (one sync worker, as `make serve` runs them) serving the app."""
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "SABAK_INSTANCE_PATH": str(tmp_path / "instance"),
        "SABAK_MAX_CONTENT_LENGTH": str(LIMIT),
        "SABAK_RATELIMIT_ENABLED": "false",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [
            gunicorn,
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--log-file",
            str(log),
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        process.wait()
        pytest.fail("gunicorn did not start: " + log.read_text())
    yield port
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.parametrize("size", [LIMIT + 1, 6 * LIMIT])
def test_an_oversized_upload_gets_the_413_page(server, size):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    body = b"email=" + b"x" * (size - 6)
    connection.request(
        "POST",
        "/auth/login",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en"},
    )
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    assert response.status == 413
    assert "File too large" in page
