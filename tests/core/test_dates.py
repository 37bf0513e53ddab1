"""Dates written one way, in the reader's language and in Japan time, relative where people expect it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.core.dates import (
    format_date,
    format_datetime,
    format_time,
    minutes_until,
    relative_date,
    tokyo_to_utc,
)

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 10:00 in Tokyo
TOKYO = ZoneInfo("Asia/Tokyo")
DEADLINE = datetime(2026, 11, 25, 14, 59, tzinfo=UTC)  # Wednesday 23:59 in Tokyo
FILTERS = (
    "{{ m|datetime }} | {{ m|date }} | {{ m|time }} | {{ soon|relative_date }} | "
    "{{ far|relative_date }} | {{ far|relative_date(always=True) }}"
)


@pytest.mark.parametrize(
    ("locale", "moment", "day", "clock"),
    [
        ("ja", "2026年11月25日(水) 23:59", "2026年11月25日(水)", "23:59"),
        ("en", "Wed 25 Nov 2026, 23:59", "Wed 25 Nov 2026", "23:59"),
    ],
)
def test_a_moment_is_written_one_way_per_language(app_ctx, locale, moment, day, clock):
    with force_locale(locale):
        assert format_datetime(DEADLINE) == moment
        assert format_date(DEADLINE) == day
        assert format_date(date(2026, 11, 25)) == day
        assert format_time(DEADLINE) == clock


@pytest.mark.parametrize(
    ("utc", "ja", "en"),
    [
        # 15:00 UTC is already the next day in Tokyo (UTC+9)
        (
            datetime(2027, 1, 30, 15, 0, tzinfo=UTC),
            "2027年1月31日(日) 0:00",
            "Sun 31 Jan 2027, 00:00",
        ),
        (
            datetime(2027, 1, 30, 14, 59, tzinfo=UTC),
            "2027年1月30日(土) 23:59",
            "Sat 30 Jan 2027, 23:59",
        ),
        # the last minutes of the year in UTC are a morning of the new year in Japan
        (
            datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
            "2027年1月1日(金) 8:30",
            "Fri 1 Jan 2027, 08:30",
        ),
    ],
)
def test_moments_near_midnight_utc_fall_on_the_day_of_japan(app_ctx, utc, ja, en):
    for locale, expected in (("ja", ja), ("en", en)):
        with force_locale(locale):
            assert format_datetime(utc) == expected


def test_a_day_with_its_japan_start_time_reads_like_a_moment(app_ctx):
    with force_locale("ja"):
        assert format_datetime(date(2027, 1, 31), time(13, 0)) == "2027年1月31日(日) 13:00"
        assert format_datetime(date(2027, 1, 31), None) == "2027年1月31日(日)"
        assert format_time(time(9, 5)) == "9:05"
    with force_locale("en"):
        assert format_datetime(date(2027, 1, 31), time(13, 0)) == "Sun 31 Jan 2027, 13:00"
        assert format_time(time(9, 5)) == "09:05"


def test_no_moment_is_a_dash(app_ctx):
    assert format_datetime(None) == format_date(None) == format_time(None) == "—"
    assert relative_date(None, NOW) == ""


@pytest.mark.parametrize(
    ("delta", "ja", "en"),
    [
        (timedelta(hours=13), "今日", "today"),  # 23:00 in Tokyo
        (timedelta(hours=15), "明日", "tomorrow"),  # past midnight in Tokyo, same day in UTC
        (timedelta(days=3), "3日後", "in 3 days"),
        (timedelta(days=6), "6日後", "in 6 days"),
        (timedelta(days=6, hours=-9), "6日後", "in 6 days"),
        (timedelta(hours=-10), "今日", "today"),  # 0:00 in Tokyo, the day before in UTC
        (timedelta(hours=-10, minutes=-1), "昨日", "yesterday"),  # 23:59 the day before in Tokyo
        (timedelta(days=-2), "2日前", "2 days ago"),
        (timedelta(days=7), "2026年12月10日(木)", "Thu 10 Dec 2026"),
        (timedelta(days=40), "2027年1月12日(火)", "Tue 12 Jan 2027"),
    ],
)
def test_relative_days_count_in_japan(app_ctx, delta, ja, en):
    for locale, expected in (("ja", ja), ("en", en)):
        with force_locale(locale):
            assert relative_date(NOW + delta, NOW) == expected


def test_beside_a_date_shown_the_distance_is_counted_however_far(app_ctx):
    with force_locale("ja"):
        assert relative_date(NOW + timedelta(days=12), NOW, always=True) == "12日後"
        assert relative_date(NOW - timedelta(days=30), NOW, always=True) == "30日前"
    with force_locale("en"):
        assert relative_date(NOW + timedelta(days=12), NOW, always=True) == "in 12 days"
        assert relative_date(date(2026, 12, 4), NOW) == "tomorrow"


def test_minutes_until_rounds_up_and_is_at_least_one():
    assert minutes_until(NOW + timedelta(minutes=9, seconds=1), NOW) == 10
    assert minutes_until(NOW + timedelta(minutes=10), NOW) == 10
    assert minutes_until(NOW + timedelta(seconds=5), NOW) == 1
    assert minutes_until(NOW - timedelta(seconds=5), NOW) == 1


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "ja",
            "2026年12月3日(木) 10:00 | 2026年12月3日(木) | 10:00 | 3日後 | 2026年12月13日(日) | 10日後",
        ),
        (
            "en",
            "Thu 3 Dec 2026, 10:00 | Thu 3 Dec 2026 | 10:00 | in 3 days | Sun 13 Dec 2026 | in 10 days",
        ),
    ],
)
def test_templates_show_moments_through_one_filter_family_and_one_clock(
    app, monkeypatch, locale, expected
):
    # the filters are the app's, not one blueprint's; patching app.core.dates.now moves them all
    monkeypatch.setattr("app.core.dates.now", lambda: NOW)
    with app.test_request_context(), force_locale(locale):
        shown = render_template_string(
            FILTERS, m=NOW, soon=NOW + timedelta(days=3), far=NOW + timedelta(days=10)
        )
    assert shown == expected


def test_no_template_formats_a_date_by_hand():
    # machine formats (<time datetime>, form inputs) may stay ISO; what people read goes through
    # |datetime, |date, |time or |relative_date
    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in root.rglob("*.*"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            readable = re.sub(r'datetime="[^"]*"', "", line).replace(
                "strftime('%Y-%m-%dT%H:%M')", ""
            )
            if any(
                old in readable
                for old in ("strftime", "isoformat", "|dateformat", "|datetimeformat", "|tokyo")
            ):
                offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == []


def test_a_moment_typed_in_japan_time_is_stored_in_utc():
    assert tokyo_to_utc(datetime(2026, 12, 3, 10, 0)) == NOW
    assert tokyo_to_utc(datetime(2026, 12, 3, 10, 0, tzinfo=TOKYO)) == NOW
