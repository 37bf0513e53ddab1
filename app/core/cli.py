"""Commands that belong to no single feature: demo data, the mail outbox, uploaded media."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.extensions import db

DEMO_PASSWORD = "sabak-demo"

mail_cli = AppGroup("mail", help="The mail outbox.")


@mail_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to send in one pass.")
@click.option("--watch", is_flag=True, help="Keep running, sending due messages every few seconds.")
@click.option(
    "--interval", default=10, show_default=True, help="Seconds between passes with --watch."
)
def send_mail(limit: int, watch: bool, interval: int) -> None:
    """Send queued mail that is due; failures stay queued and are retried with backoff."""
    from app.core.mail import deliver_pending

    while True:
        report = deliver_pending(limit=limit)
        if report.sent or report.retrying or report.failed or not watch:
            click.echo(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")
        if not watch:
            return
        time.sleep(interval)


@mail_cli.command("prune")
def prune_mail() -> None:
    """Delete sent and failed mail older than MAIL_KEEP_DAYS (a daily job; the policy says a year)."""
    from app.core.mail import prune_sent

    removed = prune_sent()
    db.session.commit()
    click.echo(f"deleted {removed} old messages")


media_cli = AppGroup("media", help="Uploaded recordings.")


@media_cli.command("move-to-database")
@click.option(
    "--delete", is_flag=True, help="Delete each local file once its copy is read back and equal."
)
def move_media_to_database(delete: bool) -> None:
    """Copy this host's uploaded recordings (instance/media/) into the database store.

    Safe to re-run and to run on every host: a file already in the database with the same bytes is
    skipped, one with other bytes is reported and left alone. Each copy is committed and read back
    before it counts; local files stay unless --delete is given.
    """
    from app.core.storage import DatabaseStorage, folder_storage

    source, target = folder_storage(), DatabaseStorage()
    copied = present = conflicts = deleted = 0
    for key in source.list_keys():
        blob = source.get(key)
        if blob is None:
            continue
        existing = target.get(key)
        if existing is None:
            target.put(key, blob.data, blob.content_type)
            db.session.commit()
            existing = target.get(key)
            if existing is None or existing.data != blob.data:
                raise click.ClickException(f"{key} did not read back equal; stopped")
            copied += 1
        elif existing.data == blob.data:
            present += 1
        else:
            conflicts += 1
            click.echo(f"{key}: the database holds other bytes under this name; left alone")
            continue
        if delete:
            source.delete(key)
            deleted += 1
    click.echo(
        f"copied {copied}, already there {present}, conflicts {conflicts}, deleted locally {deleted}"
    )
    if current_app.config.get("MEDIA_STORAGE") != "database":
        click.echo("SABAK_MEDIA_STORAGE is not 'database': the app still reads the folder.")


@click.command("seed-demo")
@with_appcontext
@click.option("--force", is_flag=True, help="Seed even though the app is not in debug mode.")
def seed_demo(force: bool) -> None:
    """Create the demo accounts and demo data (idempotent; never for production)."""
    if not (current_app.debug or current_app.testing or force):
        raise click.ClickException(
            "seed-demo creates accounts with a published password; run it in debug mode "
            "(flask --debug seed-demo) or pass --force on a machine that is not production."
        )
    from app.core.seed import seed_demo_data

    for line in seed_demo_data(password=DEMO_PASSWORD):
        click.echo(line)
    db.session.commit()


speech_cli = AppGroup("speech", help="This host's cache of synthetic speech.")


@speech_cli.command("warm")
def warm_speech() -> None:
    """Synthesise every word and example sentence of the published lessons, and the minimal
    pairs, that isn't in this host's cache yet: for a new host, or after a course import, so
    that nobody waits for espeak-ng (a course deck's first download did, 15 s)."""
    from sqlalchemy import select

    from app.core.media import speech_cache
    from app.kyrgyz.minimal_pairs import KNOWN_PAIRS
    from app.kyrgyz.speech import SpeechError, SpeechUnavailable, synthesize
    from app.lessons.models import Item, Lesson

    rows = db.session.execute(
        select(Item.ky, Item.example_ky)
        .join(Lesson, Item.lesson_id == Lesson.id)
        .where(Lesson.published.is_(True), Lesson.retired.is_(False), Item.retired.is_(False))
    )
    texts = {text for row in rows for text in row if text}
    texts |= {word.ky for pair in KNOWN_PAIRS for word in (pair.first, pair.second)}
    made = cached = failed = 0
    started = time.monotonic()
    timeout = current_app.config["SPEECH_TIMEOUT"]
    for text in sorted(texts):
        try:
            result = synthesize(text, speech_cache(), timeout=timeout)
        except SpeechUnavailable as error:
            raise click.ClickException(str(error)) from error
        except (ValueError, SpeechError):
            failed += 1
            continue
        if result.cached:
            cached += 1
        else:
            made += 1
    seconds = time.monotonic() - started
    click.echo(f"made {made}, already cached {cached}, failed {failed} in {seconds:.1f} s")


def init_app(app: Flask) -> None:
    """Register the commands of core and of the features."""
    from app.auth.cli import users_cli

    app.cli.add_command(mail_cli)
    app.cli.add_command(media_cli)
    app.cli.add_command(speech_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(users_cli)
