"""No overbooking: many registrations at once into a small division (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app.contest.models import Registration
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.factories.contest import form_data

PEOPLE = 52
SEATS = 10


@pytest.fixture
def settings():
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        return {
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 40, "pool_timeout": 60}
        }
    # SQLite serialises writers; waiting writers need more than the default 5 s of patience.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 60}}}


def test_concurrent_registrations_never_overbook(app, make_edition):
    ids = make_edition(capacities=(SEATS,))
    start = threading.Barrier(PEOPLE)

    def register(n: int) -> int:
        client = app.test_client()
        data = form_data(
            ids["A"], email=f"p{n}@example.jp", password="kyrgyz-2027", confirm="kyrgyz-2027"
        )
        start.wait()
        return client.post("/contest/2027/register", data=data).status_code

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        statuses = list(pool.map(register, range(PEOPLE)))
    assert statuses == [302] * PEOPLE

    with app.app_context():
        rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
        confirmed = [r for r in rows if r.status == "confirmed"]
        waiting = [r for r in rows if r.status == "waitlisted"]
        assert len(rows) == PEOPLE
        assert len(confirmed) == SEATS and len(waiting) == PEOPLE - SEATS
        assert sorted(r.participant_number for r in confirmed) == [
            f"2027-A-{n:03d}" for n in range(1, SEATS + 1)
        ]
        # the waiting list is numbered 1..n in the order the registrations were made
        assert [r.waitlist_seq for r in waiting] == list(range(1, PEOPLE - SEATS + 1))
        assert max(r.id for r in confirmed) < min(r.id for r in waiting)
