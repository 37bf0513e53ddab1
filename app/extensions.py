"""Flask extensions, created unbound here and bound to the app in create_app()."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraints get stable, migration-friendly names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def client_address() -> str:
    """The client's address as the rate limiter sees it (ProxyFix sets it behind a proxy)."""
    return get_remote_address() or request.remote_addr or "unknown"


def sqlite_local_date(moment: str | None, zone: str) -> str | None:
    """SQLite's stand-in for PostgreSQL's timezone(zone, moment)::date: the calendar day a stored
    UTC moment falls on in `zone`, with that zone's rules on that day (summer time included)."""
    if moment is None:
        return None
    utc = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    return utc.astimezone(ZoneInfo(zone)).date().isoformat()


@event.listens_for(Engine, "connect")
def enforce_sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    """SQLite ignores foreign keys unless asked; PostgreSQL always enforces them. Behave alike.

    A file database is also put in WAL mode with synchronous=NORMAL, the standard safe choice
    for a server: readers don't wait for the writer, and a commit appends to the log without
    waiting for the disk (fsync at checkpoints; a power cut may lose the last commits, never
    corrupt the file). In the default rollback-journal mode every commit waited for two fsyncs.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file: a no-op once set
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        dbapi_connection.create_function("local_date", 2, sqlite_local_date, deterministic=True)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=client_address, default_limits=[])

# Models subclass `Model`: at run time Flask-SQLAlchemy's db.Model, for the type checker our Base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
