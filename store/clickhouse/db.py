"""One opened ClickHouse store: its driver, the version stamps of replaceable rows, and ids handed out."""

from __future__ import annotations

import threading
import time
from typing import Any

import pandas as pd

from store.clickhouse.drivers import Driver

# Lists bound as query parameters are sent in pieces: a server takes parameters in the URL of the request.
CHUNK = 2000
# Ids are the largest stored + 1: writers in one process (a page's collect beside its readers) take turns.
ID_LOCK = threading.RLock()
PAIRS = "(SELECT p.1 AS ns, p.2 AS nm FROM (SELECT arrayJoin(arrayZip({ns:Array(String)}, {nm:Array(String)})) AS p))"


class Db:
    """The driver with the few helpers every table module uses."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self._last_stamp = 0

    def stamp(self) -> int:
        """Return a version for a replacing write: later writes win (nanoseconds, strictly increasing here)."""
        self._last_stamp = max(time.time_ns(), self._last_stamp + 1)
        return self._last_stamp

    def query(self, sql: str, **params: Any) -> pd.DataFrame:  # noqa: ANN401
        """Return the rows of `sql` with `params` bound."""
        return self.driver.query(sql, params)

    def command(self, sql: str, **params: Any) -> None:  # noqa: ANN401
        """Run `sql` with `params` bound."""
        self.driver.command(sql, params)

    def scalar(self, sql: str, **params: Any) -> Any:  # noqa: ANN401
        """Return the first value of the first row of `sql` (None when there is no row or it is NULL)."""
        frame = self.driver.query(sql, params)
        if frame.empty:
            return None
        value = frame.iloc[0, 0]
        return None if pd.isna(value) else value

    def insert(self, table: str, frame: pd.DataFrame) -> None:
        """Insert `frame` into `table` (nothing when it is empty)."""
        if not frame.empty:
            self.driver.insert(table, frame)

    def next_id(self, table: str, column: str) -> int:
        """Return the id after the largest one in `table` (ids are handed out by the one process writing)."""
        return int(self.scalar(f"SELECT max({column}) FROM {table}") or 0) + 1


def pair_params(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Return the two list parameters of PAIRS for (namespace, name) pairs."""
    return {"ns": [ns for ns, _ in pairs], "nm": [name for _, name in pairs]}


def chunks(items: list, size: int = CHUNK) -> list[list]:
    """Return `items` in pieces of at most `size`."""
    return [items[start : start + size] for start in range(0, len(items), size)]
