"""Who is signed in, without a statement on every request: each process keeps what the last look
at the database said of a sign-in session, for as long as nothing it was read from has changed.

Every signed-in request names its person by the cookie's "<user id>:<session id>"; loading them
(the user, their roles, the session still open and young enough) was the one statement every
signed-in page paid before its own. A process now keeps, per session id, a copy of the user and
their roles as last read, detached from any database session, with the page cache's generations
of `users`, `user_roles` and `user_sessions` at that read. It is used again only while none of
those tables has been written since — a sign-out, a password change, a role granted or taken, an
account turned off or deleted all raise one — and for at most `KEPT_SECONDS` (5), which bounds
a change whose generation could not be raised; the process that made such a change forgets its
own copies at once. The session's age is checked against the clock every time. Each request gets its own copy in its own database
session (`Session.merge(load=False)`, no statement), so nothing a view does to `current_user`
reaches another request.

Only where the generations cost no statement: on SQLite (a copy proven current by the host's
signal file) and with Redis. On PostgreSQL without Redis the generations are a statement
themselves, and the person is read as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.auth.models import User, UserRole, UserSession
from app.core import dates, page_cache
from app.core.page_cache_stores import KeptInProcess
from app.extensions import db

TABLES = frozenset(
    {User.__tablename__, UserRole.__tablename__, UserSession.__tablename__, page_cache.EVERYTHING}
)
# Built once: the statement of every signed-in request that isn't answered from the copy (its
# values are bound at each execution, and SQLAlchemy keeps its compiled form), with the roles
# joined in: one statement, not two.
SIGNED_IN_USER = (
    select(User, UserSession.created_at)
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        UserSession.id == bindparam("session_id"),
        UserSession.created_at >= bindparam("since"),
        User.active.is_(True),
    )
    .options(joinedload(User.role_links))
)
KEPT = 10_000  # sign-in sessions per process; the least recently used go first
# How long a copy is used at most: what bounds a change whose generation could not be raised (the
# bump after a commit failed: a locked SQLite file, Redis down; a write outside the app) for the
# other processes. The process that signs a session out, turns an account off or changes roles
# forgets its own copies at once.
KEPT_SECONDS = 5
_EXTENSION = "sabak_identities"


@dataclass(frozen=True)
class Known:
    user: User  # detached, never attached to a session: each request merges its own copy
    session_started: datetime
    generations: dict[str, int]
    expires: float  # the app's clock, seconds since the epoch


def identities() -> KeptInProcess:
    """This process's sign-in sessions as last read, by session id."""
    found: KeptInProcess | None = current_app.extensions.get(_EXTENSION)
    if found is None:
        found = current_app.extensions.setdefault(_EXTENSION, KeptInProcess(KEPT))
    return found


def signed_in_user(user_id: str, session_id: str, since: datetime) -> User | None:
    """The active user `user_id` of session `session_id` begun no earlier than `since`, with their
    roles, in this request's database session; from this process's copy when it is still what
    the database holds."""
    current = page_cache.cheap_generations()
    if current is None:
        user, _started = _read(session_id, since)
        return user if user is not None and str(user.id) == user_id else None
    now = dates.now().timestamp()
    kept = identities()
    known = kept.get(session_id)
    if known is not None and (
        now >= known.expires
        or any(current.get(name, 0) != value for name, value in known.generations.items())
    ):
        kept.forget(session_id)
        known = None
    if known is None:
        user, started = _read(session_id, since)
        if user is None or started is None or str(user.id) != user_id:
            return None
        kept.put(
            session_id,
            Known(
                user=_detached_copy(user),
                session_started=started,
                generations={name: current.get(name, 0) for name in TABLES},
                expires=now + min(KEPT_SECONDS, current_app.config["PAGE_CACHE_SECONDS"]),
            ),
        )
        return user
    if known.session_started < since or not known.user.active or str(known.user.id) != user_id:
        return None
    present = db.session.identity_map.get(identity_key(User, known.user.id))
    if present is not None:  # loaded already in this request: merging would undo its changes
        return present
    return db.session.merge(known.user, load=False)


def forget_session(session_id: str) -> None:
    """This process stops using its copy of `session_id` (it is being signed out)."""
    if page_cache.has_app_context_with_cache():
        identities().forget(session_id)


def forget_user(user_id: int) -> None:
    """This process stops using its copies of every session of `user_id` (signed out, turned
    off, roles changed)."""
    if page_cache.has_app_context_with_cache():
        identities().forget_where(lambda _key, known: known.user.id == user_id)


def _detached_copy(user: User) -> User:
    """A copy of `user` and their roles as loaded, belonging to no database session."""
    links = [_copy_columns(link) for link in user.role_links]
    copy = _copy_columns(user, role_links=links)
    return copy


def _copy_columns(instance: Any, **loaded: Any) -> Any:
    mapper = inspect(type(instance))
    copy = mapper.class_manager.new_instance()
    for attribute in mapper.column_attrs:
        set_committed_value(copy, attribute.key, getattr(instance, attribute.key))
    for key, value in loaded.items():
        set_committed_value(copy, key, value)
    make_transient_to_detached(copy)  # as if just loaded: merge(load=False) takes it as it is
    return copy


def _read(session_id: str, since: datetime) -> tuple[User | None, Any]:
    """The user and when their session began, or (None, None)."""
    row = (
        db.session.execute(SIGNED_IN_USER, {"session_id": session_id, "since": since})
        .unique()
        .one_or_none()
    )
    return (row[0], row[1]) if row is not None else (None, None)
