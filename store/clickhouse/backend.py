"""The ClickHouse backend of the Store interface: chDB in this process, or a server through clickhouse-connect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from store.clickhouse import copying, pulls
from store.clickhouse import records as bookkeeping
from store.clickhouse.db import Db
from store.clickhouse.drivers import ChdbDriver, DriverError, HttpDriver, chdb_path, shown_clickhouse_url
from store.clickhouse.schema import ensure_schema
from store.errors import StoreError
from store.interface import DataVersion
from store.sql.catalog import check_entry


class ClickHouseStore:
    """A store on one ClickHouse driver; writes are checked whole before the first row is sent."""

    def __init__(self, db: Db, shown: str) -> None:
        self.db = db
        self.shown = shown

    def __repr__(self) -> str:
        return f"ClickHouseStore({self.shown})"

    def close(self) -> None:
        """Release the engine or connection."""
        self.db.driver.close()

    def version(self) -> DataVersion:
        """Return (snapshots, newest observed_at, newest run id): it changes whenever the store gains data."""
        frame = self.db.query(
            "SELECT toInt64(count()) AS n, toInt64(ifNull(max(observed_at), 0)) AS newest, "
            "(SELECT toInt64(ifNull(max(run_id), 0)) FROM runs) AS run FROM snapshots"
        )
        count, newest, run = (int(value) for value in frame.iloc[0])
        return count, newest, run

    # Pull-count snapshots
    def save_snapshots(self, records: Sequence[dict[str, Any]], run_id: int | None = None) -> int:
        """Save `records` at once; return rows added (re-runnable)."""
        return pulls.save_snapshots(self.db, records, run_id)

    def read_snapshots(
        self,
        image_names: Sequence[str] | None = None,
        since: pd.Timestamp | None = None,
        until: pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        """Return stored snapshots, oldest first per image, `observed_at` as UTC datetimes."""
        return pulls.read_snapshots(self.db, image_names, since, until)

    def list_images(self) -> pd.DataFrame:
        """Return every image with a snapshot, with counts and first and last observation."""
        return pulls.list_images(self.db)

    def images_in_run(self, run_id: int) -> set[tuple[str, str]]:
        """Return the (namespace, name) of every image with a snapshot saved by `run_id`."""
        return pulls.images_in_run(self.db, run_id)

    def find_images(self, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
        """Return image_id, namespace and name of each stored pair."""
        return pulls.find_images(self.db, pairs)

    def all_images(self, namespace: str | None = None) -> pd.DataFrame:
        """Return image_id, namespace and name of every image with a snapshot."""
        return pulls.all_images(self.db, namespace)

    def read_observations(
        self, pairs: Sequence[tuple[str, str]] | None = None, since: int | None = None, until: int | None = None
    ) -> pd.DataFrame:
        """Return namespace, name, observed_at (epoch seconds) and pull_count, oldest first."""
        return pulls.read_observations(self.db, pairs, since, until)

    def read_poll_failures(
        self, pairs: Sequence[tuple[str, str]], since: int | None = None, until: int | None = None
    ) -> pd.DataFrame:
        """Return namespace, name and failed_at (epoch seconds) of failed polls of the images."""
        return pulls.read_poll_failures(self.db, pairs, since, until)

    def latest_observed_at(self) -> int | None:
        """Return the instant of the newest snapshot, or None."""
        return pulls.latest_observed_at(self.db)

    def window_counts(
        self,
        offsets: Sequence[int],
        until: int | None = None,
        namespace: str | None = None,
        image_ids: Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """Return per image its last good observation and the last good one at the end of each earlier day."""
        return pulls.window_counts(self.db, offsets, until, namespace, image_ids)

    # Runs
    def start_run(self, kind: str, images_requested: int, source: str | None = None) -> int:
        """Record that a run started and return its id."""
        return bookkeeping.start_run(self.db, kind, images_requested, source)

    def record_failure(self, run_id: int, image: str, reason: str) -> None:
        """Record that `image` failed in `run_id`, and why."""
        bookkeeping.record_failure(self.db, run_id, image, reason)

    def finish_run(
        self, run_id: int, images_collected: int, images_failed: int, images_requested: int | None = None
    ) -> None:
        """Mark `run_id` finished with its totals."""
        bookkeeping.finish_run(self.db, run_id, images_collected, images_failed, images_requested)

    def read_runs(self, limit: int = 20) -> pd.DataFrame:
        """Return the latest runs, newest first."""
        return bookkeeping.read_runs(self.db, limit)

    def read_failures(self, run_id: int) -> pd.DataFrame:
        """Return the images that failed in `run_id` with the reason for each."""
        return bookkeeping.read_failures(self.db, run_id)

    def find_unfinished_run(self, kind: str, source: str, started_since: int) -> int | None:
        """Return the latest unfinished run of `kind` and `source` started at or after `started_since`."""
        return bookkeeping.find_unfinished_run(self.db, kind, source, started_since)

    def clear_failures(self, run_id: int) -> None:
        """Forget the failures recorded in `run_id`."""
        bookkeeping.clear_failures(self.db, run_id)

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
        return bookkeeping.create_catalog_snapshot(
            self.db, source, observed_from, observed_to, attribution, run_id, sha256
        )

    def update_catalog_snapshot(self, snapshot_id: int, **values: Any) -> None:  # noqa: ANN401
        """Change a snapshot's observed_to, discovered or complete."""
        bookkeeping.update_catalog_snapshot(self.db, snapshot_id, **values)

    def save_catalog_entries(self, snapshot_id: int, entries: Sequence[Mapping[str, Any]], replace: bool = True) -> int:
        """Save `entries` of a snapshot at once; `replace` False keeps entries already stored."""
        return bookkeeping.save_catalog_entries(self.db, snapshot_id, entries, replace)

    def save_catalog_file(
        self,
        sha256: str,
        source: str,
        observed_from: int,
        observed_to: int,
        attribution: str | None,
        entries: Sequence[Mapping[str, Any]],
    ) -> int:
        """Save a catalog file as one complete snapshot; return entries added.

        ClickHouse has no multi-statement transaction: every entry is checked first, and the file's hash
        is written last (with the complete flag), so a save cut short is imported again, never skipped.
        """
        for entry in entries:
            check_entry({**entry, "snapshot_id": 0})
        snapshot_id = bookkeeping.create_catalog_snapshot(self.db, source, observed_from, observed_to, attribution)
        added = bookkeeping.save_catalog_entries(self.db, snapshot_id, entries)
        bookkeeping.finish_catalog_file(self.db, snapshot_id, sha256)
        return added

    def catalog_hashes(self) -> set[str]:
        """Return the sha256 of every catalog file already imported."""
        return bookkeeping.catalog_hashes(self.db)

    def snapshot_of_run(self, run_id: int) -> dict[str, Any] | None:
        """Return the catalog snapshot a collection run writes, or None."""
        return bookkeeping.snapshot_of_run(self.db, run_id)

    def entries_by_method(self, snapshot_id: int) -> dict[str, set[tuple[str, str]]]:
        """Return {method: {(namespace, name), ...}} of a snapshot's entries."""
        return bookkeeping.entries_by_method(self.db, snapshot_id)

    def read_catalog_snapshots(self) -> pd.DataFrame:
        """Return every catalog snapshot, oldest first, with its counts of entries."""
        return bookkeeping.read_catalog_snapshots(self.db)

    def read_catalog_entries(self, snapshot_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Return the entries of `snapshot_ids` (every snapshot when None)."""
        return bookkeeping.read_catalog_entries(self.db, snapshot_ids)

    # Imported history files
    def imported_hashes(self) -> set[str]:
        """Return the sha256 of every history file already imported."""
        return bookkeeping.imported_hashes(self.db)

    def save_history_file(self, records: Sequence[dict[str, Any]], sha256: str, path: str) -> int:
        """Save a history file's snapshots, then mark it imported (last, so a cut-short import is done again)."""
        added = pulls.save_snapshots(self.db, records)
        bookkeeping.mark_imported(self.db, sha256, path, len(records), added)
        return added

    # Copying a whole store
    def count_rows(self, table: str) -> int:
        """Return how many rows `table` (one of COPY_TABLES) holds."""
        return copying.count_rows(self.db, table)

    def read_rows(self, table: str, after: tuple | None, limit: int) -> pd.DataFrame:
        """Return up to `limit` rows of `table` in key order, strictly after the key `after` (None: from the start)."""
        return copying.read_rows(self.db, table, after, limit)

    def write_rows(self, table: str, rows: pd.DataFrame) -> int:
        """Insert `rows` (columns as read_rows gives them) with their ids; rows whose key is present are skipped."""
        return copying.write_rows(self.db, table, rows)


def open_clickhouse_store(url: str) -> ClickHouseStore:
    """Open the chdb:// or clickhouse(s):// store at `url` (recognised, created); raise StoreError otherwise."""
    if url.lower().startswith("chdb://"):
        path = chdb_path(url)
        shown = f"chdb://{path}"
        driver = ChdbDriver(path)
    else:
        shown = shown_clickhouse_url(url)
        driver = HttpDriver(url)
    db = Db(driver)
    try:
        ensure_schema(db, shown)
    except StoreError:
        driver.close()
        raise
    except DriverError as error:
        driver.close()
        raise StoreError(f"cannot open the store {shown}: {error}") from None
    return ClickHouseStore(db, shown)
