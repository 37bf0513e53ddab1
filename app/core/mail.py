"""Mail: queue in the outbox inside the caller's transaction; deliver later with retries."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Protocol

from flask import current_app, g, render_template
from flask_babel import force_locale
from sqlalchemy import delete, select

from app.core.dates import use_zone
from app.core.dbtypes import utcnow
from app.core.models import MailStatus, OutboxMessage
from app.extensions import db

log = logging.getLogger("sabak.mail")

MAX_BACKOFF = timedelta(hours=6)


def queue_mail(
    recipient: str, subject: str, body_text: str, *, body_html: str | None = None, topic: str = ""
) -> OutboxMessage:
    """Add a message to the outbox; it is sent only if the caller's transaction commits."""
    message = OutboxMessage(
        recipient=recipient, subject=subject, body_text=body_text, body_html=body_html, topic=topic
    )
    db.session.add(message)
    db.session.flush()
    g.setdefault("queued_mail_ids", []).append(message.id)
    return message


BILINGUAL_SEPARATOR = "\n\n―――――――――――――――――――――――――\n\n"


def render_template_mail(
    template: str, language: str, timezone: str | None = None, **context: Any
) -> tuple[str, str]:
    """(subject, body) of templates/mail/<template>.txt in `language`, its moments in the
    recipient's `timezone` (Japan time if unknown); its first line is the subject."""
    with force_locale(language), use_zone(timezone):
        rendered = render_template(f"mail/{template}.txt", language=language, **context).strip()
    subject, _, body = rendered.partition("\n")
    return subject.strip(), body.strip()


def queue_template_mail(
    recipient: str,
    template: str,
    *,
    language: str | tuple[str, ...],
    timezone: str | None = None,
    topic: str = "",
    **context: Any,
) -> OutboxMessage:
    """Render a mail template and queue it; several languages make one message, each in turn
    (subjects joined by " / "), for readers whose language we don't know for sure."""
    languages = (language,) if isinstance(language, str) else language
    parts = [render_template_mail(template, each, timezone, **context) for each in languages]
    subject = " / ".join(part[0] for part in parts)
    body = BILINGUAL_SEPARATOR.join(part[1] for part in parts)
    return queue_mail(recipient, subject, body + "\n", topic=topic or template)


def build_email(message: OutboxMessage) -> EmailMessage:
    """The RFC 5322 message for an outbox row; its Message-ID is stable across retries."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = f"<outbox-{message.id}-{int(message.created_at.timestamp())}@sabak>"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


class Transport(Protocol):
    def send(self, email: EmailMessage, message: OutboxMessage) -> None: ...


class FileTransport:
    """Development: every message becomes an .eml file in the mail folder."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = message.created_at.strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{message.id:06d}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(email))
        tmp.replace(path)


class SMTPTransport:
    """Production: an SMTP server, optionally with STARTTLS or SSL and a login."""

    def __init__(self, config: Any) -> None:
        self.config = config

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        c = self.config
        smtp_class = smtplib.SMTP_SSL if c["SMTP_SSL"] else smtplib.SMTP
        with smtp_class(c["SMTP_HOST"], int(c["SMTP_PORT"]), timeout=c["SMTP_TIMEOUT"]) as smtp:
            if c["SMTP_STARTTLS"]:
                smtp.starttls()
            if c["SMTP_USER"]:
                smtp.login(c["SMTP_USER"], c["SMTP_PASSWORD"] or "")
            smtp.send_message(email)


def transport() -> Transport:
    """The transport the configuration asks for."""
    if current_app.config["MAIL_BACKEND"] == "smtp":
        return SMTPTransport(current_app.config)
    return FileTransport(current_app.config["MAIL_DIR"])


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base, ... capped at six hours."""
    base = timedelta(seconds=current_app.config["MAIL_RETRY_BASE_SECONDS"])
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _claim_next(now: datetime, only_ids: list[int] | None) -> OutboxMessage | None:
    """Lock the next due message; concurrent senders skip each other's rows."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if only_ids is not None:
        query = query.where(OutboxMessage.id.in_(only_ids))
    return db.session.scalars(query).first()


def deliver_pending(
    *, limit: int = 100, now: datetime | None = None, only_ids: list[int] | None = None
) -> DeliveryReport:
    """Send due messages one by one, committing each; failures are retried later with backoff."""
    sender = transport()
    sent = retrying = failed = 0
    for _ in range(limit):
        moment = now or utcnow()
        message = _claim_next(moment, only_ids)
        if message is None:
            break
        message.attempts += 1
        try:
            sender.send(build_email(message), message)
        except Exception as error:  # any failure of the mail server keeps the message queued
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
                message.status = MailStatus.FAILED
                failed += 1
                log.error("mail %s to %s failed for good: %s", message.id, message.recipient, error)
            else:
                message.next_attempt_at = moment + retry_delay(message.attempts)
                retrying += 1
                log.warning(
                    "mail %s to %s will be retried: %s", message.id, message.recipient, error
                )
        else:
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        db.session.commit()
        if only_ids is not None:
            only_ids = [i for i in only_ids if i != message.id]
    return DeliveryReport(sent=sent, retrying=retrying, failed=failed)


def deliver_inline_after_request() -> None:
    """In development, deliver what this request queued right away (never failing the request)."""
    ids = g.pop("queued_mail_ids", None)
    if not ids or not current_app.config["MAIL_DELIVER_INLINE"]:
        return
    try:
        deliver_pending(only_ids=list(ids))
    except Exception:
        db.session.rollback()
        log.exception("inline mail delivery failed; the messages stay in the outbox")


def prune_sent(now: datetime | None = None) -> int:
    """Delete sent and failed mail older than MAIL_KEEP_DAYS, as the privacy policy promises."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["MAIL_KEEP_DAYS"])
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status != MailStatus.QUEUED, OutboxMessage.created_at < cutoff
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
