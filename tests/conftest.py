"""Fixtures shared by every test: app, client, auth; the factories come from tests/factories.

The suite runs on a temporary SQLite file, or on PostgreSQL when TEST_DATABASE_URL is set.
Each test gets a fresh app; after it, every table is emptied, so tests are isolated on both.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from argon2 import PasswordHasher, Type
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, make_url, text
from werkzeug.routing.rules import Rule

from app import create_app
from app.extensions import db

if TYPE_CHECKING:
    from tests.factories.users import UserInfo

# The factories (tests/factories): one module per kind of thing, their fixtures shared by all tests
pytest_plugins = [
    "tests.factories.users",
    "tests.factories.courses",
    "tests.factories.classes",
    "tests.factories.assignments",
    "tests.factories.quizzes",
    "tests.factories.contest",
    "tests.factories.privacy",
]
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _reuse_url_builders() -> None:
    """Each test makes a fresh app, and Werkzeug compiles two URL-building functions per route
    for each (Python source through `ast` and `compile`): 80 % of `create_app`, a quarter of the
    suite's time. A builder depends only on the rule's parsed form and its defaults, and reads
    the converters from the rule it is bound to, so one compiled per distinct rule serves every
    app of the run."""
    compile_builder = Rule._compile_builder
    builders: dict[tuple[Any, ...], Any] = {}

    def reused(self: Rule, append_unknown: bool = True) -> Any:
        defaults = tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items()))
        key = (self.rule, append_unknown, tuple(self._trace), defaults)
        builder = builders.get(key)
        if builder is None:
            builder = builders[key] = compile_builder(self, append_unknown)
        return builder

    Rule._compile_builder = reused  # type: ignore[method-assign]


def _reuse_engines() -> None:
    """Each fresh app would also make a fresh engine, and with it an empty cache of compiled SQL
    statements: every test compiled its statements again. One engine per URL and options serves
    the run (every listener the app adds is on the Engine and Session classes, not on one
    engine); the `app` fixture still closes its connections after each test."""
    make_engine = SQLAlchemy._make_engine
    engines: dict[str, Any] = {}

    def reused(self: SQLAlchemy, bind_key: str | None, options: dict[str, Any], app: Flask) -> Any:
        key = repr((bind_key, sorted(options.items(), key=lambda item: item[0])))
        engine = engines.get(key)
        if engine is None:
            engine = engines[key] = make_engine(self, bind_key, options, app)
        return engine

    SQLAlchemy._make_engine = reused  # type: ignore[method-assign]


class _TemplatesOfTheRun(BytecodeCache):
    """Each fresh app has a fresh Jinja environment that would parse and compile every template
    it renders again; the compiled code is kept for the run instead (Jinja checks each
    template's source against its checksum, so an edited template is compiled afresh)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES_OF_THE_RUN = _TemplatesOfTheRun()
_reuse_url_builders()
_reuse_engines()
# argon2id at the lowest cost: users are made by the hundred, and the cost isn't under test
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    """One database per test process: the given one, or (under `pytest -n`, one per worker)
    a database of its own beside it on PostgreSQL, made for the run; SQLite files are per worker."""
    if not TEST_DATABASE_URL:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        return
    if worker_id == "master" or not TEST_DATABASE_URL.startswith("postgresql"):
        yield TEST_DATABASE_URL
        return
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_{worker_id}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _schema(database_url: str) -> Iterator[None]:
    """Create the schema once per run (the migrations are checked by their own test)."""
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})  # imports every model
    engine = create_engine(database_url)
    db.metadata.drop_all(engine)
    db.metadata.create_all(engine)
    engine.dispose()
    yield


def _id_sequence(table: Any) -> str | None:
    """SQL for the sequence behind a table's `id` column (NULL when it has none)."""
    return f"pg_get_serial_sequence('\"{table.name}\"', 'id')" if "id" in table.c else None


def _written_tables(tables: list[Any]) -> set[str]:
    """The tables a test left rows in or (PostgreSQL) took an id from, in one query."""
    probes = [f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables]
    if db.engine.dialect.name == "postgresql":
        probes += [
            f"SELECT '{t.name}' WHERE (SELECT last_value FROM pg_sequences "
            f"WHERE format('%I.%I', schemaname, sequencename) = {_id_sequence(t)}) IS NOT NULL"
            for t in tables
            if _id_sequence(t)
        ]
    return set(db.session.scalars(text(" UNION ALL ".join(probes))))


def empty_all_tables() -> None:
    """Remove every row and reset the id sequences. Only the tables the test wrote to are
    emptied, children first, with DELETE: a TRUNCATE of them all (or a CASCADE from `users`)
    took over half a second on PostgreSQL, a quarter of the suite's time there. (SQLite gives
    an emptied table's ids from 1 again by itself.)"""
    tables = list(reversed(db.metadata.sorted_tables))
    written = _written_tables(tables)
    statements = [f'DELETE FROM "{t.name}"' for t in tables if t.name in written]
    if db.engine.dialect.name == "postgresql":
        statements += [
            f"SELECT setval({_id_sequence(t)}, 1, false)"
            for t in tables
            if t.name in written and _id_sequence(t)
        ]
        if statements:
            db.session.execute(text("; ".join(statements)))
    else:
        for statement in statements:
            db.session.execute(text(statement))
    db.session.commit()


def test_settings(database_url: str, tmp_path: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_BACKEND": "file",
        "MAIL_DIR": str(tmp_path / "mail"),
        "MAIL_DELIVER_INLINE": False,
        "SERVER_NAME": None,
    }


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashing at full cost would make every user the suite creates slow; the cost isn't under test."""
    monkeypatch.setattr("app.auth.passwords.HASHER", QUICK_HASHER)


@pytest.fixture(autouse=True)
def generations_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each process reads the page cache's generations again at least every second, whatever
    the signal file says (app/core/page_cache_stores.py): a statement counted or not depending on
    how long a test's requests took on a loaded machine. Tests trust the copy for an hour; the one
    that tests the second sets it back."""
    monkeypatch.setattr("app.core.page_cache_stores.LocalStore.TRUST_SECONDS", 3600.0)


@pytest.fixture
def settings() -> dict[str, Any]:
    """Per-test overrides of the test configuration (override this fixture or mutate it)."""
    return {}


@pytest.fixture
def app(
    database_url: str,
    _schema: None,
    tmp_path: Any,
    settings: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Flask]:
    # Recordings, cached speech and mail of a test stay in its own folder.
    monkeypatch.setenv("SABAK_INSTANCE_PATH", str(tmp_path / "instance"))
    config = test_settings(database_url, tmp_path) | settings
    application = create_app(config)
    application.jinja_env.bytecode_cache = TEMPLATES_OF_THE_RUN
    yield application
    with application.app_context():
        db.session.rollback()
        empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """For service tests: an app context (requests through the client push their own)."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class AuthActions:
    """Log the test client in and out, as a given user or as a fresh user with a role."""

    def __init__(self, client: FlaskClient, make_user: Callable[..., UserInfo]) -> None:
        self.client = client
        self.make_user = make_user
        self.user: UserInfo | None = None

    def login(
        self, role: str | None = "student", *, user: UserInfo | None = None, **overrides: Any
    ) -> UserInfo:
        if user is None:
            roles: tuple[str, ...] = (role,) if role else ()
            user = self.make_user(roles=overrides.pop("roles", roles), **overrides)
        response = self.client.post(
            "/auth/login", data={"email": user.email, "password": user.password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        self.user = user
        return user

    def logout(self) -> None:
        self.client.post("/auth/logout")
        self.user = None


@pytest.fixture
def auth(client: FlaskClient, make_user: Callable[..., UserInfo]) -> AuthActions:
    return AuthActions(client, make_user)


# The files that take longest, longest first, then every browser test: under `pytest -n` each
# file runs on one worker (`--dist loadfile`), and a long file taken last runs alone while the
# other workers wait (xdist's default order, most tests first, put the browser sweep last: the
# suite took twice as long as its work).
LONGEST_FIRST = (
    "tests/browser/test_sweep.py",
    "tests/core/test_hostile_input.py",
    "tests/core/test_kyrgyz_pages.py",
    "tests/core/test_app.py",
    "tests/security/test_every_route_is_guarded.py",
    "tests/browser/",
)


def _start_rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    ranks = (rank for rank, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix))
    return next(ranks, len(LONGEST_FIRST))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest files first (kept in this order by `--no-loadscope-reorder`, see the
    Makefile). Tests marked postgres_only run in the PostgreSQL pass and are skipped on SQLite."""
    items.sort(key=_start_rank)  # stable: within a rank, files and tests keep their order
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL)")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)
