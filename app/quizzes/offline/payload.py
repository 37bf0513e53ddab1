"""Reading what a device sends: the answers it kept offline, checked as strictly as a form."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from app.core.inputs import CONTROL
from app.quizzes.offline.services import MAX_BATCH, OfflineAnswer

# 50 answers of 500 characters with their tokens fit in well under this.
MAX_BODY_BYTES = 256 * 1024
MAX_GIVEN = 500
MAX_TOKEN = 4_000
# Times are the device's milliseconds since 1970: before 2020 or after 2200 is not a clock.
EARLIEST_MS = 1_577_836_800_000
LATEST_MS = 7_258_118_400_000
MAX_DURATION_MS = 24 * 3600 * 1000


class PayloadError(ValueError):
    """What the device sent can't be read; the message says what (the view answers 400)."""


def _moment(value: Any, name: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadError(f"{name} must be milliseconds since 1970")
    if not EARLIEST_MS <= value <= LATEST_MS:
        raise PayloadError(f"{name} is out of range")
    return datetime.fromtimestamp(value / 1000, UTC)


def _answer(entry: Any, position: int) -> OfflineAnswer:
    where = f"answers[{position}]"
    if not isinstance(entry, dict):
        raise PayloadError(f"{where} must be an object")
    raw_id, token, given = entry.get("id"), entry.get("token"), entry.get("given", "")
    if not isinstance(raw_id, str) or len(raw_id) != 36:
        raise PayloadError(f"{where}.id must be a UUID")
    try:
        client_id = uuid.UUID(raw_id)
    except ValueError:
        raise PayloadError(f"{where}.id must be a UUID") from None
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN or not token.isascii():
        raise PayloadError(f"{where}.token is missing or malformed")
    if not isinstance(given, str) or len(given) > MAX_GIVEN:
        raise PayloadError(f"{where}.given must be text of at most {MAX_GIVEN} characters")
    if CONTROL.search(given):
        raise PayloadError(f"{where}.given contains control characters")
    duration = entry.get("duration_ms")
    if duration is not None and (
        isinstance(duration, bool)
        or not isinstance(duration, int)
        or not 0 <= duration <= MAX_DURATION_MS
    ):
        duration = None  # a time the device measured wrongly: the answer still counts
    return OfflineAnswer(
        client_id=client_id,
        token=token,
        given=given,
        answered_at=_moment(entry.get("answered_at"), f"{where}.answered_at"),
        duration_ms=duration,
    )


def parse(body: bytes) -> tuple[list[OfflineAnswer], datetime | None]:
    """The answers and the device's clock when it sent them, or PayloadError."""
    if len(body) > MAX_BODY_BYTES:
        raise PayloadError(f"too large: send at most {MAX_BATCH} answers at a time")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadError("the body must be JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), list):
        raise PayloadError("the body must be an object with a list of answers")
    answers = data["answers"]
    if len(answers) > MAX_BATCH:
        raise PayloadError(f"send at most {MAX_BATCH} answers at a time")
    sent_at = data.get("sent_at")
    return (
        [_answer(entry, position) for position, entry in enumerate(answers)],
        None if sent_at is None else _moment(sent_at, "sent_at"),
    )
