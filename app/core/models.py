"""The mail outbox (mail is queued in the same transaction as the change that causes it) and
uploaded files kept in the database."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.dbtypes import UTCDateTime, utcnow
from app.extensions import Model


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Model):
    """One e-mail waiting to be sent, sent, or given up on after its retries."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who/what caused the message, for the admin's eyes and for idempotent senders.
    topic: Mapped[str] = mapped_column(String(50), default="")

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status} to={self.recipient}>"


class PageCacheGeneration(Model):
    """How many committed transactions have written a table: a page drawn from it is stale once
    its number has moved (used when there is no Redis)."""

    __tablename__ = "page_cache_generations"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


class StoredFile(Model):
    """An uploaded file kept in the database (`SABAK_MEDIA_STORAGE=database`), so every app host
    reads the same recordings; see `app/core/storage.py`."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<StoredFile {self.key} {self.size} bytes>"
