"""Plumbing shared by the benchmarks in bench/: paths, app settings, a fresh PostgreSQL database,
migrations, gunicorn on a free port, concurrent clients, SQL statement counts, latency lines.

Not a benchmark itself (`make bench` runs bench/bench_*.py only). The scripts import it as
`import benchlib`: run as `python bench/bench_x.py`, their own folder is first on sys.path.
Only the standard library is imported here at load time; SQLAlchemy when a function needs it.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-key"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
UNREACHABLE = "skipped: PostgreSQL is unreachable at {server} ({error})"


def add_root_to_path() -> None:
    """Put the project's root first on sys.path, so that `import app` works."""
    sys.path.insert(0, str(ROOT))


def argument_parser(doc: str | None) -> argparse.ArgumentParser:
    """A parser described by the first line of `doc` (the script's docstring)."""
    return argparse.ArgumentParser(description=(doc or "").split("\n")[0])


def add_postgres_options(parser: argparse.ArgumentParser, database: str) -> None:
    """Add --postgres-url (default $BENCH_POSTGRES_URL, else postgres@127.0.0.1:5432 with trust
    auth) and --database (default `database`), the one that is dropped and created again."""
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="a database on the server to connect to while (re)creating --database",
    )
    parser.add_argument("--database", default=database)


def app_settings(database_url: str, **extra: Any) -> dict[str, Any]:
    """Settings for `create_app` on `database_url`: bench secret, no rate limits, plain logs;
    `extra` settings added or overriding."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": SECRET,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOG_JSON": False,
    } | extra


def printable_url(url: str) -> str:
    """What follows the credentials in a database URL (all of it when it has none)."""
    return url.split("@")[-1]


def fresh_postgres(postgres_url: str, name: str, skipped: str = UNREACHABLE) -> str | None:
    """Drop and create the database `name` on the server of `postgres_url`; its URL.

    When PostgreSQL can't be reached, print `skipped` (formatted with `server` and `error`)
    and return None: the caller skips its PostgreSQL part.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    admin = create_engine(
        postgres_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        print(skipped.format(server=printable_url(postgres_url), error=error.orig))
        return None
    finally:
        admin.dispose()
    return make_url(postgres_url).set(database=name).render_as_string(hide_password=False)


def instance_folder() -> tempfile.TemporaryDirectory[str]:
    """A fresh temporary folder for the app's instance files (and a SQLite database)."""
    return tempfile.TemporaryDirectory(prefix="sabak-bench-")


def venv_script(name: str) -> str:
    """The path of the console script `name` (flask, gunicorn) next to this Python."""
    return str(Path(sys.executable).parent / name)


def migrate(database_url: str, folder: str) -> None:
    """Run `flask db upgrade` on `database_url`, with `folder` as the instance folder."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "SABAK_INSTANCE_PATH": folder,
        "FLASK_APP": "app",
    }
    subprocess.run(
        [venv_script("flask"), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(base: str, seconds: float = 20) -> None:
    """Wait until `base`/healthz answers; exit the script after `seconds` without an answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


@contextmanager
def gunicorn(
    database_url: str,
    folder: str,
    workers: int,
    extra_env: dict[str, str] | None = None,
    start_timeout: float = 20,
    app_spec: str = "app:create_app()",
    chdir: Path = ROOT,
) -> Iterator[str]:
    """Serve the app with gunicorn (`workers` processes) on a free port of 127.0.0.1; yields
    its base URL once /healthz answers, and stops gunicorn afterwards.

    The app gets `database_url`, the bench secret, `folder` as its instance folder, no rate
    limits and cookies that are not Secure (plain http); `extra_env` adds or overrides.
    `app_spec` and `chdir` serve another WSGI app the same way (bench/hello_app.py).
    """
    port = free_port()
    env = (
        os.environ
        | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET,
            "SABAK_INSTANCE_PATH": folder,
            "SABAK_RATELIMIT_ENABLED": "false",
            "SABAK_RATELIMIT_STORAGE_URI": "memory://",
            # plain http on 127.0.0.1: the cookies must not be Secure
            "SABAK_SESSION_COOKIE_SECURE": "false",
            "SABAK_REMEMBER_COOKIE_SECURE": "false",
        }
        | (extra_env or {})
    )
    server = subprocess.Popen(
        [
            venv_script("gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            app_spec,
        ],
        cwd=chdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base, start_timeout)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_together(targets: Sequence[Callable[[], object]]) -> float:
    """Run each of `targets` in its own thread, all released at once; the seconds from the
    release until the last one has finished."""
    barrier = threading.Barrier(len(targets) + 1)

    def released(target: Callable[[], object]) -> None:
        barrier.wait()
        target()

    threads = [threading.Thread(target=released, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def p95(values: Sequence[float]) -> float:
    """The 95th percentile of `values` (at least two of them)."""
    return statistics.quantiles(values, n=20)[18]


def latency_summary(latencies: Sequence[float], decimals: int = 1) -> str:
    """'median … ms, p95 … ms, max … ms' of `latencies` given in seconds."""
    median, high, top = statistics.median(latencies), p95(latencies), max(latencies)
    return (
        f"median {median * 1000:.{decimals}f} ms, p95 {high * 1000:.{decimals}f} ms, "
        f"max {top * 1000:.{decimals}f} ms"
    )


@contextmanager
def count_statements(engine: Engine) -> Iterator[dict[str, int]]:
    """Count the SQL statements `engine` executes inside the block in the yielded {"n": …};
    the caller may set "n" (to leave statements out)."""
    from sqlalchemy import event

    statements = {"n": 0}

    def count(*_args: Any) -> None:
        statements["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
