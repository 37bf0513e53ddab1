"""A volunteer's events data follows the privacy rules: in "download my data", gone with the account."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from sqlalchemy import func, select

from app.auth import services as accounts
from app.config import PROJECT_ROOT
from app.core import dates
from app.core.dbtypes import utcnow
from app.events import attendance as attendance_service
from app.events import certificates as certificate_service
from app.events import volunteers as volunteer_service
from app.events.models import Attendance, Event, Shift, ShiftSignup, VolunteerCertificate
from app.extensions import db
from app.privacy import erasure, export
from tests.factories.users import DEFAULT_PASSWORD


def _volunteer_with_history(make_event):
    ids = make_event(seats=1)
    event = db.session.get(Event, ids["event"])
    shift = db.session.get(Shift, ids["shift"])
    organizer = accounts.create_user(email="org@example.org", password=DEFAULT_PASSWORD,
                                     display_name="Org", roles=("organizer",), language="ja")  # fmt: skip
    user = accounts.create_user(email="hanako@example.org", password=DEFAULT_PASSWORD,
                                display_name="山田 花子", roles=("student",), language="ja")  # fmt: skip
    signup = volunteer_service.sign_up(shift, user, utcnow())
    volunteer_service.record_minutes(signup, 120, organizer, utcnow())
    certificate_service.issue(event, user, organizer, utcnow())
    attendance_service.reserve(event, name="山田 花子", email=user.email, language="ja",
                               user=user, now=utcnow())  # fmt: skip
    waiting = attendance_service.reserve(event, name="Next", email="next@example.net",
                                         language="ja", user=None, now=utcnow())  # fmt: skip
    db.session.commit()
    return user, waiting


def test_download_my_data_holds_reservations_shifts_hours_and_certificates(app_ctx, make_event):
    user, _waiting = _volunteer_with_history(make_event)
    with export.build_archive(user) as archive:
        data = json.loads(zipfile.ZipFile(io.BytesIO(archive.read())).read(export.DATA_FILE))
    (reservation,) = data["event_reservations"]
    assert reservation["name"] == "山田 花子" and "ticket_secret" not in reservation
    (shift,) = data["volunteer_shifts"]
    assert shift["minutes"] == 120 and shift["role"] == "Reception desk"
    assert [c["minutes"] for c in data["volunteer_certificates"]] == [120]


def test_deleting_the_account_erases_events_data_and_frees_the_seat(app_ctx, make_event):
    user, waiting = _volunteer_with_history(make_event)
    erasure.delete_account(user)
    db.session.commit()
    for model in (ShiftSignup, VolunteerCertificate):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    remaining = db.session.scalars(select(Attendance)).all()
    assert remaining == [waiting] and waiting.status == "confirmed"


def _reservations(app, make_event, *, days):
    """An event `days` from now with a reservation by an account holder and two by visitors."""
    ids = make_event(days=days, seats=2)
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        user = accounts.create_user(email="member@example.org", password=DEFAULT_PASSWORD,
                                    display_name="会員", roles=("student",), language="ja")  # fmt: skip
        for name, email, account in [("会員", user.email, user), ("来場 花子", "h@example.net", None),
                                     ("来場 次郎", "j@example.net", None)]:  # fmt: skip
            attendance_service.reserve(event, name=name, email=email, language="ja", user=account,
                                       now=utcnow())  # fmt: skip
        db.session.commit()
        return ids["event"], event.ends_at


def _left(app):
    with app.app_context():
        return sorted(db.session.scalars(select(Attendance.email)))


def test_visitors_reservations_go_ninety_days_after_the_event_members_stay(app, make_event):
    event_id, ends = _reservations(app, make_event, days=2)
    everyone = ["h@example.net", "j@example.net", "member@example.org"]
    with app.app_context():
        days = app.config["EVENT_VISITOR_RESERVATION_KEEP_DAYS"]
        assert days == 90  # what the policy says
        early = attendance_service.prune_visitors_reservations(ends + timedelta(days=89), days)
        db.session.commit()
    assert early == 0 and _left(app) == everyone
    with app.app_context():
        later = ends + timedelta(days=90, minutes=1)
        assert attendance_service.prune_visitors_reservations(later, days) == 2
        assert attendance_service.prune_visitors_reservations(later, days) == 0  # run again
        db.session.commit()
        assert db.session.get(Event, event_id) is not None
    assert _left(app) == ["member@example.org"]


def test_the_daily_job_deletes_past_visitors_reservations_and_the_policy_says_so(
    app, make_event, monkeypatch
):
    _reservations(app, make_event, days=2)
    monkeypatch.setattr(dates, "now", lambda: utcnow() + timedelta(days=100))
    result = app.test_cli_runner().invoke(args=["events", "prune-reservations"])
    assert result.exit_code == 0, result.output
    assert "deleted: 2" in result.output
    assert _left(app) == ["member@example.org"]
    for language in ("ja", "en"):
        policy = (PROJECT_ROOT / "content" / "privacy" / f"policy.{language}.md").read_text()
        assert {"ja": "90日", "en": "90 days"}[language] in policy
