"""Factories for the events tests: an event with a session, seats, a role and a shift."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask

from app.core.dates import TOKYO
from app.core.dbtypes import utcnow
from app.events import events as events_service
from app.events import volunteers as volunteer_service
from app.events.models import EventKind
from app.extensions import db


def japan_day(days: int) -> datetime:
    """Midnight, Japan time, `days` from today."""
    return datetime.combine(utcnow().astimezone(TOKYO).date() + timedelta(days=days), time(0))


@pytest.fixture
def make_event(app: Flask) -> Callable[..., dict[str, Any]]:
    """An event `days` ahead (13:00–15:00 Japan time) with `seats` and a shift for `needed`."""

    def factory(
        *, days: int = 10, seats: int | None = 5, needed: int = 3, published: bool = True
    ) -> dict[str, Any]:
        day = japan_day(days).date()
        with app.app_context():
            event = events_service.create_event(
                kind=EventKind.CONCERT,
                title_ja="コムズの夕べ",
                title_en="An evening of komuz",
                title_ky="Комуз кечеси",
                published=published,
                capacity=seats,
                withdraw_hours=48,
            )
            events_service.add_session(
                event,
                day=day,
                starts=time(13),
                ends=time(15),
                venue_name="大使館ホール",
                venue_address="東京都目黒区",
                map_url="https://example.org/map",
            )
            role = volunteer_service.add_role(
                event, name_ja="受付", name_en="Reception desk", name_ky="Кабыл алуу",
                requirements_ja="", requirements_en="Smile",
            )  # fmt: skip
            shift = volunteer_service.add_shift(
                role,
                events_service.japan_moment(day, time(12)),
                events_service.japan_moment(day, time(15)),
                needed,
            )
            ids = {"event": event.id, "role": role.id, "shift": shift.id, "day": day}
            db.session.commit()
            db.session.remove()
        return ids

    return factory
