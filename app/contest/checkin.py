"""Check-in on the contest day: finding a ticket, marking arrival and the gift handed over."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.contest.errors import WrongState
from app.contest.models import Edition, Registration, Status
from app.contest.registration import RegistrationFilter, registration_search
from app.core.dbtypes import utcnow
from app.extensions import db


def registration_by_ticket(secret: str) -> Registration | None:
    """The registration whose QR ticket holds `secret`."""
    return db.session.scalar(
        select(Registration)
        .where(Registration.ticket_secret == secret)
        .options(selectinload(Registration.division), selectinload(Registration.edition))
    )


def checkin_search(edition: Edition, query: str, limit: int = 20) -> list[Registration]:
    """Confirmed participants matching a name, furigana, Latin name or number."""
    if not query.strip():
        return []
    stmt = registration_search(edition, RegistrationFilter(query=query, status=Status.CONFIRMED))
    return list(db.session.scalars(stmt.limit(limit)))


def check_in(registration: Registration, by: User, *, now: datetime | None = None) -> bool:
    """Record arrival; True if newly checked in, False if already (scanning twice is harmless)."""
    if registration.status != Status.CONFIRMED:
        raise WrongState(registration.status)
    if registration.checked_in_at is not None:
        return False
    registration.checked_in_at = now or utcnow()
    registration.checked_in_by_id = by.id
    db.session.flush()
    return True


def give_gift(registration: Registration, by: User, *, now: datetime | None = None) -> bool:
    """Record that the participation gift was handed over (which implies arrival)."""
    now = now or utcnow()
    check_in(registration, by, now=now)
    if registration.gift_given_at is not None:
        return False
    registration.gift_given_at = now
    db.session.flush()
    return True
