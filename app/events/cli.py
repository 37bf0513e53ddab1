"""`flask events ...`: the daily jobs (reminders, and deleting visitors' old reservations)."""

from __future__ import annotations

import click
from flask import current_app

from app.core import dates
from app.events import attendance, notifications
from app.events.views import bp
from app.extensions import db


@bp.cli.command("send-reminders")
def send_reminders() -> None:
    """Remind the volunteers whose shift is tomorrow (Japan time); safe to run again."""
    count = notifications.send_reminders()
    db.session.commit()
    click.echo(f"reminded: {count}")


@bp.cli.command("prune-reservations")
def prune_reservations() -> None:
    """Delete reservations made without an account EVENT_VISITOR_RESERVATION_KEEP_DAYS (90)
    after their event ended (a daily job; the privacy policy says so)."""
    days = current_app.config["EVENT_VISITOR_RESERVATION_KEEP_DAYS"]
    count = attendance.prune_visitors_reservations(dates.now(), days)
    db.session.commit()
    click.echo(f"deleted: {count} reservations made without an account, {days} days after")
