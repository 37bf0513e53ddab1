"""Reminder e-mails before the contest: once per confirmed participant, from the console or cron."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.contest import notifications as notifications_service
from app.contest import registration as registration_service
from app.contest.models import Edition, Registration
from app.core.models import OutboxMessage
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.factories.contest import details, form_data
from tests.helpers import visible_text


@pytest.fixture
def settings():
    """Threads each hold a connection (PostgreSQL); SQLite writers wait for one another."""
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 10}}
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 60}}}


def _populate(app, make_edition, make_user, capacities=(2, 1), people=4):
    """Registrations spread over the divisions (A, B, A, B, ...); some confirmed, some waiting."""
    ids = make_edition(capacities=capacities)
    users = [make_user() for _ in range(people)]
    with app.app_context():
        edition = db.session.get(Edition, ids["edition"])
        edition.event_time = time(13, 30)
        divisions = edition.divisions
        for n, info in enumerate(users):
            division = divisions[n % len(divisions)]
            user = db.session.get(User, info.id)
            registration_service.register(edition, division, user, details(), language="ja")
        db.session.commit()
        db.session.remove()
    return ids


def _reminders():
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.topic == "contest_reminder")
        .order_by(OutboxMessage.id)
    ).all()


def _confirmed_emails():
    return sorted(
        db.session.scalars(select(Registration.email).where(Registration.status == "confirmed"))
    )


def test_each_confirmed_participant_is_reminded_once(app, make_edition, make_user):
    _populate(app, make_edition, make_user)  # A: 2 confirmed; B: 1 confirmed, 1 waiting
    with app.app_context():
        edition = db.session.scalars(select(Edition)).one()
        assert notifications_service.reminder_counts(
            edition
        ) == notifications_service.ReminderCounts(due=3, sent=0)
        assert notifications_service.send_reminders(edition) == 3
        db.session.commit()
        assert notifications_service.send_reminders(edition) == 0  # the double click
        db.session.commit()
        assert notifications_service.reminder_counts(
            edition
        ) == notifications_service.ReminderCounts(due=0, sent=3)
        mails = _reminders()
        assert sorted(m.recipient for m in mails) == _confirmed_emails()
        mail = mails[0]
        registration = db.session.scalar(
            select(Registration).where(Registration.email == mail.recipient)
        )
        assert registration.reminder_sent_at is not None
        assert "Reminder: Kyrgyz Speech Contest 2027 on " in mail.subject
        body = mail.body_text
        assert registration.participant_number in body
        assert "13:30" in body and "大使館" in body and "Embassy" in body
        assert "/contest/2027/me" in body
        weekday = "月火水木金土日"[edition.event_date.weekday()]  # the day moves with today's date
        assert edition.event_date.strftime(f"%Y年%-m月%-d日({weekday})") in body  # in Japanese
        assert edition.event_date.strftime("%a %-d %b %Y") in body  # and in English: Sat 2 Jan 2027


def test_someone_confirmed_later_is_reminded_on_the_next_run(app, make_edition, make_user):
    _populate(app, make_edition, make_user)
    with app.app_context():
        edition = db.session.scalars(select(Edition)).one()
        notifications_service.send_reminders(edition)
        seated = db.session.scalars(
            select(Registration).where(
                Registration.division_id == edition.divisions[1].id,
                Registration.status == "confirmed",
            )
        ).one()
        registration_service.withdraw(seated)  # the waiting person is offered the seat and takes it
        (offered,) = db.session.scalars(
            select(Registration).where(Registration.status == "offered")
        ).all()
        registration_service.confirm_offer(offered)
        assert notifications_service.reminder_counts(
            edition
        ) == notifications_service.ReminderCounts(due=1, sent=2)
        assert notifications_service.send_reminders(edition) == 1
        assert _reminders()[-1].recipient == offered.email


def test_the_event_time_is_left_out_when_unknown_and_nothing_is_sent_after_the_day(
    app, make_edition, make_user
):
    _populate(app, make_edition, make_user, capacities=(5,), people=1)
    with app.app_context():
        edition = db.session.scalars(select(Edition)).one()
        edition.event_time = None
        notifications_service.send_reminders(edition)
        body = _reminders()[0].body_text
        assert "Time:" not in body and "\nVenue: Embassy" in body
        edition.event_date = date.today() - timedelta(days=2)
        with pytest.raises(notifications_service.EventOver):
            notifications_service.send_reminders(edition)


def test_two_runs_at_once_remind_nobody_twice(app, make_edition, make_user):
    _populate(app, make_edition, make_user, capacities=(20,), people=12)
    start = threading.Barrier(4)

    def run(_n: int) -> int:
        with app.app_context():
            edition = db.session.scalars(select(Edition)).one()
            start.wait()
            count = notifications_service.send_reminders(edition)
            db.session.commit()
            db.session.remove()
            return count

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(run, range(4)))
    assert sum(counts) == 12
    with app.app_context():
        assert sorted(m.recipient for m in _reminders()) == _confirmed_emails()


def test_cli_sends_when_the_contest_is_near(app, make_edition, make_user):
    _populate(app, make_edition, make_user)  # the contest is 30 days away
    runner = app.test_cli_runner()
    result = runner.invoke(args=["contest", "send-reminders"])
    assert result.exit_code == 0 and "no contest within 3 days" in result.output
    result = runner.invoke(args=["contest", "send-reminders", "--days-before", "30"])
    assert result.exit_code == 0 and "2027: reminders queued: 3" in result.output, result.output
    result = runner.invoke(args=["contest", "send-reminders", "--days-before", "30"])
    assert "2027: reminders queued: 0" in result.output
    with app.app_context():
        assert len(_reminders()) == 3


def test_organizer_sends_reminders_from_the_console(app, client, auth, make_edition):
    ids = make_edition()
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    auth.logout()
    auth.login("organizer")
    headers = {"Accept-Language": "en"}
    page = visible_text(
        client.get("/contest/console/2027/", headers=headers).get_data(as_text=True)
    )
    assert "Still to send: 1. Already sent: 0." in page
    response = client.post("/contest/console/2027/reminders")
    assert response.status_code == 302 and response.location.endswith("/contest/console/2027/")
    page = visible_text(
        client.get("/contest/console/2027/", headers=headers).get_data(as_text=True)
    )
    assert "1 reminder is on its way." in page
    assert "Still to send: 0. Already sent: 1." in page
    client.post("/contest/console/2027/reminders")
    page = visible_text(
        client.get("/contest/console/2027/", headers=headers).get_data(as_text=True)
    )
    assert "Every confirmed participant has already had a reminder." in page
    with app.app_context():
        assert len(_reminders()) == 1


def test_edition_settings_take_the_start_time(app, client, auth, make_edition):
    make_edition()
    auth.login("organizer")
    response = client.post("/contest/console/2027/settings", data={
        "year": "2027", "title_ja": "大会 2027", "title_en": "Contest 2027",
        "registration_opens_at": "2027-04-01T10:00", "registration_closes_at": "2027-06-30T23:59",
        "event_date": "2027-09-20", "event_time": "13:30", "hold_hours": "72", "published": "y",
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Edition)).one().event_time == time(13, 30)
    page = client.get("/contest/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "13:30" in page
