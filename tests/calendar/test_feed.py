"""The personal calendar feed: its secret link, what it lists (and for whom), its cost."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from app.auth.models import User
from app.calendar.models import CalendarFeed
from app.calendar.services import token_hash
from app.contest import registration as contest_registration
from app.contest.models import Division, Edition
from app.core.dates import TOKYO
from app.core.dbtypes import utcnow
from app.events import attendance as attendance_service
from app.events import events as events_service
from app.events import volunteers as volunteer_service
from app.events.models import EventKind, Shift
from app.extensions import db
from tests.factories.contest import details
from tests.factories.users import UserInfo
from tests.helpers import count_queries

FEED_URL = re.compile(r'value="(http://localhost/calendar/([A-Za-z0-9_-]+)\.ics)"')


def make_link(client: FlaskClient) -> tuple[str, str]:
    """Create the signed-in user's link; (path of the feed, token)."""
    response = client.post("/calendar/new", data={"confirmed": "1"}, follow_redirects=True)
    assert response.status_code == 200
    match = FEED_URL.search(response.get_data(as_text=True))
    assert match, "the new link is shown"
    return f"/calendar/{match.group(2)}.ics", match.group(2)


def entries(client: FlaskClient, path: str) -> dict[str, Any]:
    """The feed's VEVENTs by UID."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "private" in response.headers["Cache-Control"]
    calendar = Calendar.from_ical(response.data)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def two_classes(
    progress_class: Callable[..., Any], make_assignment: Callable[..., int]
) -> dict[str, Any]:
    """Two classes, each with a student and an assignment due 23:59 Japan time."""
    due = datetime(2027, 5, 10, 23, 59, tzinfo=TOKYO).astimezone(UTC)
    mine = progress_class(students=1, slug="mine")
    other = progress_class(students=1, slug="other")
    return {
        "mine": mine,
        "other": other,
        "my_assignment": make_assignment(mine.id, title="Өзүм жөнүндө", due_at=due),
        "other_assignment": make_assignment(other.id, title="Менин үйүм", due_at=due),
        "due": due,
    }


def test_a_student_sees_their_deadlines_and_no_other_class(
    client: FlaskClient, auth: Any, two_classes: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.core.dates.now", lambda: datetime(2027, 5, 1, tzinfo=UTC))
    auth.login(user=two_classes["mine"].students[0])
    path, _token = make_link(client)
    auth.logout()  # calendar apps don't sign in

    found = entries(client, path)

    mine = found[f"assignment-{two_classes['my_assignment']}@sabak"]
    assert f"assignment-{two_classes['other_assignment']}@sabak" not in found
    assert "Өзүм жөнүндө" in str(mine["summary"])
    assert "Менин үйүм" not in client.get(path).get_data(as_text=True)
    start = mine.decoded("dtstart")
    assert start == datetime(2027, 5, 10, 14, 59, tzinfo=UTC)  # 23:59 in Tokyo is 14:59 UTC
    assert b"DTSTART:20270510T145900Z" in client.get(path).data  # written in UTC
    assert str(mine["url"]).endswith(f"/progress/assignments/{two_classes['my_assignment']}")


def test_a_teacher_sees_the_deadlines_of_the_classes_they_teach(
    client: FlaskClient, auth: Any, two_classes: dict[str, Any]
) -> None:
    auth.login(user=two_classes["mine"].teacher)
    path, _token = make_link(client)

    found = entries(client, path)

    entry = found[f"assignment-{two_classes['my_assignment']}@sabak"]
    assert str(entry["url"]).endswith("/overview")
    assert f"assignment-{two_classes['other_assignment']}@sabak" not in found


def test_the_uid_stays_the_same_so_calendar_apps_update_the_entry(
    client: FlaskClient, auth: Any, two_classes: dict[str, Any]
) -> None:
    auth.login(user=two_classes["mine"].students[0])
    path, _token = make_link(client)
    assert entries(client, path).keys() == entries(client, path).keys()


def test_a_new_link_and_turning_off_make_the_old_link_404(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    user = auth.login()
    first, _token = make_link(client)
    assert client.get(first).status_code == 200

    second, _ = make_link(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200

    assert client.post("/calendar/off").status_code == 200  # asks first
    assert client.get(second).status_code == 200
    client.post("/calendar/off", data={"confirmed": "1"})
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    with app.app_context():
        assert db.session.get(CalendarFeed, user.id) is None


def test_only_the_hash_of_the_token_is_stored_and_the_link_is_shown_once(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    user = auth.login()
    _path, token = make_link(client)
    with app.app_context():
        feed = db.session.get_one(CalendarFeed, user.id)
        assert feed.token_hash == token_hash(token)
        assert token not in feed.token_hash
    page = client.get("/calendar/").get_data(as_text=True)
    assert token not in page
    assert "Create a new link" in page


def test_replacing_a_link_asks_first(client: FlaskClient, auth: Any) -> None:
    auth.login()
    path, _ = make_link(client)
    response = client.post("/calendar/new")
    assert response.status_code == 200
    assert "Create a new link?" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_the_feed_of_an_inactive_account_is_gone(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    user = auth.login()
    path, _ = make_link(client)
    with app.app_context():
        db.session.get_one(User, user.id).active = False
        db.session.commit()
    assert client.get(path).status_code == 404


def _contest_registration(app: Flask, user: UserInfo, year: int) -> None:
    with app.app_context():
        edition = db.session.scalars(select(Edition).where(Edition.year == year)).one()
        edition.event_time = time(13, 30)
        division = db.session.scalars(
            select(Division).where(Division.edition_id == edition.id, Division.letter == "A")
        ).one()
        contest_registration.register(
            edition, division, db.session.get_one(User, user.id), details()
        )
        db.session.commit()


def _event_with_seat_and_shift(app: Flask, user: UserInfo, n: int) -> None:
    day = utcnow().astimezone(TOKYO).date() + timedelta(days=10 + n)
    with app.app_context():
        event = events_service.create_event(
            kind=EventKind.CONCERT,
            title_ja=f"コムズの夕べ {n}",
            title_en=f"An evening of komuz {n}",
            title_ky="Комуз кечеси",
            published=True,
            capacity=20,
            withdraw_hours=48,
        )
        events_service.add_session(
            event, day=day, starts=time(13), ends=time(15), venue_name="大使館ホール",
            venue_address="東京都目黒区", map_url="",
        )  # fmt: skip
        role = volunteer_service.add_role(
            event, name_ja="受付", name_en="Reception desk", name_ky="",
            requirements_ja="", requirements_en="",
        )  # fmt: skip
        shift = volunteer_service.add_shift(
            role,
            events_service.japan_moment(day, time(12)),
            events_service.japan_moment(day, time(16)),
            3,
        )
        person = db.session.get_one(User, user.id)
        attendance_service.reserve(
            event, name=person.display_name, email=person.email, language="en", user=person,
            now=utcnow(),
        )  # fmt: skip
        volunteer_service.sign_up(db.session.get_one(Shift, shift.id), person, utcnow())
        db.session.commit()


def test_contest_day_events_and_shifts_in_the_feed_with_japan_times(
    app: Flask,
    client: FlaskClient,
    auth: Any,
    make_edition: Callable[..., dict[str, int]],
) -> None:
    make_edition(year=2031)
    user = auth.login()
    _contest_registration(app, user, 2031)
    _event_with_seat_and_shift(app, user, 1)
    path, _ = make_link(client)

    found = entries(client, path)

    contest = found["contest-2031@sabak"]
    start = contest.decoded("dtstart")
    assert start.astimezone(TOKYO).time() == time(13, 30)
    assert "Embassy" in str(contest["location"])
    sessions = [e for uid, e in found.items() if uid.startswith("event-session-")]
    shifts = [e for uid, e in found.items() if uid.startswith("volunteer-shift-")]
    assert len(sessions) == 1 and len(shifts) == 1
    assert sessions[0].decoded("dtstart").astimezone(TOKYO).time() == time(13)
    assert "Reception desk" in str(shifts[0]["summary"])


def test_a_student_is_reminded_of_an_open_registration_until_they_register(
    app: Flask, client: FlaskClient, auth: Any, make_edition: Callable[..., dict[str, int]]
) -> None:
    make_edition(year=2032)
    user = auth.login()
    path, _ = make_link(client)
    assert "contest-registration-closes-2032@sabak" in entries(client, path)
    _contest_registration(app, user, 2032)
    found = entries(client, path)
    assert "contest-registration-closes-2032@sabak" not in found
    assert "contest-2032@sabak" in found


def test_the_feed_costs_the_same_queries_however_much_it_lists(
    app: Flask,
    client: FlaskClient,
    auth: Any,
    progress_class: Callable[..., Any],
    make_assignment: Callable[..., int],
    make_edition: Callable[..., dict[str, int]],
) -> None:
    course_class = progress_class(students=1)
    student = course_class.students[0]
    auth.login(user=student)
    path, _ = make_link(client)
    auth.logout()
    make_assignment(course_class.id)
    _event_with_seat_and_shift(app, student, 1)
    make_edition(year=2033)
    _contest_registration(app, student, 2033)
    client.get(path)
    with count_queries(app) as few:
        assert client.get(path).status_code == 200

    for n in range(4):
        make_assignment(course_class.id, title=f"Тапшырма {n}")
    for n in range(2, 5):
        _event_with_seat_and_shift(app, student, n)
    make_edition(year=2034)
    _contest_registration(app, student, 2034)
    client.get(path)
    with count_queries(app) as many:
        response = client.get(path)
    assert len(Calendar.from_ical(response.data).walk("VEVENT")) >= 14
    assert many.count == few.count


def test_the_page_explains_and_is_in_the_account_menu(client: FlaskClient, auth: Any) -> None:
    auth.login(language="ja")
    page = client.get("/calendar/").get_data(as_text=True)
    assert 'href="/calendar/"' in page
    assert "カレンダー連携" in page
    assert client.post("/calendar/new", follow_redirects=True).status_code == 200
    page = client.get("/calendar/").get_data(as_text=True)
    assert "webcal://" not in page  # shown once, right after it is made


def test_the_webcal_link_is_shown_with_the_new_link(client: FlaskClient, auth: Any) -> None:
    auth.login()
    response = client.post("/calendar/new", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert 'href="webcal://localhost/calendar/' in page
    assert response.headers["Cache-Control"] == "no-store"


def test_the_page_needs_a_signed_in_user(client: FlaskClient) -> None:
    assert client.get("/calendar/").status_code == 302
    assert client.post("/calendar/new").status_code in (302, 400)


def test_deleting_the_account_deletes_the_feed(app: Flask, client: FlaskClient, auth: Any) -> None:
    from app.privacy import erasure

    user = auth.login()
    path, _ = make_link(client)
    with app.app_context():
        erasure.delete_account(db.session.get_one(User, user.id))
        db.session.commit()
        assert db.session.get(CalendarFeed, user.id) is None
    assert client.get(path).status_code == 404
