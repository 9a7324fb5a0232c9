"""The SQL backend of the Store interface (SQLite and PostgreSQL through SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError

from store.interface import DataVersion
from store.sql import catalog, copy, imports, pull_queries, runs, snapshots
from store.sql.engine import open_engine
from store.sql.schema import runs as runs_table
from store.sql.schema import snapshots as snapshots_table
from store.values import StoreValueError


class SqlStore:
    """A store on one SQLAlchemy Engine; every method is one statement or one transaction."""

    def __init__(self, engine: Engine, shown: str) -> None:
        self.engine = engine
        self.shown = shown

    def __repr__(self) -> str:
        return f"SqlStore({self.shown})"

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def version(self) -> DataVersion:
        """Return (snapshots, newest observed_at, newest run id): it changes whenever the store gains data."""
        with self.engine.connect() as connection:
            count, newest = connection.execute(select(func.count(), func.max(snapshots_table.c.observed_at))).one()
            newest_run = connection.execute(select(func.max(runs_table.c.run_id))).scalar()
        return int(count or 0), int(newest or 0), int(newest_run or 0)

    # Pull-count snapshots
    def save_snapshots(self, records: Sequence[dict[str, Any]], run_id: int | None = None) -> int:
        """Save `records` in one transaction; return rows added (see store.sql.snapshots.save_snapshots)."""
        try:
            return snapshots.save_snapshots(self.engine, records, run_id)
        except DataError as error:
            # A value the database itself refused: the same error as a value refused before any SQL.
            raise StoreValueError(type(error.orig).__name__) from None

    def read_snapshots(
        self,
        image_names: Sequence[str] | None = None,
        since: pd.Timestamp | None = None,
        until: pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        """Return stored snapshots, oldest first per image, `observed_at` as UTC datetimes."""
        return snapshots.read_snapshots(self.engine, image_names, since, until)

    def list_images(self) -> pd.DataFrame:
        """Return every image with a snapshot, with counts and first and last observation."""
        return snapshots.list_images(self.engine)

    def images_in_run(self, run_id: int) -> set[tuple[str, str]]:
        """Return the (namespace, name) of every image with a snapshot saved by `run_id`."""
        return snapshots.images_in_run(self.engine, run_id)

    def find_images(self, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
        """Return image_id, namespace and name of each stored pair."""
        return pull_queries.find_images(self.engine, pairs)

    def all_images(self, namespace: str | None = None) -> pd.DataFrame:
        """Return image_id, namespace and name of every image with a snapshot."""
        return pull_queries.all_images(self.engine, namespace)

    def read_observations(
        self, pairs: Sequence[tuple[str, str]] | None = None, since: int | None = None, until: int | None = None
    ) -> pd.DataFrame:
        """Return namespace, name, observed_at (epoch seconds) and pull_count, oldest first."""
        return pull_queries.read_observations(self.engine, pairs, since, until)

    def read_poll_failures(
        self, pairs: Sequence[tuple[str, str]], since: int | None = None, until: int | None = None
    ) -> pd.DataFrame:
        """Return namespace, name and failed_at (epoch seconds) of failed polls of the images."""
        return pull_queries.read_poll_failures(self.engine, pairs, since, until)

    def latest_observed_at(self) -> int | None:
        """Return the instant of the newest snapshot, or None."""
        return pull_queries.latest_observed_at(self.engine)

    def window_counts(
        self,
        offsets: Sequence[int],
        until: int | None = None,
        namespace: str | None = None,
        image_ids: Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """Return per image its last good observation and the last good one at the end of each earlier day."""
        return pull_queries.window_counts(self.engine, offsets, until, namespace, image_ids)

    # Runs
    def start_run(self, kind: str, images_requested: int, source: str | None = None) -> int:
        """Record that a run started and return its id."""
        return runs.start_run(self.engine, kind, images_requested, source)

    def record_failure(self, run_id: int, image: str, reason: str) -> None:
        """Record that `image` failed in `run_id`, and why."""
        runs.record_failure(self.engine, run_id, image, reason)

    def finish_run(
        self, run_id: int, images_collected: int, images_failed: int, images_requested: int | None = None
    ) -> None:
        """Mark `run_id` finished with its totals."""
        runs.finish_run(self.engine, run_id, images_collected, images_failed, images_requested)

    def read_runs(self, limit: int = 20) -> pd.DataFrame:
        """Return the latest runs, newest first."""
        return runs.read_runs(self.engine, limit)

    def read_failures(self, run_id: int) -> pd.DataFrame:
        """Return the images that failed in `run_id` with the reason for each."""
        return runs.read_failures(self.engine, run_id)

    def find_unfinished_run(self, kind: str, source: str, started_since: int) -> int | None:
        """Return the latest unfinished run of `kind` and `source` started at or after `started_since`."""
        return runs.find_unfinished_run(self.engine, kind, source, started_since)

    def clear_failures(self, run_id: int) -> None:
        """Forget the failures recorded in `run_id`."""
        runs.clear_failures(self.engine, run_id)

    # Catalog snapshots
    def create_catalog_snapshot(
        self,
        source: str,
        observed_from: int,
        observed_to: int | None = None,
        attribution: str | None = None,
        run_id: int | None = None,
        sha256: str | None = None,
    ) -> int:
        """Record a new catalog snapshot and return its id."""
        return catalog.create_catalog_snapshot(
            self.engine, source, observed_from, observed_to, attribution=attribution, run_id=run_id, sha256=sha256
        )

    def update_catalog_snapshot(self, snapshot_id: int, **values: Any) -> None:  # noqa: ANN401
        """Change a snapshot's observed_to, discovered or complete."""
        catalog.update_catalog_snapshot(self.engine, snapshot_id, **values)

    def save_catalog_entries(self, snapshot_id: int, entries: Sequence[Mapping[str, Any]], replace: bool = True) -> int:
        """Save `entries` of a snapshot in one transaction."""
        return catalog.save_catalog_entries(self.engine, snapshot_id, entries, replace)

    def save_catalog_file(
        self,
        sha256: str,
        source: str,
        observed_from: int,
        observed_to: int,
        attribution: str | None,
        entries: Sequence[Mapping[str, Any]],
    ) -> int:
        """Save a catalog file as one complete snapshot in one transaction; return entries added."""
        with self.engine.begin() as connection:
            snapshot_id = catalog.create_catalog_snapshot(
                connection, source, observed_from, observed_to, attribution=attribution, sha256=sha256
            )
            added = catalog.save_catalog_entries(connection, snapshot_id, entries)
            catalog.update_catalog_snapshot(connection, snapshot_id, discovered=True, complete=True)
        return added

    def catalog_hashes(self) -> set[str]:
        """Return the sha256 of every catalog file already imported."""
        return catalog.catalog_hashes(self.engine)

    def snapshot_of_run(self, run_id: int) -> dict[str, Any] | None:
        """Return the catalog snapshot a collection run writes, or None."""
        return catalog.snapshot_of_run(self.engine, run_id)

    def entries_by_method(self, snapshot_id: int) -> dict[str, set[tuple[str, str]]]:
        """Return {method: {(namespace, name), ...}} of a snapshot's entries."""
        return catalog.entries_by_method(self.engine, snapshot_id)

    def read_catalog_snapshots(self) -> pd.DataFrame:
        """Return every catalog snapshot, oldest first, with its counts of entries."""
        return catalog.read_catalog_snapshots(self.engine)

    def read_catalog_entries(self, snapshot_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Return the entries of `snapshot_ids` (every snapshot when None)."""
        return catalog.read_catalog_entries(self.engine, snapshot_ids)

    # Imported history files
    def imported_hashes(self) -> set[str]:
        """Return the sha256 of every history file already imported."""
        return imports.imported_hashes(self.engine)

    def save_history_file(self, records: Sequence[dict[str, Any]], sha256: str, path: str) -> int:
        """Save a history file's snapshots and mark it imported in one transaction; return rows added."""
        with self.engine.begin() as connection:
            added = snapshots.save_snapshots(connection, records)
            imports.mark_imported(connection, sha256, path, len(records), added)
        return added

    # Whole-store copy
    def count_rows(self, table: str) -> int:
        """Return how many rows `table` (one of COPY_TABLES) holds."""
        return copy.count_rows(self.engine, table)

    def read_rows(self, table: str, after: tuple | None, limit: int) -> pd.DataFrame:
        """Return up to `limit` rows of `table` in key order, strictly after the key `after` (None: from the start)."""
        return copy.read_rows(self.engine, table, after, limit)

    def write_rows(self, table: str, rows: pd.DataFrame) -> int:
        """Insert `rows` with their ids; rows whose key is present are skipped; return rows added."""
        return copy.write_rows(self.engine, table, rows)


def open_sql_store(url: str) -> SqlStore:
    """Open the SQLite or PostgreSQL store at `url` (recognised, created or upgraded); raise StoreError otherwise."""
    engine = open_engine(url)
    return SqlStore(engine, _shown(engine))


def _shown(engine: Engine) -> str:
    if engine.dialect.name == "sqlite" and engine.url.database:
        return engine.url.database
    return engine.url.render_as_string(hide_password=True)
