"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import ast
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.core.dbtypes import render_migration_item
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL database."""
    if not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"sabak_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_models_and_migrations_agree(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_item": render_migration_item}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], "models and migrations disagree; run `flask db migrate` and review it"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def reserved_upgrade(source: str) -> bool:
    """A migration whose upgrade() does nothing: a revision reserved to be filled in later."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "upgrade":
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]  # the docstring
            return all(isinstance(statement, ast.Pass) for statement in body)
    return True


def test_a_reserved_revision_is_recognised():
    assert reserved_upgrade("def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")
    assert reserved_upgrade('def upgrade():\n    """Filled in later."""\n    pass\n')
    assert not reserved_upgrade("def upgrade():\n    op.drop_table('x')\n")


@pytest.mark.parametrize("path", sorted(VERSIONS.glob("*.py")), ids=lambda path: path.stem)
def test_no_migration_reserves_a_revision(path):
    # A revision with an empty upgrade() is applied, and recorded as applied, on every database that
    # upgrades before it is filled in; the schema it later gains would never reach those databases.
    assert not reserved_upgrade(path.read_text(encoding="utf-8")), (
        f"{path.name}: upgrade() does nothing; write the migration when the change is made"
    )
