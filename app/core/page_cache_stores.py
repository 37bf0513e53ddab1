"""Where the visitors' page cache keeps its pages and the tables' generations (`page_cache.py`
decides what to keep and when it is stale): Redis, shared by every worker and host, or each
process's own LRU with the generations in the database — on SQLite a per-process copy of them that
a signal file beside the database proves current."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.engine import URL, Connection

from app.core.models import PageCacheGeneration
from app.extensions import db

try:
    import fcntl
except ImportError:  # not on Windows: there the generations are read from the database each time
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("sabak.page_cache")

REDIS_GENERATIONS = "sabak:page-cache:generations"
REDIS_PAGE_PREFIX = "sabak:page-cache:page:"


@dataclass(frozen=True)
class Entry:
    """A kept page: its body (CSRF token as a placeholder), headers, and what it was drawn from."""

    body: str
    headers: list[tuple[str, str]]
    generations: dict[str, int]  # table name → generation when the page was drawn
    expires: float  # the app's clock, seconds since the epoch

    def fresh(self, current: dict[str, int], now: float) -> bool:
        return now < self.expires and all(
            current.get(name, 0) == generation for name, generation in self.generations.items()
        )


class KeptInProcess:
    """A bounded LRU of this process's own (the least recently used go first), safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.kept: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any | None:
        with self.lock:
            found = self.kept.get(key)
            if found is not None:
                self.kept.move_to_end(key)
            return found

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.kept[key] = value
            self.kept.move_to_end(key)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)

    def forget(self, key: Any) -> None:
        with self.lock:
            self.kept.pop(key, None)

    def forget_where(self, drop: Callable[[Any, Any], bool]) -> None:
        """Forget every (key, value) for which `drop` is true."""
        with self.lock:
            for key in [key for key, value in self.kept.items() if drop(key, value)]:
                del self.kept[key]


class Store(Protocol):
    def generations(self) -> dict[str, int]: ...
    def generations_are_cheap(self) -> bool: ...
    def bump(self, names: set[str]) -> None: ...
    def get(self, key: str) -> Entry | None: ...
    def put(self, key: str, entry: Entry, seconds: int) -> None: ...


class HostSignal:
    """A counter in a small file that every process on this host sees, raised after each change
    of the generations: a process that finds it where it left it knows its copy is current
    without asking the database. A torn or failed read only costs a look at the database."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None
        self.pid = 0

    def _open(self) -> int:
        if self.fd is None or self.pid != os.getpid():  # a forked worker opens its own
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self.pid = os.getpid()
        return self.fd

    def read(self) -> int | None:
        try:
            return int.from_bytes(os.pread(self._open(), 8, 0), "little")
        except OSError:
            return None

    def raise_(self) -> None:
        fd = self._open()
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            value = int.from_bytes(os.pread(fd, 8, 0), "little")
            os.pwrite(fd, ((value + 1) % 2**64).to_bytes(8, "little"), 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


def host_signal_path(url: URL) -> str | None:
    """Beside a SQLite file, which only this host's processes can write: there a signal file
    proves a copy of the generations current. None for PostgreSQL (other hosts write it too)
    and for a database in memory."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:") or fcntl is None:
        return None
    return database + "-page-cache"


TRUST_SECONDS = 1.0  # how long a process trusts its copy of the generations without the database


class LocalStore:
    """Pages in this process (bounded LRU); generations in the database, shared by every worker.

    On SQLite each process keeps a copy of the generations and a signal file beside the database
    says when another process has changed them (`HostSignal`), so a page served from the cache
    runs no statement at all. The copy is read again at least every `TRUST_SECONDS` whatever the
    signal says, for a writer that could not raise it (another user's process, a restored
    backup). On PostgreSQL, which several hosts share, the generations are read every time."""

    TRUST_SECONDS = TRUST_SECONDS

    def __init__(self, size: int) -> None:
        self.pages = KeptInProcess(size)
        self.signal: HostSignal | None = None
        self.signal_checked = False
        # (the signal's value before the read, when it was read, the generations read)
        self.copy: tuple[int, float, dict[str, int]] | None = None

    def _signal(self) -> HostSignal | None:
        if not self.signal_checked:
            path = host_signal_path(db.engine.url)
            self.signal = HostSignal(path) if path else None
            self.signal_checked = True
        return self.signal

    def generations_are_cheap(self) -> bool:
        """Whether reading the generations mostly costs no statement (SQLite's signal file)."""
        return self._signal() is not None

    def generations(self) -> dict[str, int]:
        signal = self._signal()
        seen = signal.read() if signal is not None else None
        now = time.monotonic()
        copy = self.copy
        if seen is not None and copy is not None:
            value, when, generations = copy
            if value == seen and now - when < self.TRUST_SECONDS:
                return generations
        table = PageCacheGeneration.__table__
        # Core on a connection of its own: cheaper than the ORM session on every visitor's hit
        with db.engine.connect() as connection:
            rows = connection.execute(select(table.c.name, table.c.generation))
            generations = {name: generation for name, generation in rows}
        if seen is not None:
            self.copy = (seen, now, generations)
        return generations

    def bump(self, names: set[str]) -> None:
        table = PageCacheGeneration.__table__
        with db.engine.begin() as connection:
            insert = _upsert_dialect(connection)
            statement = insert(table).values([{"name": n, "generation": 1} for n in sorted(names)])
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[table.c.name], set_={"generation": table.c.generation + 1}
                )
            )
        signal = self._signal()
        if signal is not None:  # after the commit: whoever sees the new value reads it
            try:
                signal.raise_()
            except OSError:  # the others see the change within TRUST_SECONDS
                log.exception("page cache: could not raise the signal at %s", signal.path)

    def get(self, key: str) -> Entry | None:
        found: Entry | None = self.pages.get(key)
        return found

    def put(self, key: str, entry: Entry, seconds: int) -> None:
        self.pages.put(key, entry)


def _upsert_dialect(connection: Connection) -> Callable[..., Any]:
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert


class RedisStore:
    """Pages and generations in Redis, shared by every worker and host."""

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(
            url, socket_timeout=1, socket_connect_timeout=1, decode_responses=True
        )

    def generations_are_cheap(self) -> bool:
        return True  # one round trip, no statement

    def generations(self) -> dict[str, int]:
        raw = self.redis.hgetall(REDIS_GENERATIONS)
        return {str(name): int(value) for name, value in raw.items()}

    def bump(self, names: set[str]) -> None:
        pipeline = self.redis.pipeline(transaction=False)
        for name in sorted(names):
            pipeline.hincrby(REDIS_GENERATIONS, name, 1)
        pipeline.execute()

    def get(self, key: str) -> Entry | None:
        raw = self.redis.get(REDIS_PAGE_PREFIX + key)
        return Entry(**json.loads(raw)) if raw else None

    def put(self, key: str, entry: Entry, seconds: int) -> None:
        self.redis.set(REDIS_PAGE_PREFIX + key, json.dumps(asdict(entry)), ex=seconds)
