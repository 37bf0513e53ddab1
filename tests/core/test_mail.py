"""The mail outbox: queued with the change, delivered later, never lost when SMTP is down."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.core.dbtypes import utcnow
from app.core.mail import deliver_pending, queue_mail
from app.core.models import MailStatus, OutboxMessage
from app.extensions import db


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def smtp_settings(app, smtp_server):
    controller, _inbox = smtp_server
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    return app


def all_messages():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_mail_is_queued_only_when_the_transaction_commits(app_ctx):
    queue_mail("a@example.org", "kept", "body")
    db.session.commit()
    queue_mail("b@example.org", "rolled back", "body")
    db.session.rollback()
    assert [m.subject for m in all_messages()] == ["kept"]


def test_smtp_delivery(smtp_settings, smtp_server, app_ctx):
    _controller, inbox = smtp_server
    queue_mail("hanako@example.org", "Саламатсызбы — こんにちは", "Кош келиңиз!\nようこそ。")
    db.session.commit()
    report = deliver_pending()
    assert report.sent == 1
    [received] = inbox.messages
    assert received["To"] == "hanako@example.org"
    assert received["Subject"] == "Саламатсызбы — こんにちは"
    assert "Кош келиңиз!" in received.get_content()
    [message] = all_messages()
    assert message.status == MailStatus.SENT and message.sent_at is not None
    # a second pass sends nothing again
    assert deliver_pending().sent == 0
    assert len(inbox.messages) == 1


def test_smtp_down_keeps_messages_queued_and_retries_with_backoff(app_ctx):
    app_ctx.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    queue_mail("a@example.org", "one", "body")
    queue_mail("b@example.org", "two", "body")
    db.session.commit()
    start = utcnow()
    report = deliver_pending(now=start)
    assert report.retrying == 2 and report.sent == 0
    first, _second = all_messages()
    assert first.status == MailStatus.QUEUED and first.attempts == 1
    assert first.last_error and "Connection" in first.last_error
    assert first.next_attempt_at == start + timedelta(seconds=60)
    # not due yet: nothing is tried
    assert deliver_pending(now=start + timedelta(seconds=30)) == type(report)()
    # the second failure waits twice as long
    deliver_pending(now=start + timedelta(seconds=61))
    first, _ = all_messages()
    assert first.attempts == 2
    assert first.next_attempt_at == start + timedelta(seconds=61 + 120)


def test_server_back_up_delivers_the_queue(app_ctx, smtp_server):
    controller, inbox = smtp_server
    app_ctx.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    queue_mail("a@example.org", "waiting", "body")
    db.session.commit()
    start = utcnow()
    deliver_pending(now=start)
    app_ctx.config["SMTP_PORT"] = controller.port
    assert deliver_pending(now=start + timedelta(hours=1)).sent == 1
    assert [m["Subject"] for m in inbox.messages] == ["waiting"]


def test_message_fails_for_good_after_max_attempts(app_ctx):
    app_ctx.config.update(
        MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), MAIL_MAX_ATTEMPTS=3
    )
    queue_mail("a@example.org", "doomed", "body")
    db.session.commit()
    moment = utcnow()
    for _ in range(3):
        deliver_pending(now=moment)
        moment += timedelta(days=1)
    [message] = all_messages()
    assert message.status == MailStatus.FAILED and message.attempts == 3
    assert deliver_pending(now=moment + timedelta(days=30)).failed == 0


def test_file_backend_writes_eml_files(app_ctx, tmp_path):
    app_ctx.config["MAIL_DIR"] = str(tmp_path / "outbox")
    queue_mail("a@example.org", "Тест", "Кыргызча текст")
    db.session.commit()
    assert deliver_pending().sent == 1
    [path] = (tmp_path / "outbox").glob("*.eml")
    parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Тест" and "Кыргызча текст" in parsed.get_content()


def test_flask_mail_send_command(app, smtp_server, smtp_settings):
    _controller, inbox = smtp_server
    with app.app_context():
        queue_mail("a@example.org", "from the cli", "body")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert [m["Subject"] for m in inbox.messages] == ["from the cli"]


def test_flask_mail_prune_keeps_a_year_and_the_queue(app):
    with app.app_context():
        old, recent, waiting = (queue_mail(f"{n}@example.org", n, "body") for n in "abc")
        db.session.flush()
        long_ago = utcnow() - timedelta(days=400)
        old.status, old.created_at = MailStatus.SENT, long_ago
        recent.status, recent.created_at = MailStatus.SENT, utcnow() - timedelta(days=300)
        waiting.created_at = long_ago  # still queued: never deleted before it is sent
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "prune"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 old messages" in result.output
    with app.app_context():
        left = db.session.scalars(select(OutboxMessage.recipient)).all()
        assert sorted(left) == ["b@example.org", "c@example.org"]


@pytest.mark.postgres_only
def test_two_senders_at_once_send_each_message_exactly_once(app, monkeypatch):
    """`flask mail send` from cron and an inline delivery at the same moment: SKIP LOCKED
    lets each take different rows, and no message reaches anyone twice."""
    with app.app_context():
        for n in range(30):
            queue_mail(f"to{n}@example.org", f"件名 {n}", "本文\n")
        db.session.commit()
        ids = set(db.session.scalars(select(OutboxMessage.id)))
        db.session.remove()
    sent: list[tuple[str, int]] = []
    lock = threading.Lock()

    class SlowTransport:
        """Takes a moment per message, as a real mail server does, and records who sent what."""

        def send(self, email, message) -> None:
            time.sleep(0.02)
            with lock:
                sent.append((threading.current_thread().name, message.id))

    monkeypatch.setattr("app.core.mail.transport", SlowTransport)
    start = threading.Barrier(2)

    def sender() -> int:
        with app.app_context():
            start.wait()
            try:
                return deliver_pending().sent
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sender") as pool:
        counts = list(pool.map(lambda _: sender(), range(2)))
    assert sorted(message_id for _thread, message_id in sent) == sorted(ids)
    assert sum(counts) == len(ids)
    assert all(counts), "both senders worked, each on rows the other skipped"
    with app.app_context():
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
        assert statuses == [MailStatus.SENT] * len(ids)
