"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import ast
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Integer, MetaData, Table, create_engine, inspect, text
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


def _insert(conn, table_name: str, **values):
    """Insert a row into the table as the database has it now; NOT NULL columns the test doesn't
    care about get a plain value of their type. Returns the new row's id."""
    table = Table(table_name, MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None:
            continue
        if column.primary_key and isinstance(column.type, Integer):
            continue
        python_type = column.type.python_type
        row[column.name] = {
            bool: False,
            int: 1,
            float: 1.0,
            str: "x",
            datetime: datetime(2026, 4, 1, tzinfo=UTC),
            date: date(2026, 4, 1),
            dict: {},
            list: [],
        }.get(python_type, {})  # JSON reflects as a plain object
    result = conn.execute(table.insert().values(**row))
    return result.inserted_primary_key[0] if result.inserted_primary_key else None


def _rows(conn, table_name: str) -> list[dict]:
    table = Table(table_name, MetaData(), autoload_with=conn)
    return [dict(r._mapping) for r in conn.execute(table.select().order_by(*table.primary_key))]


def test_rows_from_an_old_revision_survive_upgrade_to_head_and_back(empty_database_url):
    """A database with data at 0004 (accounts, lessons, quizzes, contest): upgrading fills the new
    NOT NULL columns with their defaults, keeps every row, and stepping back down keeps them too."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as conn:
            user = _insert(conn, "users", email="old@example.org", display_name="古い 利用者")
            course = _insert(conn, "courses", slug="old-course", title_ja="古い講座")
            lesson = _insert(conn, "lessons", course_id=course, slug="l1", position=0)
            item = _insert(conn, "items", lesson_id=lesson, ky="китеп", ja="本")
            session = _insert(conn, "quiz_sessions", user_id=user)
            question = _insert(conn, "quiz_questions", session_id=session, position=0, item_id=item)
            _insert(conn, "quiz_answers", question_id=question, user_id=user, item_id=item)
            _insert(conn, "course_classes", course_id=course, name="A組")
            edition = _insert(conn, "contest_editions", year=2025, title_ja="第1回")
            division = _insert(conn, "contest_divisions", edition_id=edition, letter="A")
            _insert(
                conn,
                "contest_registrations",
                edition_id=edition,
                division_id=division,
                user_id=user,
                email="old@example.org",
                status="confirmed",
                participant_number="2025-A-001",
            )
            before = {
                name: _rows(conn, name)
                for name in (
                    "users",
                    "courses",
                    "lessons",
                    "items",
                    "quiz_sessions",
                    "quiz_questions",
                    "quiz_answers",
                    "course_classes",
                    "contest_editions",
                    "contest_divisions",
                    "contest_registrations",
                )
            }

        upgrade()
        with db.engine.connect() as conn:
            after = {name: _rows(conn, name) for name in before}
            for name, rows in before.items():
                assert len(after[name]) == len(rows), name
                for old, new in zip(rows, after[name], strict=True):
                    assert {k: new[k] for k in old} == old, f"{name} changed on upgrade"
            division_row = after["contest_divisions"][0]
            assert (division_row["blind"], division_row["scoring"]) == (False, "mean")
            assert division_row["tiebreak_position"] is None
            assert division_row["results_published_at"] is None
            registration = after["contest_registrations"][0]
            assert registration["checked_in_at"] is None and registration["gift_given_at"] is None
            assert after["quiz_questions"][0]["retry"] == 0
            assert after["course_classes"][0]["latin_input"] is True
            edition_row = after["contest_editions"][0]
            assert (edition_row["contact_name"], edition_row["contact_email"]) == ("", "")
            # the application reads the migrated rows
        with app.test_request_context():
            from app.contest.models import Division, Registration

            division_obj = db.session.get(Division, division)
            assert division_obj.scoring == "mean" and division_obj.blind is False
            assert db.session.get(Registration, 1).participant_number == "2025-A-001"
            db.session.remove()

        downgrade(revision="0004")
        with db.engine.connect() as conn:
            for name, rows in before.items():
                assert _rows(conn, name) == rows, f"{name} changed on the way down"
        downgrade(revision="base")
        db.engine.dispose()
