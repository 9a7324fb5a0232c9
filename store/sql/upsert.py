"""INSERT ... ON CONFLICT for the dialects the store runs on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def _insert_for(connection: Connection, table: Table):  # noqa: ANN202
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    if connection.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"unsupported database dialect: {connection.dialect.name}")


def insert_ignore(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert `rows`, skipping those whose primary or unique key is already stored; return rows added."""
    if not rows:
        return 0
    # Without preserve_rowcount, SQLAlchemy reports -1 for a many-row INSERT on psycopg.
    statement = _insert_for(connection, table).on_conflict_do_nothing().execution_options(preserve_rowcount=True)
    result = connection.execute(statement, list(rows))
    return max(result.rowcount, 0)


def upsert(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert `rows`, replacing the `update` columns of rows whose `keys` are already stored."""
    if not rows:
        return
    statement = _insert_for(connection, table)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={column: statement.excluded[column] for column in update},
    )
    connection.execute(statement, list(rows))
