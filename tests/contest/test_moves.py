"""An organizer moves a registration to another division: seats, waiting lists, rules, races."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.contest import checkin as checkin_service
from app.contest import judging as judging_service
from app.contest import registration as registration_service
from app.contest import seats as seats_service
from app.contest.errors import WrongState
from app.contest.models import Division, Edition, Registration, Status
from app.core.dbtypes import utcnow
from app.core.models import OutboxMessage
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.factories.contest import details, form_data


@pytest.fixture
def settings():
    """Threads each hold a connection (PostgreSQL); SQLite writers wait for one another."""
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 10}}
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 60}}}


@pytest.fixture
def app_ctx(app):
    """A request context: refusals are worded in the request's language."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield app
        db.session.rollback()


@pytest.fixture
def people(app_ctx, make_user):
    """Accounts made before any registration (SQLite has one writer at a time)."""
    return iter([db.session.get(User, make_user().id) for _ in range(8)])


def _setup(ids):
    edition = db.session.get(Edition, ids["edition"])
    return edition, {d.letter: d for d in edition.divisions}


def _register(people, edition, division, **overrides):
    return registration_service.register(edition, division, next(people), details(**overrides))


def _mails(topic):
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == topic).order_by(OutboxMessage.id)
    ).all()


def test_a_free_seat_takes_a_number_of_the_new_series_and_the_old_seat_passes_on(
    app_ctx, people, make_edition
):
    edition, d = _setup(make_edition(capacities=(1, 2)))
    seated = _register(people, edition, d["A"])
    waiting = _register(people, edition, d["A"])
    _register(people, edition, d["B"])
    now = utcnow()
    move = registration_service.move_registration(seated, d["B"], now=now)
    db.session.commit()
    assert move.source.id == d["A"].id and move.promoted == [waiting]
    assert (seated.division_id, seated.status) == (d["B"].id, Status.CONFIRMED)
    assert seated.participant_number == "2027-B-002"
    assert waiting.status == Status.OFFERED
    assert waiting.hold_expires_at == now + timedelta(hours=72)
    (moved_mail,) = _mails("contest_moved")
    assert moved_mail.recipient == seated.email
    assert "部門A" in moved_mail.body_text and "部門B" in moved_mail.body_text
    assert "Division A" in moved_mail.body_text and "2027-B-002" in moved_mail.body_text
    assert [m.recipient for m in _mails("contest_promoted")] == [waiting.email]
    counts = seats_service.division_counts(edition)
    assert (counts[d["A"].id].taken, counts[d["B"].id].taken) == (1, 2)
    assert seated.search_key.endswith("2027-b-002")


def test_a_full_division_puts_it_at_the_end_of_the_waiting_list(app_ctx, people, make_edition):
    edition, d = _setup(make_edition(capacities=(2, 1)))
    mover = _register(people, edition, d["A"])
    _register(people, edition, d["B"])
    first_waiting = _register(people, edition, d["B"])
    mover.speaking_order = 1
    move = registration_service.move_registration(mover, d["B"])
    assert mover.status == Status.WAITLISTED and mover.participant_number is None
    assert mover.speaking_order is None and move.promoted == []  # nobody waited in A
    assert seats_service.waitlist_position(first_waiting) == 1
    assert seats_service.waitlist_position(mover) == 2
    body = _mails("contest_moved")[0].body_text
    assert "number 2 on its waiting list" in body
    assert seats_service.division_counts(edition)[d["A"].id].taken == 0


def test_eligibility_is_checked_unless_the_organizer_overrides_it(app_ctx, people, make_edition):
    edition, d = _setup(make_edition(capacities=(2, 2)))
    d["B"].max_study_months = 6
    registration = _register(people, edition, d["A"], study_months=18)
    db.session.commit()
    with pytest.raises(registration_service.NotEligible) as refused:
        registration_service.move_registration(registration, d["B"])
    assert "at most 0.5 years" in refused.value.problems["study_years"]
    db.session.rollback()
    assert registration.division_id == d["A"].id and _mails("contest_moved") == []
    registration_service.move_registration(registration, d["B"], override_eligibility=True)
    assert registration.division_id == d["B"].id and registration.status == Status.CONFIRMED


def test_awaiting_approval_stays_so_where_approval_is_needed(app_ctx, people, make_edition):
    edition, d = _setup(make_edition(capacities=(2, 2, 1), moderated="AB"))
    registration = _register(people, edition, d["A"])
    registration_service.move_registration(registration, d["B"])
    assert registration.status == Status.PENDING and registration.division_id == d["B"].id
    assert "review your registration" in _mails("contest_moved")[0].body_text
    registration_service.move_registration(registration, d["C"])
    assert registration.status == Status.CONFIRMED
    assert registration.participant_number == "2027-C-001"
    assert len(_mails("contest_moved")) == 2


def test_nothing_moves_once_judging_has_begun(app_ctx, people, make_edition, make_user):
    judge = db.session.get(User, make_user(roles="judge").id)  # before SQLite's write lock
    edition, d = _setup(make_edition(capacities=(2, 2, 2)))
    judged = _register(people, edition, d["A"])
    other = _register(people, edition, d["B"])
    checkin_service.check_in(judged, judge)
    judging_service.save_sheet(judge, judged, {}, "", submit=False)  # a draft is a start
    with pytest.raises(judging_service.JudgingStarted):
        registration_service.move_registration(judged, d["B"])
    with pytest.raises(judging_service.JudgingStarted):  # into a division being judged
        registration_service.move_registration(other, d["A"])
    d["C"].results_published_at = utcnow()
    with pytest.raises(judging_service.JudgingStarted):
        registration_service.move_registration(other, d["C"])


def test_inactive_same_division_and_other_edition_are_refused(app_ctx, people, make_edition):
    edition, d = _setup(make_edition(capacities=(2, 2)))
    other_edition = db.session.get(Edition, make_edition(year=2028)["edition"])
    registration = _register(people, edition, d["A"])
    with pytest.raises(WrongState):
        registration_service.move_registration(registration, d["A"])
    with pytest.raises(ValueError):
        registration_service.move_registration(registration, other_edition.divisions[0])
    registration_service.withdraw(registration)
    with pytest.raises(WrongState):
        registration_service.move_registration(registration, d["B"])


def _register_through_the_form(client, auth, division_id):
    auth.login()
    assert client.post("/contest/2027/register", data=form_data(division_id)).status_code == 302
    auth.logout()


def _registration(app):
    with app.app_context():
        row = db.session.scalars(select(Registration)).one()
        db.session.expunge_all()
        return row


def test_organizer_moves_a_registration_from_its_console_page(app, client, auth, make_edition):
    ids = make_edition(capacities=(1, 1))
    _register_through_the_form(client, auth, ids["A"])
    registration = _registration(app)
    auth.login("organizer")
    url = f"/contest/console/registrations/{registration.id}"
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Move to another division" in page and "B · Division B (1 of 1 left)" in page
    response = client.post(f"{url}/move", data={"division": ids["B"]})
    assert response.status_code == 302 and response.location.endswith(url)
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Moved to Division B with the number 2027-B-001." in page
    assert _registration(app).participant_number == "2027-B-001"


def test_an_ineligible_move_is_explained_next_to_the_field(app, client, auth, make_edition):
    ids = make_edition(capacities=(1, 1))
    with app.app_context():
        db.session.get(Division, ids["B"]).max_months_in_kyrgyzstan = 0
        db.session.commit()
    _register_through_the_form(client, auth, ids["A"])  # the form says 3 months in Kyrgyzstan
    registration = _registration(app)
    auth.login("organizer")
    url = f"/contest/console/registrations/{registration.id}/move"
    response = client.post(url, data={"division": ids["B"]}, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="division-error"' in page and "at most 0 months" in page
    assert "Tick the box below" in page and 'value="山田 花子"' in page
    assert _registration(app).division_id == ids["A"]
    response = client.post(url, data={"division": ids["B"], "override_eligibility": "y"})
    assert response.status_code == 302 and _registration(app).division_id == ids["B"]


def test_two_moves_into_a_one_seat_division_confirm_only_one(app, make_edition, make_user):
    """Six organizers move six people from two divisions into one seat at the same moment."""
    ids = make_edition(capacities=(3, 3, 1))
    users = [make_user() for _ in range(6)]
    organizers = [make_user(roles="organizer") for _ in range(6)]
    with app.app_context():
        edition = db.session.get(Edition, ids["edition"])
        registrations = [
            registration_service.register(
                edition,
                db.session.get(Division, ids["AB"[n % 2]]),
                db.session.get(User, user.id),
                details(),
            )
            for n, user in enumerate(users)
        ]
        db.session.commit()
        movers = [r.id for r in registrations]
        db.session.remove()
    clients = []
    for organizer in organizers:
        client = app.test_client()
        client.post("/auth/login", data={"email": organizer.email, "password": organizer.password})
        clients.append(client)
    start = threading.Barrier(len(movers))

    def move(n: int) -> int:
        start.wait()
        url = f"/contest/console/registrations/{movers[n]}/move"
        return clients[n].post(url, data={"division": ids["C"]}).status_code

    with ThreadPoolExecutor(max_workers=len(movers)) as pool:
        statuses = list(pool.map(move, range(len(movers))))
    assert statuses == [302] * len(movers)

    with app.app_context():
        rows = db.session.scalars(
            select(Registration).where(Registration.division_id == ids["C"])
        ).all()
        confirmed = [r for r in rows if r.status == Status.CONFIRMED]
        waiting = sorted((r for r in rows if r.status == Status.WAITLISTED), key=lambda r: r.id)
        assert len(rows) == 6
        assert [r.participant_number for r in confirmed] == ["2027-C-001"]
        assert sorted(r.waitlist_seq for r in waiting) == [1, 2, 3, 4, 5]
        assert db.session.get(Division, ids["C"]).numbers_issued == 1
