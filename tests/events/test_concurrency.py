"""No overbooking: fifty volunteers press "sign up" at once for a three-person shift (SQLite and
PostgreSQL), and the same for the last seats of a concert."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.auth import services as accounts
from app.auth.models import User
from app.core.dbtypes import utcnow
from app.events import attendance as attendance_service
from app.events import volunteers as volunteer_service
from app.events.errors import AlreadySignedUp, ShiftFull
from app.events.models import Attendance, Event, Shift, ShiftSignup
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.factories.users import DEFAULT_PASSWORD

PEOPLE = 50
NEEDED = 3


@pytest.fixture
def settings():
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        return {
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 40, "pool_timeout": 60}
        }
    # SQLite serialises writers; waiting writers need more than the default 5 s of patience.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 60}}}


def _people(app, n: int) -> list[str]:
    emails = [f"volunteer{i}@example.org" for i in range(n)]
    with app.app_context():
        for email in emails:
            accounts.create_user(email=email, password=DEFAULT_PASSWORD, display_name=email,
                                 roles=("student",), language="ja")  # fmt: skip
        db.session.commit()
        db.session.remove()
    return emails


def test_fifty_sign_ups_at_once_fill_a_three_person_shift_exactly(app, make_event):
    ids = make_event(needed=NEEDED)
    emails = _people(app, PEOPLE)
    clients = []
    for email in emails:
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
        clients.append(client)
    start = threading.Barrier(PEOPLE)

    def sign_up(client) -> str:
        start.wait()
        response = client.post(f"/events/shifts/{ids['shift']}/sign-up")
        return response.location

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        landed = list(pool.map(sign_up, clients))

    # the three who got a place land on their shifts, everyone else back on the event
    assert landed.count("/events/me") == NEEDED
    assert landed.count(f"/events/{ids['event']}") == PEOPLE - NEEDED
    with app.app_context():
        confirmed = db.session.scalar(
            select(func.count()).where(ShiftSignup.shift_id == ids["shift"],
                                       ShiftSignup.status == "confirmed")
        )  # fmt: skip
        assert confirmed == NEEDED
        assert db.session.scalar(select(func.count()).select_from(ShiftSignup)) == NEEDED


def _at_once(app, actions):
    start = threading.Barrier(len(actions))

    def run(action):
        with app.app_context():
            start.wait()
            try:
                result = action()
                db.session.commit()
                return result
            except Exception as error:  # the domain errors and a lost race alike
                db.session.rollback()
                return error
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


@pytest.mark.postgres_only
def test_one_person_double_clicking_gets_one_place(app, make_event):
    ids = make_event(needed=NEEDED)
    (email,) = _people(app, 1)

    def sign_up():
        user = db.session.scalar(select(User).where(User.email == email))
        shift = db.session.get(Shift, ids["shift"])
        return volunteer_service.sign_up(shift, user, utcnow()).id

    results = _at_once(app, [sign_up] * 8)
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert all(isinstance(r, int | AlreadySignedUp) for r in results), results
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ShiftSignup)) == 1


@pytest.mark.postgres_only
def test_thirty_reservations_at_once_for_five_seats(app, make_event):
    ids = make_event(seats=5)

    def reserve(n):
        def action():
            event = db.session.get(Event, ids["event"])
            return attendance_service.reserve(
                event, name=f"来場者 {n}", email=f"guest{n}@example.net", language="ja",
                user=None, now=utcnow(),
            ).status  # fmt: skip

        return action

    results = _at_once(app, [reserve(n) for n in range(30)])
    assert results.count("confirmed") == 5
    assert results.count("waitlisted") == 25
    with app.app_context():
        seqs = db.session.scalars(
            select(Attendance.waitlist_seq).where(Attendance.status == "waitlisted")
        ).all()
        assert sorted(seqs) == list(range(1, 26))


def test_a_full_shift_refuses_the_next_person(app_ctx, make_event):
    ids = make_event(needed=1)
    first, second = (
        accounts.create_user(email=f"p{i}@example.org", password=DEFAULT_PASSWORD,
                             display_name=f"P{i}", roles=("student",), language="ja")
        for i in range(2)
    )  # fmt: skip
    shift = db.session.get(Shift, ids["shift"])
    volunteer_service.sign_up(shift, first, utcnow())
    with pytest.raises(ShiftFull):
        volunteer_service.sign_up(shift, second, utcnow())
