"""`flask events ...`: the daily reminder job."""

from __future__ import annotations

import click

from app.events import notifications
from app.events.views import bp
from app.extensions import db


@bp.cli.command("send-reminders")
def send_reminders() -> None:
    """Remind the volunteers whose shift is tomorrow (Japan time); safe to run again."""
    count = notifications.send_reminders()
    db.session.commit()
    click.echo(f"reminded: {count}")
