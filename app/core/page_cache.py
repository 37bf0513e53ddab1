"""Whole pages for visitors, kept until the data they were drawn from changes or a minute passes.

A view opts in with `@cache_for_visitors`. A GET from someone who is certainly not signed in (no
user in the session, no remember cookie, no flashed message waiting) is answered from the cache
when an entry exists for its path, query, host and interface language, and none of the tables the
page read has been written since. Otherwise the view runs, and a plain 200 HTML page that set no
cookie and flashed nothing is kept. The CSRF token in a kept page is a placeholder, replaced by
the visitor's own token when the page is served; the CSP has no nonce (no inline script), so
nothing else in a page is particular to one request.

What a page read is noted from the SQL it ran; what a transaction wrote, from its INSERT, UPDATE
and DELETE statements (a DELETE also counts for the tables whose rows the database deletes or
changes along with it). After the commit each written table's generation is raised where every
worker and host sees it: in Redis when `REDIS_URL` is set, else in the database
(`page_cache_generations`; on SQLite each process keeps a copy that a signal file beside the
database proves current, so a hit there runs no statement). The pages themselves are kept in Redis too when it is set, else in
each process (a bounded LRU). `PAGE_CACHE_SECONDS` bounds an entry's life on the app's clock, so
"closes in 3 days" or "today" never lasts more than that; 0 turns the cache off.

`shared_fragment` keeps a part of a signed-in page the same way (e.g. a lesson's tables of words,
the same for every student): by key, until one of the tables it was drawn from is written.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask.globals import request_ctx
from flask_babel import get_locale
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from markupsafe import Markup
from sqlalchemy import Table, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql import ClauseElement, TextClause
from sqlalchemy.sql.dml import Delete, UpdateBase
from sqlalchemy.sql.util import find_tables

from app.core import dates
from app.core.models import PageCacheGeneration
from app.core.page_cache_stores import Entry, KeptInProcess, LocalStore, RedisStore, Store
from app.core.security import csrf_token
from app.extensions import db

log = logging.getLogger("sabak.page_cache")

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

EVERYTHING = "*"  # a text() statement: which tables it touched is unknown
CSRF_PLACEHOLDER = "__sabak_csrf_token__"
GENERATIONS_TABLE = PageCacheGeneration.__tablename__
# What a visitor's session may hold: the CSRF token and what Flask-Login leaves after sign-out.
VISITOR_SESSION_KEYS = frozenset({"csrf_token", "_fresh", "_id", "_permanent"})
KEPT_HEADERS = ("Content-Type", "Vary")
# Written all day by signed-in people (every quiz answer, review, submission, mail) and
# read by no visitor's page: their writes raise no generation, which would cost every such
# request a statement, and a page that reads one of them is not kept, so none can go stale.
PRIVATE_TABLES = frozenset(
    {
        "quiz_sessions",
        "quiz_questions",
        "quiz_answers",
        "review_cards",
        "review_logs",
        "lesson_progress",
        "answer_reports",
        "submissions",
        "submission_versions",
        "grades",
        "auth_attempts",
        "outbox_messages",
        "calendar_feeds",
        "stored_files",
    }
)
WRITES = "sabak_page_cache_writes"  # in Session.info and Connection.info
COMMITTED = "sabak_page_cache_committed"  # in Session.info, from the commit to the end


def cache_for_visitors(view: F) -> F:
    """Let visitors' GETs of this view be answered from the page cache."""
    view.cache_for_visitors = True  # type: ignore[attr-defined]
    return view


def store() -> Store:
    """The app's store: Redis, or this process and the database."""
    chosen: Store = current_app.extensions["sabak_page_cache"]
    return chosen


# --- noting what a page read and what a transaction wrote -----------------------------------


def _tables(statement: ClauseElement) -> set[str]:
    if isinstance(statement, TextClause):
        return {EVERYTHING}
    return {t.name for t in find_tables(statement, include_crud=True) if isinstance(t, Table)}


def _note_statement(conn: Connection, statement: Any, *_args: Any) -> None:
    """Engine hook: a page being drawn notes what it reads; a session notes what it writes."""
    if not isinstance(statement, ClauseElement):
        return
    reads = g.get("page_cache_reads") if has_request_context() else None
    if reads is not None:
        reads |= _tables(statement)
    writes = conn.info.get(WRITES)
    if writes is None:
        return
    if isinstance(statement, UpdateBase):
        table = statement.table
        if not isinstance(table, Table):
            writes.add(EVERYTHING)
            return
        writes.add(table.name)
        if isinstance(statement, Delete):
            writes |= _dependents(table.name)
    elif isinstance(statement, TextClause) and not statement.text.lstrip().lower().startswith(
        "select"
    ):
        writes.add(EVERYTHING)


def _dependents(name: str) -> set[str]:
    """Tables whose rows may go or change when rows of `name` are deleted (foreign keys)."""
    found: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        for table in db.metadata.tables.values():
            if table.name not in found and any(
                fk.column.table.name == current for fk in table.foreign_keys
            ):
                found.add(table.name)
                todo.append(table.name)
    return found


def _link_connection(session: Session, _transaction: SessionTransaction, conn: Connection) -> None:
    """Writes on this connection count for this session until it commits."""
    conn.info[WRITES] = session.info.setdefault(WRITES, set())


def _unlink_connection(conn: Connection) -> None:
    conn.info.pop(WRITES, None)


def _after_commit(session: Session) -> None:
    """The transaction's writes are committed: note them for when its connection is returned."""
    if session.in_nested_transaction():  # a savepoint: its writes count when the whole commits
        return
    session.info[COMMITTED] = session.info.pop(WRITES, set())


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """Raise the generation of every table a committed transaction wrote. Only now, with the
    session's connection back in the pool, may another be taken: a request holding one while
    waiting for a second could wait forever on a full pool."""
    if transaction.parent is not None:
        return
    session.info.pop(WRITES, None)  # rolled back: nothing changed
    written = set(session.info.pop(COMMITTED, ())) - PRIVATE_TABLES - {GENERATIONS_TABLE}
    if not written or not has_app_context_with_cache():
        return
    try:
        store().bump(written)
    except Exception:  # a cache outage must not fail a request whose work is committed
        log.exception("page cache: could not note a change to %s", sorted(written))


def has_app_context_with_cache() -> bool:
    from flask import has_app_context

    return has_app_context() and "sabak_page_cache" in current_app.extensions


# --- serving and keeping pages --------------------------------------------------------------


def _is_visitor() -> bool:
    if current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in request.cookies:
        return False
    return set(session.keys()) <= VISITOR_SESSION_KEYS


def _key() -> str:
    locale = get_locale()
    query = request.query_string.decode("latin-1")
    # scheme, host and mount point as they came (werkzeug's host_url decodes them: slower)
    where = f"{request.scheme}://{request.host}{request.root_path}"
    return "|".join([where, request.path, query, str(locale)])


def serve_from_cache() -> Response | None:
    """Before the view: a visitor's page from the cache when it is still what the view would draw."""
    seconds = current_app.config["PAGE_CACHE_SECONDS"]
    view = current_app.view_functions.get(request.endpoint or "")
    if (
        not seconds
        or request.method != "GET"
        or not getattr(view, "cache_for_visitors", False)
        or request.headers.get("HX-Request")
        or not _is_visitor()
    ):
        return None
    try:
        key = _key()
        entry = store().get(key)
        now = dates.now().timestamp()
        # a page that read no table (sign-in, sign-up) needs no look at the generations
        unread = entry is not None and not entry.generations and now < entry.expires
        current = {} if unread else store().generations()
    except Exception:
        log.exception("page cache unavailable")
        return None
    if entry is not None and entry.fresh(current, now):
        body = entry.body
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, csrf_token())
        response = Response(body, headers=entry.headers)
        response.headers["X-Page-Cache"] = "hit"
        return response
    # drawn afresh: generations read before the data, so a change after this is never missed
    g.page_cache_key = key
    g.page_cache_generations = current
    g.page_cache_reads = set()
    return None


def drawing_for_cache() -> bool:
    """Whether this request draws a page the cache will keep (if it turns out keepable)."""
    return g.get("page_cache_key") is not None


def keep_until(moment: datetime | None) -> None:
    """Keep the page being drawn no later than `moment` (when something on it falls due)."""
    if moment is not None and drawing_for_cache():
        g.page_cache_until = min(moment.timestamp(), g.get("page_cache_until", moment.timestamp()))


def keep_in_cache(response: Response) -> Response:
    """After the view: keep a visitor's plain page."""
    key = g.pop("page_cache_key", None)
    reads = g.pop("page_cache_reads", None)
    if key is None or reads is None:
        return response
    keepable = (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.is_streamed
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and not request_ctx.flashes  # a message shown once must not be shown to the next visitor
        and _is_visitor()
    )
    if not keepable:
        return response
    body = response.get_data(as_text=True)
    token = g.get(current_app.config["WTF_CSRF_FIELD_NAME"])
    if token:
        body = body.replace(token, CSRF_PLACEHOLDER)
    current = g.pop("page_cache_generations")
    if EVERYTHING in reads:  # read with text(): it may have read any table
        reads |= set(db.metadata.tables)
    if reads & PRIVATE_TABLES:  # their writes raise no generation: the page could go stale
        return response
    if reads:
        reads.add(EVERYTHING)  # and a text() write, to tables unknown, drops every such page
    reads.discard(GENERATIONS_TABLE)
    seconds = current_app.config["PAGE_CACHE_SECONDS"]
    entry = Entry(
        body=body,
        headers=[
            (name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers
        ],
        generations={name: current.get(name, 0) for name in reads},
        expires=min(dates.now().timestamp() + seconds, g.get("page_cache_until", float("inf"))),
    )
    try:
        store().put(key, entry, seconds)
    except Exception:
        log.exception("page cache unavailable")
    response.headers["X-Page-Cache"] = "miss"
    return response


# --- parts of pages that are the same for everyone who sees them -----------------------------

FRAGMENT_PREFIX = "fragment|"
FRAGMENT_SECONDS = 3600  # no clock in them: kept until their tables change (an hour bounds Redis)


def shared_fragment(key: str, tables: frozenset[str], render: Callable[[], str]) -> Markup:
    """HTML drawn only from `tables` and `key` (e.g. a lesson's word tables in one language), the
    same for every person who may see it: kept in the store of the pages, and drawn again by
    `render` once any of `tables` has been written since. Never for what is one person's own
    (their answers, marks, counts) nor for anything with a CSRF token in it."""
    if tables & PRIVATE_TABLES:  # their writes raise no generation: it would go stale
        raise ValueError(f"a shared fragment can't be drawn from {sorted(tables & PRIVATE_TABLES)}")
    if not current_app.config["PAGE_CACHE_SECONDS"]:
        return Markup(render())
    try:
        entry = store().get(FRAGMENT_PREFIX + key)
        # read before the data is: a change after this is seen by the next request
        current = store().generations()
    except Exception:
        log.exception("page cache unavailable")
        return Markup(render())
    now = dates.now().timestamp()
    if entry is not None and entry.fresh(current, now):
        return Markup(entry.body)
    body = render()
    entry = Entry(
        body=str(body),
        headers=[],
        generations={name: current.get(name, 0) for name in tables | {EVERYTHING}},
        expires=now + FRAGMENT_SECONDS,
    )
    try:
        store().put(FRAGMENT_PREFIX + key, entry, FRAGMENT_SECONDS)
    except Exception:
        log.exception("page cache unavailable")
    return Markup(body)


def cheap_generations() -> dict[str, int] | None:
    """The tables' generations where reading them costs no statement (SQLite's signal file,
    Redis), else None: on PostgreSQL without Redis they are a statement themselves, no cheaper
    than what a process would keep by them."""
    if not has_app_context_with_cache() or not current_app.config["PAGE_CACHE_SECONDS"]:
        return None
    if not store().generations_are_cheap():
        return None
    try:
        return store().generations()
    except Exception:  # the cache is down: ask the database, as without it
        log.exception("page cache unavailable")
        return None


@dataclass(frozen=True)
class _Kept:
    value: Any
    generations: dict[str, int]


SHARED_VALUES = "sabak_shared_values"
SHARED_VALUES_KEPT = 4096


def shared_value(key: Hashable, tables: frozenset[str], compute: Callable[[], T]) -> T:
    """A value drawn only from `tables` and `key`, the same for everyone who asks (e.g. a course's
    outline), kept in this process until one of `tables` is written. Where the generations cost
    a statement it is computed every time. The value must not be changed by whoever gets it
    (tuples, rows, strings)."""
    if tables & PRIVATE_TABLES:  # their writes raise no generation: it would go stale
        raise ValueError(f"a shared value can't be drawn from {sorted(tables & PRIVATE_TABLES)}")
    current = cheap_generations()
    if current is None:
        return compute()
    kept: KeptInProcess = current_app.extensions.setdefault(
        SHARED_VALUES, KeptInProcess(SHARED_VALUES_KEPT)
    )
    found: _Kept | None = kept.get(key)
    if found is not None and all(
        current.get(name, 0) == generation for name, generation in found.generations.items()
    ):
        return found.value
    value = compute()  # the generations were read before the data: a later change is seen
    kept.put(key, _Kept(value, {name: current.get(name, 0) for name in tables | {EVERYTHING}}))
    return value


def init_app(app: Flask) -> None:
    """Choose the store, watch the engine and the sessions, and hook into every request."""
    if app.config["REDIS_URL"]:
        app.extensions["sabak_page_cache"] = RedisStore(app.config["REDIS_URL"])
    else:
        app.extensions["sabak_page_cache"] = LocalStore(app.config["PAGE_CACHE_ENTRIES"])
    _listen_once()
    app.before_request(serve_from_cache)
    app.after_request(keep_in_cache)


_listening = threading.Lock()


def _listen_once() -> None:
    from sqlalchemy.engine import Engine

    with _listening:
        if event.contains(Engine, "before_execute", _note_statement):
            return
        event.listen(Engine, "before_execute", _note_statement)
        event.listen(Engine, "engine_connect", _unlink_connection)
        event.listen(Session, "after_begin", _link_connection)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
