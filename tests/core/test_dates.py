"""Dates the way people say them, in both languages, in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.core.dates import minutes_until, spoken_date, tokyo_to_utc

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
TOKYO = ZoneInfo("Asia/Tokyo")
MOMENTS = "{{ m|japan_time }} | {{ m|tokyo }} | {{ soon|from_now }}"


@pytest.mark.parametrize(
    ("delta", "ja", "en"),
    [
        (timedelta(hours=13), "今日", "today"),  # 23:00 in Tokyo
        (timedelta(hours=15), "明日", "tomorrow"),  # past midnight in Tokyo, same day in UTC
        (timedelta(days=3), "3日後", "in 3 days"),
        (timedelta(days=6), "6日後", "in 6 days"),
        (timedelta(days=6, hours=-9), "6日後", "in 6 days"),
        (timedelta(days=-1), "昨日", "yesterday"),
        (timedelta(days=-2), "2日前", "2 days ago"),
        (timedelta(days=7), "12月10日", "Dec 10"),
        (timedelta(days=40), "2027年1月12日", "Jan 12, 2027"),
    ],
)
def test_spoken_dates(app_ctx, delta, ja, en):
    for locale, expected in (("ja", ja), ("en", en)):
        with force_locale(locale):
            assert spoken_date(NOW + delta, NOW, TOKYO) == expected


def test_no_date_is_empty(app_ctx):
    assert spoken_date(None, NOW, TOKYO) == ""


def test_minutes_until_rounds_up_and_is_at_least_one():
    assert minutes_until(NOW + timedelta(minutes=9, seconds=1), NOW) == 10
    assert minutes_until(NOW + timedelta(minutes=10), NOW) == 10
    assert minutes_until(NOW + timedelta(seconds=5), NOW) == 1
    assert minutes_until(NOW - timedelta(seconds=5), NOW) == 1


def test_every_page_shows_moments_in_japan_time_by_one_clock(app, monkeypatch):
    # the filters are the app's, not one blueprint's; patching app.core.dates.now moves them all
    monkeypatch.setattr("app.core.dates.now", lambda: NOW)
    with app.test_request_context(), force_locale("en"):
        shown = render_template_string(MOMENTS, m=NOW, soon=NOW + timedelta(days=3))
    assert shown == "Thu, Dec 3, 2026 10:00 | 2026-12-03 10:00 | in 3 days"


def test_a_moment_typed_in_japan_time_is_stored_in_utc():
    assert tokyo_to_utc(datetime(2026, 12, 3, 10, 0)) == NOW
    assert tokyo_to_utc(datetime(2026, 12, 3, 10, 0, tzinfo=TOKYO)) == NOW
