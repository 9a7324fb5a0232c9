"""Moving a whole store to another backend through the copy contract of store.interface.

The target is first checked against the source, row for row, wherever it already holds rows: a
target holding other data (a row the source lacks, or a different row under the same key) is refused
before anything is written. Then every table is copied in key order, parents first, a batch per
transaction; rows already there are skipped, so a copy killed halfway is resumed by running it again.
At the end each table's count must match the source's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from store.errors import StoreError
from store.interface import COPY_KEYS, COPY_TABLES, Store
from store.values import shown

BATCH_ROWS = 5_000
# Told after each batch: (table, rows of it done, rows the source holds).
Progress = Callable[[str, int, int], None]


class CopyRefused(StoreError):
    """The target holds other data than the source: nothing is written; the message names the first row."""


class CopyMismatch(StoreError):
    """After the copy, a table's count in the target differs from the source's: the message names the table."""


@dataclass(frozen=True)
class TableCopy:
    """What the copy did to one table."""

    table: str
    source_rows: int
    added: int
    target_rows: int


def copy_store(
    source: Store, target: Store, batch_rows: int = BATCH_ROWS, on_progress: Progress | None = None
) -> list[TableCopy]:
    """Copy every table of `source` into `target` (refusing other data, resuming a partial copy, counts checked)."""
    for table in COPY_TABLES:
        check_target(source, target, table, batch_rows)
    copies = [_copy_table(source, target, table, batch_rows, on_progress) for table in COPY_TABLES]
    for copied in copies:
        if copied.target_rows != copied.source_rows:
            raise CopyMismatch(
                f"{copied.table}: {copied.source_rows:,} rows in the source but {copied.target_rows:,} in the target "
                "after the copy"
            )
    return copies


def check_target(source: Store, target: Store, table: str, batch_rows: int = BATCH_ROWS) -> int:
    """Return how many rows of `table` the target holds, each equal to the source's; raise CopyRefused if not."""
    checked = 0
    after: tuple | None = None
    while True:
        held = target.read_rows(table, after, batch_rows)
        if held.empty:
            return checked
        last = _keys(held, table)[-1]
        theirs = _by_key(_rows_through(source, table, after, last, batch_rows), table)
        for key, row in _by_key(held, table).items():
            if key not in theirs:
                raise CopyRefused(f"the target already holds other data: {table} has a row under {_said(key)} "
                                  "that the source does not; copy into an empty store")  # fmt: skip
            if theirs[key] != row:
                raise CopyRefused(f"the target already holds other data: {table} has a different row under "
                                  f"{_said(key)}; copy into an empty store")  # fmt: skip
        checked += len(held)
        after = last


def _copy_table(source: Store, target: Store, table: str, batch_rows: int, on_progress: Progress | None) -> TableCopy:
    total = source.count_rows(table)
    added = done = 0
    after: tuple | None = None
    while True:
        rows = source.read_rows(table, after, batch_rows)
        if rows.empty:
            break
        added += target.write_rows(table, rows)
        done += len(rows)
        after = _keys(rows, table)[-1]
        if on_progress is not None:
            on_progress(table, done, total)
        if len(rows) < batch_rows:
            break
    return TableCopy(table, total, added, target.count_rows(table))


def _rows_through(store: Store, table: str, after: tuple | None, last: tuple, batch_rows: int) -> pd.DataFrame:
    """Return the rows of `table` with keys after `after` up to and including `last`."""
    frames = []
    while True:
        rows = store.read_rows(table, after, batch_rows)
        if rows.empty:
            break
        keys = _keys(rows, table)
        inside = [key <= last for key in keys]
        frames.append(rows[inside])
        if not all(inside) or len(rows) < batch_rows:
            break
        after = keys[-1]
    return pd.concat(frames, ignore_index=True) if frames else rows


def _plain(value: Any) -> Any:  # noqa: ANN401 - a cell of any column
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _keys(rows: pd.DataFrame, table: str) -> list[tuple]:
    columns = [rows[name] for name in COPY_KEYS[table]]
    return [tuple(_plain(value) for value in key) for key in zip(*columns, strict=True)]


def _by_key(rows: pd.DataFrame, table: str) -> dict[tuple, tuple]:
    names = sorted(rows.columns)
    values = [tuple(_plain(value) for value in row) for row in rows[names].itertuples(index=False, name=None)]
    return dict(zip(_keys(rows, table), values, strict=True))


def _said(key: tuple) -> str:
    return f"key {shown(key[0])}" if len(key) == 1 else f"key ({', '.join(shown(part) for part in key)})"
