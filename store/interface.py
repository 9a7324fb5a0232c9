"""The one interface every caller of the store uses; each backend (store/sql/, later others) implements it.

Everything crosses it as plain Python values and pandas frames with fixed columns and dtypes, never a
database object, so a backend without SQLAlchemy can implement the same Protocol. Instants are epoch
seconds (int) going in, and tz-aware UTC datetimes in frames coming out unless a method says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import pandas as pd

# The store's data version: (snapshots, newest observed_at, newest run id); it changes whenever data is added.
DataVersion = tuple[int, int, int]

# Tables a whole-store copy moves, parents first (store_meta is not copied: each store writes its own).
COPY_TABLES = ("images", "runs", "run_failures", "imported_files", "catalog_snapshots", "catalog_entries", "snapshots")
# The key of each table, in the order rows are read.
COPY_KEYS = {
    "images": ("image_id",),
    "runs": ("run_id",),
    "run_failures": ("run_id", "image"),
    "imported_files": ("sha256",),
    "catalog_snapshots": ("snapshot_id",),
    "catalog_entries": ("snapshot_id", "namespace", "name"),
    "snapshots": ("image_id", "observed_at"),
}


@runtime_checkable
class Store(Protocol):
    """A snapshot history store: pull-count snapshots, runs, catalog snapshots and imported files."""

    shown: str  # the store's name as it may be printed (password masked)

    def close(self) -> None:
        """Release the store's connections."""

    def version(self) -> DataVersion:
        """Return (snapshots, newest observed_at, newest run id): it changes whenever the store gains data."""

    # Pull-count snapshots
    def save_snapshots(self, records: Sequence[dict[str, Any]], run_id: int | None = None) -> int:
        """Save `records` (namespace, name, observed_at, pull_count, ...) at once; return rows added (re-runnable)."""

    def read_snapshots(
        self,
        image_names: Sequence[str] | None = None,
        since: pd.Timestamp | None = None,
        until: pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        """Return stored snapshots, oldest first per image, `observed_at` as UTC datetimes."""

    def list_images(self) -> pd.DataFrame:
        """Return every image with a snapshot: its count of snapshots, first and last observation, latest count."""

    def images_in_run(self, run_id: int) -> set[tuple[str, str]]:
        """Return the (namespace, name) of every image with a snapshot saved by `run_id`."""

    def find_images(self, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
        """Return image_id, namespace and name of each stored (namespace, name); unknown pairs are left out."""

    def all_images(self, namespace: str | None = None) -> pd.DataFrame:
        """Return image_id, namespace and name of every image with a snapshot, optionally of one namespace."""

    def read_observations(
        self, pairs: Sequence[tuple[str, str]] | None = None, since: int | None = None, until: int | None = None
    ) -> pd.DataFrame:
        """Return namespace, name, observed_at (epoch seconds) and pull_count, oldest first, one kept before `since`."""

    def read_poll_failures(
        self, pairs: Sequence[tuple[str, str]], since: int | None = None, until: int | None = None
    ) -> pd.DataFrame:
        """Return namespace, name and failed_at (epoch seconds) of recorded failed polls of the images."""

    def latest_observed_at(self) -> int | None:
        """Return the instant of the newest snapshot, or None when there is none."""

    def window_counts(
        self,
        offsets: Sequence[int],
        until: int | None = None,
        namespace: str | None = None,
        image_ids: Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """Return per image its last good observation and the last good one at the end of each earlier day."""

    # Runs
    def start_run(self, kind: str, images_requested: int, source: str | None = None) -> int:
        """Record that a run started and return its id."""

    def record_failure(self, run_id: int, image: str, reason: str) -> None:
        """Record that `image` failed in `run_id`, and why."""

    def finish_run(
        self, run_id: int, images_collected: int, images_failed: int, images_requested: int | None = None
    ) -> None:
        """Mark `run_id` finished with its totals."""

    def read_runs(self, limit: int = 20) -> pd.DataFrame:
        """Return the latest runs, newest first; `complete` is False for a run that never finished."""

    def read_failures(self, run_id: int) -> pd.DataFrame:
        """Return the images that failed in `run_id` with the reason for each."""

    def find_unfinished_run(self, kind: str, source: str, started_since: int) -> int | None:
        """Return the latest unfinished run of `kind` and `source` started at or after `started_since`."""

    def clear_failures(self, run_id: int) -> None:
        """Forget the failures recorded in `run_id`."""

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
        """Record a new catalog snapshot (entries come later) and return its id."""

    def update_catalog_snapshot(self, snapshot_id: int, **values: Any) -> None:  # noqa: ANN401
        """Change a snapshot's observed_to, discovered or complete."""

    def save_catalog_entries(self, snapshot_id: int, entries: Sequence[Mapping[str, Any]], replace: bool = True) -> int:
        """Save `entries` of a snapshot at once; `replace` False keeps entries already stored."""

    def save_catalog_file(
        self,
        sha256: str,
        source: str,
        observed_from: int,
        observed_to: int,
        attribution: str | None,
        entries: Sequence[Mapping[str, Any]],
    ) -> int:
        """Save a catalog file as one complete snapshot, all or nothing; return entries added."""

    def catalog_hashes(self) -> set[str]:
        """Return the sha256 of every catalog file already imported."""

    def snapshot_of_run(self, run_id: int) -> dict[str, Any] | None:
        """Return the catalog snapshot a collection run writes, or None."""

    def entries_by_method(self, snapshot_id: int) -> dict[str, set[tuple[str, str]]]:
        """Return {method: {(namespace, name), ...}} of a snapshot's entries."""

    def read_catalog_snapshots(self) -> pd.DataFrame:
        """Return every catalog snapshot, oldest first, with its number of entries and of exact counts."""

    def read_catalog_entries(self, snapshot_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Return the entries of `snapshot_ids` (every snapshot when None)."""

    # Imported history files
    def imported_hashes(self) -> set[str]:
        """Return the sha256 of every history file already imported."""

    def save_history_file(self, records: Sequence[dict[str, Any]], sha256: str, path: str) -> int:
        """Save a history file's snapshots and record the file as imported, all or nothing; return rows added."""

    # Whole-store copy (store.copy drives it; every backend implements the same three methods)
    def count_rows(self, table: str) -> int:
        """Return how many rows `table` (one of COPY_TABLES) holds."""

    def read_rows(self, table: str, after: tuple | None, limit: int) -> pd.DataFrame:
        """Return up to `limit` rows of `table` in key order, strictly after the key `after` (None: from the start).

        Columns are the table's columns as stored (ids kept; instants as epoch-second ints; booleans as bool)."""

    def write_rows(self, table: str, rows: pd.DataFrame) -> int:
        """Insert `rows` (columns as read_rows gives them) with their ids; rows whose key is present are skipped."""
