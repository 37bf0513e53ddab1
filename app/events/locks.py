"""Row locks that make counting and taking a place atomic on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select, update

from app.extensions import Model, db

M = TypeVar("M", bound=Model)


def lock_row(model: type[M], row_id: int, column: Any) -> M:
    """Lock a row for this transaction and return it freshly loaded.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks but one writer at a time: a
    no-op UPDATE of `column` takes the database's write lock first, so what follows is read
    under it (as the contest's divisions are locked).
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(model)
            .where(model.id == row_id)  # type: ignore[attr-defined]
            .values({column: column})
            .execution_options(synchronize_session=False)
        )
        query = select(model).where(model.id == row_id)  # type: ignore[attr-defined]
    else:
        query = select(model).where(model.id == row_id).with_for_update()  # type: ignore[attr-defined]
    return db.session.scalars(query.execution_options(populate_existing=True)).one()
