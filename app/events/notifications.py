"""Mail of the events blueprint: reservations, shifts, reminders the day before, calls to a class."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.core.dates import TOKYO
from app.core.dbtypes import utcnow
from app.core.i18n import mail_languages
from app.core.mail import queue_template_mail
from app.events.models import Attendance, Shift, ShiftSignup, SignupStatus
from app.extensions import db


def mail_context() -> AbstractContextManager[object]:
    """Mail is also sent from the command line: render it in a request for SITE_URL then."""
    if has_request_context():
        return nullcontext()
    base = current_app.config.get("SITE_URL") or "http://localhost:5000"
    return current_app.test_request_context(base_url=base)


def send_attendance(attendance: Attendance, template: str, **context: Any) -> None:
    """A bilingual message about a reservation, with the link to its ticket."""
    with mail_context():
        link = url_for("events.ticket", ticket=attendance.ticket_secret, _external=True)
        queue_template_mail(
            attendance.email,
            template,
            language=mail_languages(attendance.language),
            attendance=attendance,
            event=attendance.event,
            link=link,
            **context,
        )


def send_signup(signup: ShiftSignup, template: str) -> None:
    """A bilingual message to a volunteer about their shift, with the link to their shifts."""
    with mail_context():
        link = url_for("events.my_shifts", _external=True)
        queue_template_mail(
            signup.user.email,
            template,
            language=mail_languages(signup.user.language),
            timezone=signup.user.timezone,
            signup=signup,
            shift=signup.shift,
            role=signup.shift.role,
            event=signup.shift.event,
            name=signup.user.display_name,
            link=link,
        )


def send_reminders(now: datetime | None = None) -> int:
    """Remind every volunteer whose shift is tomorrow (Japan time); returns how many.

    One UPDATE ... WHERE reminder_sent_at IS NULL ... RETURNING claims the sign-ups, so running it
    twice, or on two hosts at once, reminds nobody twice.
    """
    now = now or utcnow()
    tomorrow = now.astimezone(TOKYO).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), TOKYO)
    shift_ids = select(Shift.id).where(
        Shift.starts_at >= start, Shift.starts_at < start + timedelta(days=1)
    )
    claimed = db.session.scalars(
        update(ShiftSignup)
        .where(
            ShiftSignup.shift_id.in_(shift_ids),
            ShiftSignup.status == SignupStatus.CONFIRMED,
            ShiftSignup.reminder_sent_at.is_(None),
        )
        .values(reminder_sent_at=now)
        .returning(ShiftSignup.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    signups = db.session.scalars(
        select(ShiftSignup)
        .where(ShiftSignup.id.in_(claimed))
        .options(selectinload(ShiftSignup.shift).selectinload(Shift.role))
        .order_by(ShiftSignup.id)
        .execution_options(populate_existing=True)
    ).all()
    for signup in signups:
        send_signup(signup, "events_shift_reminder")
    return len(signups)
