"""`flask contest ...`: jobs for cron."""

from __future__ import annotations

import click

from app.contest import services
from app.contest.views import bp
from app.extensions import db

__all__ = ["bp"]


@bp.cli.command("expire-holds")
def expire_holds_command() -> None:
    """Pass on the seats whose 72-hour hold ran out (run it from cron, e.g. every 10 minutes)."""
    count = services.expire_holds()
    db.session.commit()
    click.echo(f"expired holds: {count}")
