"""Moments in the reader's time zone, named when it isn't Japan time; contest days stay Japan time.

A Bishkek reader (UTC+6, three hours behind Tokyo) reads a 23:59 Japan-time deadline as 20:59
Bishkek time, with the zone named; a reader in Japan reads it as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from app.auth.models import User
from app.core.dates import format_date, format_datetime, format_time, relative_date, use_zone
from app.core.models import OutboxMessage
from app.extensions import db
from tests.calendar.test_feed import _event_with_seat_and_shift
from tests.factories.users import UserInfo
from tests.helpers import visible_text

DEADLINE = datetime(2026, 11, 25, 14, 59, tzinfo=UTC)  # Wednesday 23:59 in Tokyo


def set_zone(app: Flask, user: UserInfo, zone: str) -> None:
    with app.app_context():
        db.session.get_one(User, user.id).timezone = zone
        db.session.commit()


@pytest.mark.parametrize(
    ("locale", "moment", "clock"),
    [
        ("ja", "2026年11月25日(水) 20:59（ビシュケク時間）", "20:59（ビシュケク時間）"),
        ("en", "Wed 25 Nov 2026, 20:59 (Bishkek time)", "20:59 (Bishkek time)"),
    ],
)
def test_a_bishkek_reader_reads_a_deadline_in_bishkek_time_named(app_ctx, locale, moment, clock):
    with force_locale(locale), use_zone("Asia/Bishkek"):
        assert format_datetime(DEADLINE) == moment
        assert format_time(DEADLINE) == clock
        assert format_date(DEADLINE) == format_date(date(2026, 11, 25))


def test_a_reader_in_japan_reads_it_as_before(app_ctx):
    with force_locale("ja"), use_zone("Asia/Tokyo"):
        assert format_datetime(DEADLINE) == "2026年11月25日(水) 23:59"
        assert format_datetime(DEADLINE, label=True) == "2026年11月25日(水) 23:59（日本時間）"
    with force_locale("en"):  # nobody signed in: Japan time
        assert format_datetime(DEADLINE) == "Wed 25 Nov 2026, 23:59"


def test_a_contest_start_stays_japan_time_and_says_so_elsewhere(app_ctx):
    with force_locale("en"), use_zone("Asia/Bishkek"):
        assert (
            format_datetime(date(2027, 3, 6), time(13, 30)) == "Sat 6 Mar 2027, 13:30 (Japan time)"
        )
        assert format_time(time(13, 30)) == "13:30 (Japan time)"
    with force_locale("en"), use_zone("Asia/Tokyo"):
        assert format_datetime(date(2027, 3, 6), time(13, 30)) == "Sat 6 Mar 2027, 13:30"


def test_the_day_changes_with_the_zone(app_ctx):
    """00:30 in Tokyo on the 26th is still the 25th in Bishkek (and in London)."""
    moment = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    at = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    with force_locale("en"):
        assert relative_date(moment, at) == "tomorrow"
        with use_zone("Asia/Bishkek"):
            assert relative_date(moment, at) == "today"
        with use_zone("Europe/London"):
            assert format_datetime(moment) == "Wed 25 Nov 2026, 15:30 (London time)"


def test_an_unknown_zone_falls_back_to_japan_time(app_ctx):
    with force_locale("en"), use_zone("Mars/Olympus"):
        assert format_datetime(DEADLINE) == "Wed 25 Nov 2026, 23:59"


def test_the_assignment_page_shows_each_student_their_own_zone(
    app: Flask,
    client: FlaskClient,
    auth: Any,
    progress_class: Callable[..., Any],
    make_assignment: Callable[..., int],
) -> None:
    course_class = progress_class(students=2)
    due = datetime(2031, 5, 10, 14, 59, tzinfo=UTC)  # 23:59 in Tokyo
    assignment = make_assignment(course_class.id, due_at=due)
    bishkek, tokyo = course_class.students
    set_zone(app, bishkek, "Asia/Bishkek")

    auth.login(user=bishkek)
    page = visible_text(client.get(f"/progress/assignments/{assignment}").get_data(as_text=True))
    assert "2031年5月10日(土) 20:59\nビシュケク時間 · " in page
    assert "23:59" not in page
    auth.logout()

    auth.login(user=tokyo)
    page = visible_text(client.get(f"/progress/assignments/{assignment}").get_data(as_text=True))
    assert "2031年5月10日(土) 23:59\n日本時間 · " in page
    assert "ビシュケク" not in page


def test_the_profile_says_what_the_time_zone_does(client: FlaskClient, auth: Any) -> None:
    auth.login()
    page = client.get("/auth/profile").get_data(as_text=True)
    assert (
        "Deadlines and other times on the site and in e-mails are shown in this time zone" in page
    )


def test_a_mail_is_written_in_its_recipients_zone(
    app: Flask, auth: Any, make_user: Callable[..., UserInfo]
) -> None:
    volunteer = make_user(language="en")
    set_zone(app, volunteer, "Asia/Bishkek")
    _event_with_seat_and_shift(app, volunteer, 1)  # 12:00–16:00 Japan time
    with app.app_context():
        bodies = db.session.scalars(
            select(OutboxMessage.body_text).where(OutboxMessage.recipient == volunteer.email)
        ).all()
    shift_mail = next(b for b in bodies if "Reception desk" in b)
    assert "09:00–13:00 (Bishkek time)" in shift_mail
