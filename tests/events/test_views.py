"""The events pages through the client: the public, volunteers and organizers, each role's access."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.models import OutboxMessage
from app.events.models import Attendance, Event, ShiftSignup, VolunteerCertificate
from app.extensions import db
from app.lessons.models import CourseClass
from tests.helpers import queries_for, visible_text

ORGANIZER_PAGES = [
    "/events/console/",
    "/events/console/new",
    "/events/console/{event}",
    "/events/console/{event}/edit",
    "/events/console/{event}/roster",
    "/events/console/{event}/checkin",
]


@pytest.mark.parametrize("role", ["student", "teacher", "judge", "organizer", "admin"])
def test_the_console_is_for_organizers_and_admins(client, auth, make_event, role):
    ids = make_event()
    auth.login(role)
    allowed = role in ("organizer", "admin")
    for page in ORGANIZER_PAGES:
        response = client.get(page.format(event=ids["event"]))
        assert response.status_code == (200 if allowed else 403), (page, role)


def test_visitors_see_the_listing_the_event_and_its_calendar(client, make_event):
    ids = make_event()
    hidden = make_event(published=False)
    listing = client.get("/events/", headers={"Accept-Language": "en"}).text
    assert "An evening of komuz" in listing and listing.count("An evening of komuz") == 1
    page = client.get(f"/events/{ids['event']}", headers={"Accept-Language": "en"}).text
    assert "5 of 5 seats left" in page and "大使館ホール" in page
    assert "3 of 3 places open" in page and "Sign in to sign up" in page
    assert client.get(f"/events/{hidden['event']}").status_code == 404
    ics = client.get(f"/events/{ids['event']}.ics")
    assert ics.mimetype == "text/calendar" and b"SUMMARY" in ics.data
    feed = client.get("/events/feed.ics")
    assert feed.data.count(b"BEGIN:VEVENT") == 1  # the unpublished event is not in the feed


def test_a_visitor_reserves_a_seat_and_gets_a_ticket(app, client, make_event):
    ids = make_event(seats=1)
    bad = client.post(
        f"/events/{ids['event']}/reserve", data={"name": "来場 太郎", "email": "nope"}
    )
    assert bad.status_code == 400
    assert 'value="来場 太郎"' in bad.text and "field-error" in bad.text
    response = client.post(f"/events/{ids['event']}/reserve",
                           data={"name": "来場 太郎", "email": "taro@example.net"})  # fmt: skip
    assert response.status_code == 302
    ticket = client.get(response.location)
    assert "qr-ticket" in ticket.text
    again = client.post(f"/events/{ids['event']}/reserve",
                        data={"name": "来場 太郎", "email": "taro@example.net"})  # fmt: skip
    assert again.status_code == 409
    with app.app_context():
        (mail,) = db.session.scalars(select(OutboxMessage)).all()
        assert mail.recipient == "taro@example.net" and "/events/tickets/" in mail.body_text


def test_cancelling_a_reservation_asks_first(app, client, make_event):
    ids = make_event(seats=1)
    location = client.post(f"/events/{ids['event']}/reserve",
                           data={"name": "A", "email": "a@example.net"}).location  # fmt: skip
    ticket = location.rsplit("/", 1)[1]
    asked = client.post(f"/events/tickets/{ticket}/cancel")
    assert asked.status_code == 200 and 'name="confirmed"' in asked.text
    with app.app_context():
        assert db.session.scalar(select(Attendance.status)) == "confirmed"
    client.post(f"/events/tickets/{ticket}/cancel", data={"confirmed": "1"})
    with app.app_context():
        assert db.session.scalar(select(Attendance.status)) == "cancelled"


def test_a_student_signs_up_sees_the_shift_and_withdraws_after_confirming(app, client, auth,
                                                                         make_event):  # fmt: skip
    ids = make_event()
    assert "/auth/login" in client.post(f"/events/shifts/{ids['shift']}/sign-up").location
    user = auth.login("student")
    response = client.post(f"/events/shifts/{ids['shift']}/sign-up")
    assert response.location == "/events/me"
    mine = client.get("/events/me", headers={"Accept-Language": "en"}).text
    assert "Reception desk" in mine and "An evening of komuz" in mine
    calendar = client.get("/events/me/shifts.ics")
    assert b"Reception desk" in calendar.data and "no-store" in calendar.headers["Cache-Control"]
    with app.app_context():
        (mail,) = db.session.scalars(select(OutboxMessage)).all()
        assert mail.recipient == user.email
    asked = client.post(f"/events/shifts/{ids['shift']}/withdraw")
    assert 'name="confirmed"' in asked.text
    with app.app_context():
        assert db.session.scalar(select(ShiftSignup.status)) == "confirmed"
    client.post(f"/events/shifts/{ids['shift']}/withdraw", data={"confirmed": "1"})
    with app.app_context():
        assert db.session.scalar(select(ShiftSignup.status)) == "withdrawn"


def test_withdrawing_from_someone_elses_shift_is_404(client, auth, make_event):
    ids = make_event()
    auth.login("student")
    assert client.post(f"/events/shifts/{ids['shift']}/withdraw").status_code == 404


def test_an_organizer_builds_an_event_and_bad_input_stays_in_the_form(app, client, auth):
    auth.login("organizer")
    data = {"kind": "lecture", "title_ja": "キルギスの歴史", "title_en": "", "withdraw_hours": "48",
            "capacity": "-3"}  # fmt: skip
    bad = client.post("/events/console/new", data=data)
    assert bad.status_code == 400 and 'value="キルギスの歴史"' in bad.text
    data |= {"title_en": "The history of Kyrgyzstan", "capacity": "30", "published": "y"}
    response = client.post("/events/console/new", data=data)
    event_id = int(response.location.rsplit("/", 1)[1])
    session = {"day": "2030-05-10", "starts": "14:00", "ends": "13:00", "venue_name": "大使館"}
    bad = client.post(f"/events/console/{event_id}/sessions", data=session)
    assert bad.status_code == 400 and "field-error" in bad.text
    client.post(f"/events/console/{event_id}/sessions", data=session | {"ends": "16:00"})
    client.post(f"/events/console/{event_id}/roles",
                data={"name_ja": "通訳", "name_en": "Interpreter", "requirements_en": "Kyrgyz B1"})  # fmt: skip
    with app.app_context():
        role_id = db.session.get(Event, event_id).roles[0].id
    client.post(f"/events/console/{event_id}/shifts",
                data={"role_id": role_id, "day": "2030-05-10", "starts": "13:30", "ends": "16:00",
                      "needed": "1"})  # fmt: skip
    page = client.get(f"/events/{event_id}", headers={"Accept-Language": "en"}).text
    assert "The history of Kyrgyzstan" in page and "Interpreter" in page
    assert "30 of 30 seats left" in page and "1 of 1 places open" in page
    assert "14:00" in page  # shown in Japan time, as entered


def test_hours_check_in_and_the_certificate(app, client, auth, make_event, make_user):
    ids = make_event()
    student = make_user()
    auth.login(user=student)
    client.post(f"/events/shifts/{ids['shift']}/sign-up")
    assert client.get(f"/events/{ids['event']}/certificate.pdf").status_code == 404
    auth.logout()
    auth.login("organizer")
    with app.app_context():
        signup_id = db.session.scalar(select(ShiftSignup.id))
    bad = client.post(f"/events/console/signups/{signup_id}/hours", data={"hours": "99"})
    assert bad.status_code == 400
    assert 'value="99"' in bad.text and 'class="field-error"' in bad.text
    client.post(f"/events/console/signups/{signup_id}/hours", data={"hours": "2"})
    roster = client.get(f"/events/console/{ids['event']}/roster", headers={"Accept-Language": "en"})
    assert "Checked in at" in roster.text and 'value="2"' in roster.text
    client.post(f"/events/console/{ids['event']}/certificates")
    with app.app_context():
        assert db.session.scalar(select(VolunteerCertificate.minutes)) == 120
    auth.logout()
    auth.login(user=student)
    mine = client.get("/events/me", headers={"Accept-Language": "en"}).text
    assert "In all: 2 hours." in mine
    pdf = client.get(f"/events/{ids['event']}/certificate.pdf")
    assert pdf.data.startswith(b"%PDF-") and "no-store" in pdf.headers["Cache-Control"]
    auth.logout()
    auth.login("student")
    assert client.get(f"/events/{ids['event']}/certificate.pdf").status_code == 404


def test_the_door_checks_a_ticket_in_once(app, client, auth, make_event):
    ids = make_event(seats=2)
    location = client.post(f"/events/{ids['event']}/reserve",
                           data={"name": "来場 花子", "email": "h@example.net"}).location  # fmt: skip
    ticket = location.rsplit("/", 1)[1]
    assert "/auth/login" in client.get(f"/events/console/checkin/{ticket}").location
    auth.login("organizer")
    door = client.get(f"/events/console/{ids['event']}/checkin?q=花子").text
    assert "来場 花子" in door
    client.post(f"/events/console/checkin/{ticket}/arrive")
    again = client.post(f"/events/console/checkin/{ticket}/arrive", follow_redirects=True)
    assert re.search("already checked in", again.text)
    with app.app_context():
        assert db.session.scalar(select(Attendance.checked_in_at)) is not None


def test_organizers_find_course_students_first_and_call_a_class(app, client, auth, make_event,
                                                               make_user, make_course, make_class):  # fmt: skip
    ids = make_event()
    outsider = make_user(display_name="Aida outsider")
    student = make_user(display_name="Aida student")
    make_class(make_course(), make_user(roles=("teacher",)), students=(student,))
    auth.login("organizer")
    page = client.get(f"/events/console/{ids['event']}/roster?q=Aida",
                      headers={"Accept-Language": "en"}).text  # fmt: skip
    assert page.index("Aida student") < page.index("Aida outsider")
    client.post(f"/events/console/{ids['event']}/assign",
                data={"shift_id": ids["shift"], "user_id": outsider.id})  # fmt: skip
    with app.app_context():
        class_id = db.session.scalar(select(CourseClass.id))
        assert db.session.scalar(select(ShiftSignup.user_id)) == outsider.id
    client.post(f"/events/console/{ids['event']}/call", data={"class_id": class_id, "note": ""})
    with app.app_context():
        topics = db.session.scalars(select(OutboxMessage.recipient).where(
            OutboxMessage.topic == "events_call")).all()  # fmt: skip
        assert topics == [student.email]


def test_the_listing_the_console_and_the_roster_run_a_fixed_number_of_queries(app, client, auth,
                                                                             make_event):  # fmt: skip
    first = make_event()
    auth.login("organizer")
    urls = ["/events/", "/events/console/", f"/events/console/{first['event']}/roster"]
    before = [queries_for(app, client, url) for url in urls]
    for _ in range(4):
        make_event()
    assert [queries_for(app, client, url) for url in urls] == before


def test_the_certificate_of_appreciation_stays_japanese_and_kyrgyz(app, client, auth, make_event,
                                                                   make_user):  # fmt: skip
    from tests.pdftools import pdf_pages, require_poppler

    require_poppler()
    ids = make_event()
    volunteer = make_user(language="ky")
    auth.login(user=volunteer)
    client.post(f"/events/shifts/{ids['shift']}/sign-up")
    auth.logout()
    auth.login("organizer")
    with app.app_context():
        signup_id = db.session.scalar(select(ShiftSignup.id))
    client.post(f"/events/console/signups/{signup_id}/hours", data={"hours": "2"})
    client.post(f"/events/console/{ids['event']}/certificates")
    auth.logout()
    auth.login(user=volunteer)
    texts = []
    for language in ("ky", "en", "ja"):
        client.post("/language", data={"language": language, "next": "/"})
        texts.append(pdf_pages(client.get(f"/events/{ids['event']}/certificate.pdf").data))
    assert texts[0] == texts[1] == texts[2]
    assert "感謝状" in texts[0][0] and "2時間" in texts[0][0]


@pytest.mark.parametrize(("language", "shown"), [("en", "1.5 hours"), ("ky", "1,5")])
def test_hours_are_written_as_the_reader_writes_numbers(
    app, client, auth, make_event, make_user, language, shown
):
    ids = make_event()
    student = make_user(language=language)
    auth.login(user=student)
    client.post(f"/events/shifts/{ids['shift']}/sign-up")
    auth.logout()
    auth.login("organizer", language=language)
    with app.app_context():
        signup_id = db.session.scalar(select(ShiftSignup.id))
    recorded = client.post(
        f"/events/console/signups/{signup_id}/hours",
        data={"hours": "1.5"},
        follow_redirects=True,
    )
    assert shown in visible_text(recorded.text)
    auth.logout()
    auth.login(user=student)
    mine = visible_text(client.get("/events/me").text)
    assert shown in mine
