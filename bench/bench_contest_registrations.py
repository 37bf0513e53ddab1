"""A registration burst on the contest: 500 newcomers, 50 at a time, into divisions of 100 seats.

Setup: a fresh PostgreSQL database (--database, dropped and created again; the server at
--postgres-url must let us create databases), migrated with `flask db upgrade`, gets an edition
open for registration with --divisions divisions of --seats seats each (made by the tests'
edition builder, tests/factories/contest.py). The registrants are spread 45/30/25 % (with three
divisions) so that every division is over-subscribed. Then gunicorn
(--workers processes) serves the app and --clients threads register as anonymous browsers do: a
new visitor (own cookies) GETs the registration form for its CSRF token and POSTs it, which
creates the account, signs it in and registers it in one request (the clock runs on the POST).

Reported: registrations per second, POST latency (median, p95, max), and the database checked
afterwards: exactly --seats confirmed per division with numbers 001..seats, the rest on the waiting
list at positions 1..n without gaps, one account and one registration per person, no 5xx. Then, in
process with the Flask test client, the share of the password hash (argon2id at OWASP's parameters)
in one registration POST: the same POST timed with the real hash and with a trivial one.

Skips with a message when PostgreSQL is unreachable.
Run: python bench/bench_contest_registrations.py [--registrations 500] [--clients 50]
"""

from __future__ import annotations

import functools
import http.cookiejar
import os
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from typing import Any

import benchlib

benchlib.add_root_to_path()
PASSWORD = "kyrgyz-bench-2027"
YEAR = 2027
SHARES = (45, 30, 25)  # percent of the registrants per division (first three divisions)


def settings(database_url: str) -> dict[str, Any]:
    """The bench settings; mail waits in the outbox, as with SMTP."""
    return benchlib.app_settings(database_url, MAIL_DELIVER_INLINE=False)


def create_edition(database_url: str, divisions: int, seats: int) -> list[int]:
    """An edition open now with `divisions` divisions of `seats` seats (the test factory's);
    their ids."""
    from app import create_app
    from app.extensions import db
    from tests.factories.contest import build_edition

    app = create_app(settings(database_url))
    with app.app_context():
        edition = build_edition(year=YEAR, capacities=(seats,) * divisions)
        db.session.commit()
        ids = [d.id for d in edition.divisions]
        db.engine.dispose()
    return ids


def spread(registrations: int, division_ids: list[int]) -> list[int]:
    """A division id per registrant: 45/30/25 % over three divisions (even otherwise), shuffled."""
    shares = SHARES if len(division_ids) == len(SHARES) else (1,) * len(division_ids)
    total = sum(shares)
    counts = [registrations * s // total for s in shares]
    counts[0] += registrations - sum(counts)
    choices = [d for d, n in zip(division_ids, counts, strict=True) for _ in range(n)]
    random.Random(2027).shuffle(choices)
    return choices


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report the registration's 302 instead of following it: the POST alone is timed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Visitor:
    """An anonymous browser: its own cookies, a CSRF token from the form it GETs."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=body), timeout=60
            ) as r:
                return r.status, r.headers.get("Location", ""), r.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            return error.code, error.headers.get("Location", ""), error.read().decode()


def run_burst(
    base: str, choices: list[int], clients: int
) -> tuple[float, list[float], Counter[int], list[str]]:
    """Every registrant through the form, `clients` at a time; (seconds, latencies, statuses, errors)."""
    from tests.factories.contest import FORM  # the registration form as the tests fill it in

    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    path = f"/contest/{YEAR}/register"

    def client(number: int) -> None:
        mine: list[float] = []
        seen: Counter[int] = Counter()
        for index in range(number, len(choices), clients):
            visitor = Visitor(base)
            try:
                status, _location, page = visitor.request(path)
                token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
                if status != 200 or token is None:
                    errors.append(f"GET form: {status}")
                    continue
                email = f"person{index:04d}@bench.example"
                form = FORM | {"csrf_token": token.group(1), "division": str(choices[index]),
                               "email": email, "password": PASSWORD, "confirm": PASSWORD}  # fmt: skip
                started = time.perf_counter()
                status, location, _page = visitor.request(path, form)
                mine.append(time.perf_counter() - started)
                seen[status] += 1
                if status != 302 or not location.endswith(f"/contest/{YEAR}/me"):
                    errors.append(f"POST {email}: {status} {location}")
            except OSError as error:  # a dropped connection is a result to report
                errors.append(f"{index}: {error}")
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    seconds = benchlib.run_together([functools.partial(client, n) for n in range(clients)])
    return seconds, latencies, statuses, errors


def check_database(database_url: str, division_ids: list[int], seats: int) -> list[str]:
    """What the burst left behind; returns the report lines, raises AssertionError if wrong."""
    from sqlalchemy import func, select

    from app import create_app
    from app.auth.models import User
    from app.contest.models import Division, Registration
    from app.extensions import db

    app = create_app(settings(database_url))
    lines = []
    with app.app_context():
        rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
        users = db.session.scalar(select(func.count()).select_from(User)) or 0
        emails = Counter(r.email for r in rows)
        assert max(emails.values()) == 1, "a person registered twice"
        assert users == len(rows), f"{users} accounts for {len(rows)} registrations"
        for division_id in division_ids:
            division = db.session.get(Division, division_id)
            mine = [r for r in rows if r.division_id == division_id]
            confirmed = [r for r in mine if r.status == "confirmed"]
            waiting = sorted(
                (r for r in mine if r.status == "waitlisted"), key=lambda r: r.waitlist_seq or 0
            )
            others = len(mine) - len(confirmed) - len(waiting)
            numbers = sorted(r.participant_number or "" for r in confirmed)
            expected = [f"{YEAR}-{division.letter}-{n:03d}" for n in range(1, seats + 1)]
            assert len(confirmed) == seats, f"{division.letter}: {len(confirmed)} confirmed"
            assert numbers == expected, f"{division.letter}: participant numbers {numbers[:3]}…"
            assert [r.waitlist_seq for r in waiting] == list(range(1, len(waiting) + 1))
            assert others == 0, f"{division.letter}: {others} in other states"
            # first come, first served: nobody confirmed registered after someone waiting
            if waiting:
                assert max(r.id for r in confirmed) < min(r.id for r in waiting)
            lines.append(
                f"division {division.letter}: {len(mine)} registrations → {len(confirmed)} "
                f"confirmed ({numbers[0]}…{numbers[-1]}), {len(waiting)} waiting at 1..{len(waiting)}"
            )
        db.engine.dispose()
    return lines


def hash_share(database_url: str, division_id: int, samples: int) -> tuple[float, float, float]:
    """(ms of one password hash, ms of a registration POST with it, ms with a trivial one)."""
    from argon2 import PasswordHasher

    from app import create_app
    from app.auth import passwords
    from tests.factories.contest import FORM

    app = create_app(settings(database_url) | {"WTF_CSRF_ENABLED": False})
    started = time.perf_counter()
    for _ in range(samples):
        passwords.hash_password(PASSWORD)
    hash_ms = (time.perf_counter() - started) / samples * 1000

    def timed_posts(prefix: str) -> float:
        total = 0.0
        for n in range(samples):
            client = app.test_client()
            data = FORM | {"division": str(division_id), "email": f"{prefix}{n}@bench.example",
                           "password": PASSWORD, "confirm": PASSWORD}  # fmt: skip
            started = time.perf_counter()
            response = client.post(f"/contest/{YEAR}/register", data=data)
            total += time.perf_counter() - started
            assert response.status_code == 302, response.status_code
        return total / samples * 1000

    timed_posts("warmup")
    with_hash = timed_posts("real")
    passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        without = timed_posts("cheap")
    finally:
        passwords.HASHER = passwords.OWASP
    return hash_ms, with_hash, without


def main() -> None:
    parser = benchlib.argument_parser(__doc__)
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--divisions", type=int, default=3)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--hash-samples", type=int, default=20)
    benchlib.add_postgres_options(parser, database="sabak_bench_contest")
    args = parser.parse_args()

    database_url = benchlib.fresh_postgres(args.postgres_url, args.database)
    if database_url is None:
        return
    with benchlib.instance_folder() as folder:
        benchlib.migrate(database_url, folder)
        division_ids = create_edition(database_url, args.divisions, args.seats)
        choices = spread(args.registrations, division_ids)
        # mail waits in the outbox, as with SMTP
        outbox = {"SABAK_MAIL_DELIVER_INLINE": "false"}
        with benchlib.gunicorn(
            database_url, folder, args.workers, extra_env=outbox, start_timeout=30
        ) as base:
            print(
                f"PostgreSQL database {args.database}; {args.divisions} divisions of {args.seats} "
                f"seats; {args.registrations} registrants (new accounts) from {args.clients} "
                f"concurrent clients; gunicorn -w {args.workers} on {os.cpu_count()} CPUs ..."
            )
            seconds, latencies, statuses, errors = run_burst(base, choices, args.clients)
        done = statuses.get(302, 0)
        print(
            f"{done} registrations in {seconds:.1f} s = {done / seconds:.1f} registrations/s "
            f"(each: GET form + POST form creating the account)"
        )
        print(f"registration POST latency: {benchlib.latency_summary(latencies, decimals=0)}")
        server_errors = sum(n for status, n in statuses.items() if status >= 500)
        print(f"responses to the POSTs: {dict(sorted(statuses.items()))}; 5xx: {server_errors}")
        if errors:
            print(f"{len(errors)} errors, e.g. {errors[:3]}")
        for line in check_database(database_url, division_ids, args.seats):
            print(line)
        hash_ms, with_hash, without = hash_share(database_url, division_ids[-1], args.hash_samples)
        print(
            f"password hash (argon2id, OWASP: 19 MiB, t=2, p=1): {hash_ms:.0f} ms of CPU each; in process, a "
            f"registration POST takes {with_hash:.0f} ms with it and {without:.0f} ms with a trivial "
            f"hash: the hash is {(with_hash - without) / with_hash * 100:.0f}% of it"
        )
        if errors or server_errors or done != args.registrations:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
