"""A volunteer's events data follows the privacy rules: in "download my data", gone with the account."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import func, select

from app.auth import services as accounts
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
