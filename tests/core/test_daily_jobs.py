"""The daily jobs run on every app host at once (docs/deployment.md: each host has the same
timers) without doing anything twice: holds expire once, each reminder and each e-mail goes once,
old mail is deleted once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.auth.models import User
from app.contest import registration as registration_service
from app.contest.models import Edition, Registration, Status
from app.core.dbtypes import utcnow
from app.core.models import MailStatus, OutboxMessage
from app.events import volunteers as volunteer_service
from app.events.models import Shift, ShiftSignup
from app.extensions import db
from tests.conftest import test_settings as base_settings
from tests.events.conftest import make_event  # noqa: F401  (the events' factory, as a fixture)
from tests.factories.contest import details

HOSTS = 3
JOBS = [
    ["contest", "expire-holds"],
    ["contest", "send-reminders", "--days-before", "60"],
    ["events", "send-reminders"],
    ["mail", "send"],
    ["mail", "prune"],
]
OLD_MAIL = 4


@pytest.fixture
def settings() -> dict[str, Any]:
    """Every host keeps a few connections; mail goes to one folder, so every copy is counted."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 5, "max_overflow": 5}}


def _due_work(app: Flask, make_edition, make_event, make_user) -> dict[str, Any]:  # noqa: F811
    """A contest within 60 days with 3 confirmed people and a seat held past its time (a, then b
    waiting), 3 volunteers on tomorrow's shift, queued mail from all that, and old sent mail."""
    ids = make_edition(capacities=(1, 5))
    event_ids = make_event(days=1, needed=3)
    people = [make_user() for _ in range(6)]
    with app.app_context():
        edition = db.session.get(Edition, ids["edition"])
        edition.event_time = time(13, 30)
        one_seat, roomy = edition.divisions[0], edition.divisions[1]
        users = [db.session.get(User, info.id) for info in people]
        long_ago = utcnow() - timedelta(hours=80)
        seated, held, waiting = (
            registration_service.register(edition, one_seat, user, details(), language="ja")
            for user in users[:3]
        )
        registration_service.withdraw(seated, now=long_ago)  # the hold ran out 8 hours ago
        for user in users[3:]:
            registration_service.register(edition, roomy, user, details(), language="ja")
        shift = db.session.get(Shift, event_ids["shift"])
        for user in users[3:]:
            volunteer_service.sign_up(shift, user, utcnow())
        for n in range(OLD_MAIL):
            db.session.add(
                OutboxMessage(
                    recipient=f"old{n}@example.org", subject="old", body_text="old",
                    status=MailStatus.SENT, created_at=utcnow() - timedelta(days=400),
                    sent_at=utcnow() - timedelta(days=400),
                )
            )  # fmt: skip
        db.session.commit()
        assert held.status == Status.OFFERED and held.hold_expires_at < utcnow()
        work = {"held": held.id, "waiting": waiting.id, "edition": edition.id}
        db.session.remove()
    return work


def _host(database_url: str, tmp_path: Path, name: str, monkeypatch, settings) -> Flask:
    """Another app host: its own instance folder, the same database and mail folder."""
    monkeypatch.setenv("SABAK_INSTANCE_PATH", str(tmp_path / name))
    host = create_app(base_settings(database_url, tmp_path) | settings)
    monkeypatch.setenv("SABAK_INSTANCE_PATH", str(tmp_path / "instance"))
    return host


@pytest.mark.postgres_only
def test_every_daily_job_on_several_hosts_at_once_does_each_thing_once(
    app,
    database_url,
    tmp_path,
    monkeypatch,
    settings,
    make_edition,
    make_event,  # noqa: F811  (the fixture imported above)
    make_user,
):
    work = _due_work(app, make_edition, make_event, make_user)
    hosts = [app] + [
        _host(database_url, tmp_path, f"host{n}", monkeypatch, settings) for n in range(1, HOSTS)
    ]
    start = threading.Barrier(HOSTS)
    failures: list[BaseException] = []

    def run(host: Flask) -> None:
        for args in JOBS:
            start.wait(timeout=60)  # every host starts each job at the same moment
            with host.app_context():
                try:
                    host.cli.main(args=args, standalone_mode=False)
                except BaseException as error:
                    failures.append(error)
                finally:
                    db.session.remove()

    with ThreadPoolExecutor(max_workers=HOSTS) as pool:
        list(pool.map(run, hosts))
    for host in hosts[1:]:
        with host.app_context():
            db.engine.dispose()
    assert failures == []

    with app.app_context():
        held = db.session.get(Registration, work["held"])
        waiting = db.session.get(Registration, work["waiting"])
        assert held.status == Status.EXPIRED and waiting.status == Status.OFFERED
        offers = db.session.scalars(
            select(OutboxMessage.recipient).where(OutboxMessage.topic == "contest_promoted")
        ).all()
        assert sorted(offers) == sorted([held.email, waiting.email])  # one offer each
        reminders = db.session.scalars(
            select(OutboxMessage.recipient).where(OutboxMessage.topic == "contest_reminder")
        ).all()
        confirmed = db.session.scalars(
            select(Registration.email).where(Registration.status == Status.CONFIRMED)
        ).all()
        assert len(confirmed) == 3 and sorted(reminders) == sorted(confirmed)
        shift_reminders = db.session.scalars(
            select(OutboxMessage.recipient).where(OutboxMessage.topic == "events_shift_reminder")
        ).all()
        assert len(shift_reminders) == 3 == len(set(shift_reminders))
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ShiftSignup)
                .where(ShiftSignup.reminder_sent_at.is_(None))
            )
            == 0
        )
        # every queued message went out exactly once; the old ones were deleted
        messages = db.session.scalars(select(OutboxMessage)).all()
        assert not any(m.recipient.startswith("old") for m in messages)
        assert {m.status for m in messages} == {MailStatus.SENT}
        sent = Counter(
            int(path.stem.rsplit("-", 1)[1]) for path in (tmp_path / "mail").glob("*.eml")
        )
        assert sent == Counter({m.id: 1 for m in messages})
