"""Catalog tables on every backend: exact rows stored and read back, ranges kept, bad rows refused."""

from __future__ import annotations

import pytest

from store.values import StoreValueError
from tests.store.backends import raw_rows

ENTRY = {"publisher": "official", "star_count": 7, "rank": 1, "observed_at": 1_724_198_399}
ROWS = (
    "SELECT snapshot_id, namespace, name, publisher, pull_low, pull_high, exact, pull_text, method "
    "FROM catalog_entries ORDER BY namespace, name"
)


def _entry(name: str, low: int, high: int | None, exact: bool, text_: str, method: str = "search") -> dict:
    return {**ENTRY, "namespace": "library", "name": name, "pull_low": low, "pull_high": high, "exact": exact,
            "pull_text": text_, "method": method}  # fmt: skip


def test_entries_round_trip_exactly(engine) -> None:
    snapshot = engine.create_catalog_snapshot("test", 1_723_852_800, 1_724_198_399, sha256="ab" * 32)
    entries = [
        _entry("nginx", 1_000_000_000, None, False, "1B+"),
        _entry("redis", 10_000_000, 49_999_999, False, "10M+"),
        _entry("ubuntu", 12_981_954_060, 12_981_954_060, True, "12981954060", "listing"),
    ]
    assert engine.save_catalog_entries(snapshot, entries) == 3
    rows = raw_rows(engine, ROWS)
    assert rows == [
        (snapshot, "library", "nginx", "official", 1_000_000_000, None, False, "1B+", "search"),
        (snapshot, "library", "redis", "official", 10_000_000, 49_999_999, False, "10M+", "search"),
        (snapshot, "library", "ubuntu", "official", 12_981_954_060, 12_981_954_060, True, "12981954060", "listing"),
    ]
    frame = engine.read_catalog_entries()
    assert frame["pull_high"].isna().tolist() == [True, False, False]
    assert engine.catalog_hashes() == {"ab" * 32}
    assert engine.entries_by_method(snapshot) == {"search": {("library", "nginx"), ("library", "redis")},
                                                   "listing": {("library", "ubuntu")}}  # fmt: skip
    engine.update_catalog_snapshot(snapshot, complete=True)
    snapshots = engine.read_catalog_snapshots()
    assert snapshots[["entries", "exact_entries", "complete"]].values.tolist() == [[3, 1, True]]


def test_a_search_entry_never_overwrites_an_exact_listing(engine) -> None:
    snapshot = engine.create_catalog_snapshot("test", 1_723_852_800)
    engine.save_catalog_entries(snapshot, [_entry("redis", 12_345_678, 12_345_678, True, "12345678", "listing")])
    engine.save_catalog_entries(snapshot, [_entry("redis", 10_000_000, 49_999_999, False, "10M+")], replace=False)
    row = engine.read_catalog_entries().iloc[0]
    assert (row["pull_low"], row["exact"], row["method"]) == (12_345_678, True, "listing")


@pytest.mark.parametrize(
    "bad",
    [
        _entry("a", 10, 5, False, "10+"),  # high below low
        _entry("a", 10, 11, True, "10"),  # exact but a range
        _entry("a", -1, None, False, "x"),
        _entry("a", 10, None, "yes", "10"),
        {**_entry("a", 1, 1, True, "1"), "publisher": "someone"},
        {**_entry("a", 1, 1, True, "1"), "name": "x" * 300},
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(engine, bad) -> None:
    snapshot = engine.create_catalog_snapshot("test", 1_723_852_800)
    with pytest.raises(StoreValueError):
        engine.save_catalog_entries(snapshot, [_entry("ok", 1, 1, True, "1"), bad])
    assert engine.read_catalog_entries().empty
