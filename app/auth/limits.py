"""Limits on sign-in, password-reset and sign-up attempts, counted in the database.

Every gunicorn worker and every host reads the same table, so the limits hold under `make serve`
with no other service. An attempt is inserted and committed before it is counted (never read,
then written), so concurrent attempts can't all slip under a limit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from limits import parse
from sqlalchemy import Connection, delete, func, insert, select

from app.auth.models import AuthAttempt
from app.auth.services import normalize_email
from app.core.dbtypes import utcnow
from app.extensions import db

# Each action and the limits it counts against: (column, setting such as "5 per 15 minutes").
LIMITS = {
    "login": (("email", "LOGIN_LIMIT_PER_EMAIL"), ("address", "LOGIN_LIMIT_PER_ADDRESS")),
    "reset": (("email", "RESET_LIMIT_PER_EMAIL"), ("address", "RESET_LIMIT_PER_ADDRESS")),
    "signup": (("address", "SIGNUP_LIMIT_PER_ADDRESS"),),
}
PRUNE_BATCH = 100  # stale rows removed per attempt: enough to keep up, never a long delete


class TooManyAttempts(Exception):
    """A limit is reached; `retry_after` is how long until an attempt can count again."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    column: str  # "email" or "address"
    amount: int
    window: timedelta


def limits_for(action: str) -> list[Limit]:
    """The configured limits of `action`."""
    found = []
    for column, setting in LIMITS[action]:
        item = parse(current_app.config[setting])
        found.append(Limit(column, item.amount, timedelta(seconds=item.get_expiry())))
    return found


def longest_window() -> timedelta:
    """How long a row can count for anything; older rows are pruned."""
    return max(limit.window for action in LIMITS for limit in limits_for(action))


def count_attempt(action: str, *, email: str, address: str) -> None:
    """Record an attempt at `action`, then check the limits; raise TooManyAttempts if one is over.

    The row is committed in its own transaction, so other workers count it at once and a request
    that fails later can't take it back. A refused attempt is removed again: waiting ends a refusal.
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    now = utcnow()
    values = {"email": normalize_email(email)[:254], "address": address[:64]}
    with db.engine.begin() as conn:
        attempt_id = conn.execute(
            insert(AuthAttempt)
            .values(action=action, created_at=now, **values)
            .returning(AuthAttempt.id)
        ).scalar_one()
        _prune(conn, now - longest_window())
    refusal = None
    with db.engine.connect() as conn:
        for limit in limits_for(action):
            refusal = _over(conn, action, limit, values[limit.column], now, attempt_id)
            if refusal is not None:
                break
    if refusal is not None:
        with db.engine.begin() as conn:
            conn.execute(delete(AuthAttempt).where(AuthAttempt.id == attempt_id))
        raise TooManyAttempts(refusal)


def _over(
    conn: Connection, action: str, limit: Limit, key: str, now: datetime, attempt_id: int
) -> timedelta | None:
    """None while `key` is within `limit` counting this attempt, else the wait until it would be."""
    column = getattr(AuthAttempt, limit.column)
    in_window = (
        AuthAttempt.action == action,
        column == key,
        AuthAttempt.created_at > now - limit.window,
    )
    count = conn.scalar(select(func.count(AuthAttempt.id)).where(*in_window)) or 0
    if count <= limit.amount:
        return None
    # Without this attempt `count - 1` rows count; once the oldest `count - limit.amount` of them
    # have left the window, an attempt fits again.
    freed_by = conn.scalar(
        select(AuthAttempt.created_at)
        .where(*in_window, AuthAttempt.id != attempt_id)
        .order_by(AuthAttempt.created_at, AuthAttempt.id)
        .offset(count - 1 - limit.amount)
        .limit(1)
    )
    return (freed_by or now) + limit.window - now


def _prune(conn: Connection, cutoff: datetime) -> None:
    """Delete a batch of rows that no longer count; concurrent pruners skip each other's rows."""
    stale = (
        select(AuthAttempt.id)
        .where(AuthAttempt.created_at <= cutoff)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    conn.execute(delete(AuthAttempt).where(AuthAttempt.id.in_(stale.scalar_subquery())))


def forget_login_failures(email: str) -> None:
    """A successful sign-in clears the account's failures, in the request's transaction."""
    db.session.execute(
        delete(AuthAttempt).where(
            AuthAttempt.action == "login", AuthAttempt.email == normalize_email(email)[:254]
        )
    )
