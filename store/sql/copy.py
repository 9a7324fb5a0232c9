"""The copy contract on SQL: count, read in key order and write tables whole, ids kept (see store.interface).

Text keys are ordered by code point (COLLATE "C" on PostgreSQL, SQLite's own binary order), the order
Python compares strings in, so a copy between any two backends walks both stores in the same order.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Integer, String, Table, func, select, text, tuple_
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from store.interface import COPY_KEYS, COPY_TABLES
from store.sql.schema import metadata
from store.sql.upsert import insert_ignore

# Tables whose ids a database generates: after ids are written, PostgreSQL's sequence must move past them.
_GENERATED_IDS = {"images": "image_id", "runs": "run_id", "catalog_snapshots": "snapshot_id"}


def _table(table: str) -> Table:
    if table not in COPY_TABLES:
        raise ValueError(f"{table!r} is not a table a store copy moves (one of {', '.join(COPY_TABLES)})")
    return metadata.tables[table]


def _ordered(column: ColumnElement, dialect: str) -> ColumnElement:
    """Return `column` as it is ordered and compared: text in code-point order on every dialect."""
    if dialect == "postgresql" and isinstance(column.type, String):
        return column.collate("C")
    return column


def count_rows(engine: Engine, table: str) -> int:
    """Return how many rows `table` holds."""
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(_table(table))).scalar() or 0)


def read_rows(engine: Engine, table: str, after: tuple | None, limit: int) -> pd.DataFrame:
    """Return up to `limit` rows of `table` in key order, strictly after the key `after`."""
    schema = _table(table)
    dialect = engine.dialect.name
    keys = [_ordered(schema.c[name], dialect) for name in COPY_KEYS[table]]
    query = select(*schema.c).order_by(*keys).limit(max(int(limit), 0))
    if after is not None:
        if len(after) != len(keys):
            raise ValueError(f"a key of {table} has {len(keys)} parts, not {len(after)}")
        query = query.where(tuple_(*keys) > tuple_(*after) if len(keys) > 1 else keys[0] > after[0])
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=[column.name for column in schema.c], dtype=object)
    return _typed(frame, schema)


def _typed(frame: pd.DataFrame, schema: Table) -> pd.DataFrame:
    """Fix each column's dtype from the schema: whole numbers Int64, flags boolean, text as strings."""
    columns = {}
    for column in schema.c:
        values = frame[column.name]
        if isinstance(column.type, Boolean):
            columns[column.name] = values.map(lambda value: None if value is None else bool(value)).astype("boolean")
        elif isinstance(column.type, Integer):  # BigInteger is an Integer
            columns[column.name] = values.astype("Int64")
        else:
            columns[column.name] = values.astype("string")
    return pd.DataFrame(columns, index=frame.index)


def _plain(value: Any) -> Any:  # noqa: ANN401 - a cell of any column
    """Return a frame cell as the driver takes it: None for a missing value, Python ints and bools."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def write_rows(engine: Engine, table: str, rows: pd.DataFrame) -> int:
    """Insert `rows` with their ids in one transaction; rows whose key is present are skipped; return rows added."""
    schema = _table(table)
    names = [column.name for column in schema.c]
    missing = [name for name in names if name not in rows.columns and not schema.c[name].nullable]
    if missing:
        raise ValueError(f"rows for {table} lack the column(s) {', '.join(missing)}")
    present = [name for name in names if name in rows.columns]
    records = [
        {name: _plain(value) for name, value in zip(present, row, strict=True)}
        for row in rows[present].itertuples(index=False, name=None)
    ]
    with engine.begin() as connection:
        added = insert_ignore(connection, schema, records)
        if table in _GENERATED_IDS and records:
            _move_sequence(connection, table, _GENERATED_IDS[table])
    return added


def _move_sequence(connection: Connection, table: str, column: str) -> None:
    """Make the next generated id of `table` follow the largest stored one (SQLite does this by itself)."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"(SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}), false)"
        )
    )
