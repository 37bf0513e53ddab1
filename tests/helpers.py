"""Test helpers: count SQL queries, read the visible text of a page."""

from __future__ import annotations

import io
import math
import struct
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, ClassVar

from flask import Flask
from sqlalchemy import event

from app.extensions import db


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(app: Flask) -> Iterator[QueryLog]:
    """Count the SQL statements the app runs inside the block."""
    with app.app_context():
        engine = db.engine
    log = QueryLog()

    def before_cursor_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        log.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def kept_in_process(app: Flask) -> bool:
    """Whether each process keeps what the generations prove current (the signed-in person,
    `page_cache.shared_value`): on SQLite and with Redis; on PostgreSQL without Redis they are
    read on every request."""
    from app.core import page_cache

    with app.app_context():
        return bool(app.config["PAGE_CACHE_SECONDS"]) and page_cache.store().generations_are_cheap()


def queries_for(app: Flask, client: Any, url: str) -> int:
    """How many SQL statements one GET of `url` runs (after a warm-up request)."""
    client.get(url)
    with count_queries(app) as log:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return log.count


class _TextExtractor(HTMLParser):
    SKIP: ClassVar[set[str]] = {"script", "style"}
    ATTRS: ClassVar[set[str]] = {"placeholder", "aria-label", "title", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    """The text a reader sees (and hears from a screen reader) on a page."""
    parser = _TextExtractor()
    parser.feed(html)
    return "\n".join(parser.parts)


def wav_bytes(seconds: float = 0.2, rate: int = 8000) -> bytes:
    """A real (tiny) WAV file: a 440 Hz tone."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * n / rate)))
                for n in range(int(seconds * rate))
            )
        )
    return buffer.getvalue()
