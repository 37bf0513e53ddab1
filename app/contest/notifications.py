"""Mail to registrants: the bilingual messages, reminders before the contest day, division mail."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.contest.editions import TOKYO, event_over
from app.contest.errors import ContestError
from app.contest.models import Division, Edition, Registration, Status
from app.core.dbtypes import utcnow
from app.core.i18n import mail_languages
from app.core.mail import queue_mail, queue_template_mail
from app.extensions import db


class EventOver(ContestError):
    """The day of the contest has passed (no more reminders)."""


def email_division(division: Division, subject: str, body: str, statuses: Iterable[str]) -> int:
    """Queue one message to each registration of the division in `statuses`; returns how many."""
    recipients = db.session.scalars(
        select(Registration.email)
        .where(Registration.division_id == division.id, Registration.status.in_(list(statuses)))
        .distinct()
        .order_by(Registration.email)
    ).all()
    for recipient in recipients:
        queue_mail(recipient, subject.strip(), body.strip() + "\n", topic="contest_announcement")
    return len(recipients)


@dataclass(frozen=True)
class ReminderCounts:
    """Confirmed participants still to be reminded of the contest, and those already reminded."""

    due: int
    sent: int


def reminder_counts(edition: Edition) -> ReminderCounts:
    """Both counts in one query."""
    total, sent = db.session.execute(
        select(func.count(), func.count(Registration.reminder_sent_at)).where(
            Registration.edition_id == edition.id, Registration.status == Status.CONFIRMED
        )
    ).one()
    return ReminderCounts(due=total - sent, sent=sent)


def send_reminders(edition: Edition, now: datetime | None = None) -> int:
    """Queue a reminder to each confirmed participant not yet reminded; returns how many.

    One UPDATE ... WHERE reminder_sent_at IS NULL ... RETURNING claims the rows: a second run at
    the same time (a double click, cron and an organizer) waits for the first one's row locks
    (PostgreSQL) or write lock (SQLite), then finds them claimed, so nobody gets two.
    """
    now = now or utcnow()
    if event_over(edition, now):
        raise EventOver()
    claimed = db.session.scalars(
        update(Registration)
        .where(
            Registration.edition_id == edition.id,
            Registration.status == Status.CONFIRMED,
            Registration.reminder_sent_at.is_(None),
        )
        .values(reminder_sent_at=now)
        .returning(Registration.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.id.in_(claimed))
        .options(selectinload(Registration.division), selectinload(Registration.edition))
        .order_by(Registration.id)
        .execution_options(populate_existing=True)
    ).all()
    for registration in registrations:
        send(registration, "contest_reminder")
    return len(registrations)


def editions_to_remind(now: datetime, days_before: int) -> list[Edition]:
    """Published editions whose contest day (Japan time) is today or at most `days_before` away."""
    today = now.astimezone(TOKYO).date()
    return list(
        db.session.scalars(
            select(Edition)
            .where(
                Edition.published.is_(True),
                Edition.event_date >= today,
                Edition.event_date <= today + timedelta(days=days_before),
            )
            .order_by(Edition.year)
        )
    )


def _mail_context() -> AbstractContextManager[object]:
    """Mail is also sent from the command line: render it in a request for SITE_URL then."""
    if has_request_context():
        return nullcontext()
    base = current_app.config.get("SITE_URL") or "http://localhost:5000"
    return current_app.test_request_context(base_url=base)


def send(registration: Registration, template: str, **context: Any) -> None:
    """One bilingual message: the registrant's language first, then Japanese (or English)."""
    languages = mail_languages(registration.language)
    with _mail_context():
        link = url_for("contest.my_registration", year=registration.edition.year, _external=True)
        queue_template_mail(
            registration.email,
            template,
            language=languages,
            registration=registration,
            edition=registration.edition,
            division=registration.division,
            link=link,
            **context,
        )
