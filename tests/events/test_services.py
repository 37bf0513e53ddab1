"""The events services called directly: seats and the waiting list, shifts, withdrawal, reminders,
hours and certificates, calendars, finding volunteers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import User
from app.core.dbtypes import utcnow
from app.core.models import OutboxMessage
from app.events import attendance as attendance_service
from app.events import calendar, notifications
from app.events import certificates as certificate_service
from app.events import events as events_service
from app.events import volunteers as volunteer_service
from app.events.errors import (
    AlreadyReserved,
    NotTakingReservations,
    ShiftClosed,
    TooLateToWithdraw,
)
from app.events.models import Event, Shift
from app.extensions import db
from app.lessons.models import CourseClass, Enrollment
from tests.factories.users import DEFAULT_PASSWORD
from tests.pdftools import pdf_text, require_poppler


def _user(n: int, **overrides) -> User:
    values = dict(email=f"v{n}@example.org", password=DEFAULT_PASSWORD, display_name=f"Volunteer {n}",
                  roles=("student",), language="ja")  # fmt: skip
    values.update(overrides)
    return accounts.create_user(**values)


def _mail(topic: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == topic)).all())


def _reserve(event: Event, n: int, now: datetime | None = None):
    return attendance_service.reserve(
        event, name=f"来場者 {n}", email=f"Guest{n}@Example.net", language="ja", user=None,
        now=now or utcnow(),
    )  # fmt: skip


def test_seats_then_waiting_list_then_the_freed_seat_goes_to_the_first_waiting(app_ctx, make_event):
    event = db.session.get(Event, make_event(seats=2)["event"])
    first, second, third, fourth = (_reserve(event, n) for n in range(4))
    assert [a.status for a in (first, second, third, fourth)] == [
        "confirmed", "confirmed", "waitlisted", "waitlisted",
    ]  # fmt: skip
    assert first.email == "guest0@example.net"
    assert len(_mail("events_reserved")) == 2 and len(_mail("events_waitlisted")) == 2
    seats = attendance_service.seats(event)
    assert (seats.left, seats.taken, seats.waiting) == (0, 2, 2)

    promoted = attendance_service.cancel(second, utcnow())
    assert promoted == [third] and third.status == "confirmed" and fourth.status == "waitlisted"
    assert [m.recipient for m in _mail("events_promoted")] == ["guest2@example.net"]
    assert len(_mail("events_cancelled")) == 1


def test_one_reservation_per_address_and_none_once_the_event_began(app_ctx, make_event):
    ids, no_seats_ids = make_event(seats=5), make_event(seats=None)
    event = db.session.get(Event, ids["event"])
    _reserve(event, 1)
    with pytest.raises(AlreadyReserved):
        _reserve(event, 1)
    with pytest.raises(NotTakingReservations):
        _reserve(event, 2, now=event.starts_at + timedelta(minutes=1))
    no_seats = db.session.get(Event, no_seats_ids["event"])
    with pytest.raises(NotTakingReservations):
        _reserve(no_seats, 3)


def test_more_seats_go_to_the_waiting_list(app_ctx, make_event):
    event = db.session.get(Event, make_event(seats=1)["event"])
    _reserve(event, 1)
    waiting = _reserve(event, 2)
    assert attendance_service.set_capacity(event, 2) == [waiting]
    assert waiting.status == "confirmed"


def test_check_in_twice_is_harmless(app_ctx, make_event):
    event = db.session.get(Event, make_event(seats=1)["event"])
    organizer = _user(99, roles=("organizer",))
    attendance = _reserve(event, 1)
    assert attendance_service.check_in(attendance, organizer, utcnow()) is True
    assert attendance_service.check_in(attendance, organizer, utcnow()) is False
    assert attendance_service.attendance_by_ticket(attendance.ticket_secret) is attendance


def test_session_times_are_japan_time(app_ctx, make_event):
    event = db.session.get(Event, make_event()["event"])
    session = event.sessions[0]
    assert session.starts_at.astimezone(UTC).hour == 4  # 13:00 in Tokyo
    with pytest.raises(ValueError):
        events_service.add_session(event, day=session.starts_at.date(), starts=time(15),
                                   ends=time(14), venue_name="x")  # fmt: skip


def test_sign_up_mails_the_details_and_withdrawal_has_a_deadline(app_ctx, make_event):
    ids = make_event(days=10)
    shift = db.session.get(Shift, ids["shift"])
    user = _user(1)
    signup = volunteer_service.sign_up(shift, user, utcnow())
    (mail,) = _mail("events_shift_confirmed")
    assert mail.recipient == user.email and "受付" in mail.body_text
    assert volunteer_service.my_signups(user) == [signup]

    late = volunteer_service.withdraw_deadline(shift) + timedelta(minutes=1)
    with pytest.raises(TooLateToWithdraw):
        volunteer_service.withdraw(signup, late)
    volunteer_service.withdraw(signup, utcnow())
    assert signup.status == "withdrawn" and volunteer_service.my_signups(user) == []
    assert len(_mail("events_shift_withdrawn")) == 1
    # the place is free again, and the same person may come back
    volunteer_service.sign_up(shift, user, utcnow())
    assert volunteer_service.filled([shift.id]) == {shift.id: 1}


def test_no_sign_up_once_the_shift_began_or_for_an_unpublished_event(app_ctx, make_event):
    ids, hidden_ids = make_event(), make_event(published=False)
    shift = db.session.get(Shift, ids["shift"])
    with pytest.raises(ShiftClosed):
        volunteer_service.sign_up(shift, _user(1), shift.starts_at)
    hidden = db.session.get(Shift, hidden_ids["shift"])
    with pytest.raises(ShiftClosed):
        volunteer_service.sign_up(hidden, _user(2), utcnow())


def test_reminders_go_the_day_before_once(app_ctx, make_event):
    tomorrow_ids, later_ids = make_event(days=1), make_event(days=3)
    tomorrow = db.session.get(Shift, tomorrow_ids["shift"])
    later = db.session.get(Shift, later_ids["shift"])
    volunteer_service.sign_up(tomorrow, _user(1), utcnow())
    volunteer_service.sign_up(later, _user(2), utcnow())
    withdrawn = volunteer_service.sign_up(tomorrow, _user(3), utcnow())
    withdrawn.status = "withdrawn"
    db.session.flush()
    assert notifications.send_reminders() == 1
    assert notifications.send_reminders() == 0
    (mail,) = _mail("events_shift_reminder")
    assert mail.recipient == "v1@example.org"


def test_hours_and_a_bilingual_certificate(app_ctx, make_event):
    require_poppler()
    event = db.session.get(Event, make_event()["event"])
    shift = db.session.get(Shift, event.roles[0].shifts[0].id)
    organizer = _user(99, roles=("organizer",))
    volunteer = _user(1, display_name="山田 花子")
    other = _user(2)
    signup = volunteer_service.sign_up(shift, volunteer, utcnow())
    volunteer_service.sign_up(shift, other, utcnow())
    volunteer_service.record_minutes(signup, 150, organizer, utcnow())
    assert signup.checked_in_at is not None  # hours imply arrival
    assert certificate_service.issue_all(event, organizer, utcnow()) == 1  # only who has hours
    certificate = certificate_service.certificate_of(event, volunteer)
    assert certificate is not None and certificate.minutes == 150
    assert certificate_service.certificate_of(event, other) is None
    text = pdf_text(certificate_service.pdf(certificate))
    for expected in (
        "感謝状",
        "ЫРААЗЫЧЫЛЫККАТ",
        "山田花子",
        "2時間30分",
        "2саат30мүнөт",
        "コムズの夕べ",
    ):
        assert expected in text, expected
    (record,) = volunteer_service.volunteer_record(volunteer)
    assert record.minutes == 150 and record.event is event


def test_course_students_come_first_when_looking_for_volunteers(app_ctx, make_course, make_class,
                                                               make_user):  # fmt: skip
    outsider = _user(1, display_name="Aoki outsider")
    student = _user(2, display_name="Yamada student")
    db.session.commit()
    course = make_course()
    teacher = make_user(roles=("teacher",))
    make_class(course, teacher)
    class_id = db.session.scalar(select(CourseClass.id))
    db.session.add(Enrollment(class_id=class_id, user_id=student.id))
    db.session.flush()
    found = volunteer_service.candidates("o")
    names = [c.user.display_name for c in found]
    assert names.index("Yamada student") < names.index("Aoki outsider")
    assert [c.course_student for c in found if c.user.id in (student.id, outsider.id)] == [
        True,
        False,
    ]


def test_a_call_to_a_class_lists_the_open_shifts(app_ctx, make_event, make_course, make_class,
                                                 make_user):  # fmt: skip
    event = db.session.get(Event, make_event(needed=3)["event"])
    students = (make_user(), make_user())
    course = make_course()
    make_class(course, make_user(roles=("teacher",)), students=students)
    course_class = db.session.scalar(select(CourseClass))
    assert volunteer_service.call_class(event, course_class, "よろしくお願いします") == 2
    mails = _mail("events_call")
    assert sorted(m.recipient for m in mails) == sorted(s.email for s in students)
    assert "3" in mails[0].body_text and "よろしくお願いします" in mails[0].body_text


def test_calendars_hold_the_sessions_and_the_shifts(app_ctx, make_event):
    event = db.session.get(Event, make_event()["event"])
    data = calendar.events_ics([event], name="Events", language="en", url_of={}, now=utcnow())
    (entry,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(entry["summary"]) == "An evening of komuz"
    assert entry.decoded("dtstart") == event.sessions[0].starts_at
    assert "大使館ホール" in str(entry["location"])
    shift = event.roles[0].shifts[0]
    signup = volunteer_service.sign_up(shift, _user(1), utcnow())
    data = calendar.shifts_ics([signup], name="Mine", language="ja", url="", now=utcnow())
    (entry,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(entry["summary"]) == "受付 — コムズの夕べ"
    assert entry.decoded("dtend") == shift.ends_at


def test_the_reminder_job_runs_from_the_command_line_and_twice_is_harmless(app, make_event,
                                                                          make_user):  # fmt: skip
    ids = make_event(days=1)
    user = make_user()
    with app.app_context():
        shift = db.session.get(Shift, ids["shift"])
        volunteer_service.sign_up(shift, db.session.get(User, user.id), utcnow())
        db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["events", "send-reminders"]).output == "reminded: 1\n"
    assert runner.invoke(args=["events", "send-reminders"]).output == "reminded: 0\n"
    with app.app_context():
        (mail,) = _mail("events_shift_reminder")
        assert "/events/me" in mail.body_text
