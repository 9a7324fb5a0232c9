"""Loading catalog snapshots for analysis: the latest (or a chosen) snapshot's entries and its description."""

from __future__ import annotations

import pandas as pd

from analysis.errors import QuestionNotFound
from store.interface import Store

NO_SNAPSHOT = (
    "the store holds no catalog snapshot: run `python -m collectors dockerhub-catalog`, or open the default "
    "store (the bundled 2024 snapshot is imported into it on first use)"
)


def snapshot_span(row: pd.Series) -> str:
    """Return when a snapshot was taken: "2024-08-17..2024-08-20", or one day."""
    first, last = row["observed_from"].date().isoformat(), row["observed_to"].date().isoformat()
    return first if first == last else f"{first}..{last}"


def pick_snapshot(snapshots: pd.DataFrame, snapshot_id: int | None = None) -> pd.Series:
    """Return the row of snapshot `snapshot_id`, or of the latest one with entries; raise QuestionNotFound."""
    usable = snapshots[snapshots["entries"] > 0]
    if snapshot_id is not None:
        usable = usable[usable["snapshot_id"] == snapshot_id]
        if usable.empty:
            known = ", ".join(str(i) for i in snapshots["snapshot_id"]) or "none"
            raise QuestionNotFound(f"no catalog snapshot {snapshot_id} with entries (snapshots: {known})")
    if usable.empty:
        raise QuestionNotFound(NO_SNAPSHOT)
    return usable.iloc[-1]


def read_catalog(store: Store, snapshot_id: int | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Return (entries, snapshot row) of `snapshot_id`, else of the latest catalog snapshot."""
    snapshot = pick_snapshot(store.read_catalog_snapshots(), snapshot_id)
    return store.read_catalog_entries([int(snapshot["snapshot_id"])]), snapshot


def read_all_catalogs(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (every entry, every snapshot with entries), for figures over time."""
    snapshots = store.read_catalog_snapshots()
    snapshots = snapshots[snapshots["entries"] > 0].reset_index(drop=True)
    return store.read_catalog_entries(), snapshots
