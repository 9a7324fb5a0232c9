"""Catalog counts over snapshots counted by the database (`Store.catalog_counts`), the same on every backend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.catalog.over_time import counts_over_time, over_time
from analysis.catalog.read import read_all_catalogs
from store import open_store

DAY = 86_400
PUBLISHERS = ("official", "verified", "community")


def _entry(number: int, low: int, high: int | None, exact: bool, publisher: str, day: int) -> dict:
    return {"namespace": f"ns{number % 7}", "name": f"repo{number}", "publisher": publisher, "pull_low": low,
            "pull_high": high, "exact": exact, "pull_text": str(low), "star_count": None, "method": "listing",
            "rank": None, "observed_at": day * DAY}  # fmt: skip


def _fill(url: str) -> None:
    rng = np.random.default_rng(3)
    store = open_store(url)
    try:
        for day in (20_000, 20_001, 20_003):
            snapshot = store.create_catalog_snapshot("test", day * DAY)
            entries = []
            for number in range(60):
                low = int(rng.choice([0, 999_999, 1_000_000, 9_999_999, 10_000_000, 10_000_001, 2_147_483_647]))
                exact = bool(rng.integers(0, 2))
                high = low if exact else (None if rng.integers(0, 3) == 0 else low * 10 + 9)
                entries.append(_entry(number, low, high, exact, PUBLISHERS[number % 3], day))
            store.save_catalog_entries(snapshot, entries)
            # A re-saved entry is counted once, with its new count.
            store.save_catalog_entries(snapshot, [_entry(0, 50_000_000, 50_000_000, True, "official", day)])
            store.update_catalog_snapshot(snapshot, discovered=True, complete=True)
        store.create_catalog_snapshot("empty", 20_004 * DAY)  # no entries: not a row
    finally:
        store.close()


@pytest.mark.parametrize("pulls", [1, 1_000_000, 10_000_000, 10_000_001, 100_000_000])
def test_counts_from_the_store_equal_the_counts_of_every_entry_read_back(db_url: str, pulls: int) -> None:
    _fill(db_url)
    store = open_store(db_url)
    try:
        counted = counts_over_time(store, pulls)
        read_back = over_time(*read_all_catalogs(store), pulls)
    finally:
        store.close()
    assert len(counted) == 3
    pd.testing.assert_frame_equal(counted, read_back, check_dtype=False)


def test_counts_of_one_small_snapshot_worked_by_hand(db_url: str) -> None:
    store = open_store(db_url)
    try:
        snapshot = store.create_catalog_snapshot("hand", 20_000 * DAY)
        store.save_catalog_entries(
            snapshot,
            [
                _entry(1, 10_000_000, 10_000_000, True, "official", 20_000),  # surely above, exact
                _entry(2, 20_000_000, None, False, "official", 20_000),  # surely above, a floor
                _entry(3, 5_000_000, 50_000_000, False, "community", 20_000),  # straddling
                _entry(4, 1_000, 9_999_999, False, "community", 20_000),  # surely below
            ],
        )
        counts = store.catalog_counts(10_000_000)
    finally:
        store.close()
    row = counts.iloc[0].to_dict()
    assert {key: (bool(v) if key == "official_exact" else int(v)) for key, v in row.items()} == {
        "snapshot_id": snapshot, "base": 4, "images": 2, "exact": 1, "bounds": 1, "straddling": 1,
        "official_images": 2, "official_low": 30_000_000, "official_exact": False,
    }  # fmt: skip
