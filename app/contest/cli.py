"""`flask contest ...`: jobs for cron."""

from __future__ import annotations

import click

from app.contest import notifications as notifications_service
from app.contest import seats as seats_service
from app.contest.views import bp
from app.core.dbtypes import utcnow
from app.extensions import db

__all__ = ["bp"]


@bp.cli.command("expire-holds")
def expire_holds_command() -> None:
    """Pass on the seats whose 72-hour hold ran out (run it from cron, e.g. every 10 minutes)."""
    count = seats_service.expire_holds()
    db.session.commit()
    click.echo(f"expired holds: {count}")


@bp.cli.command("send-reminders")
@click.option(
    "--days-before",
    default=3,
    show_default=True,
    type=click.IntRange(min=0),
    help="Remind when the contest is at most this many days away (Japan time).",
)
def send_reminders_command(days_before: int) -> None:
    """Remind confirmed participants of a contest that is near (run it daily from cron).

    Only those not reminded yet get one, so daily runs also reach people confirmed late.
    """
    now = utcnow()
    editions = notifications_service.editions_to_remind(now, days_before)
    if not editions:
        click.echo(f"no contest within {days_before} days")
    for edition in editions:
        count = notifications_service.send_reminders(edition, now)
        db.session.commit()
        click.echo(f"{edition.year}: reminders queued: {count}")
