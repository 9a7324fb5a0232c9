"""Catalog history: images at or above a threshold at each snapshot (floors), counter faults flagged."""

from __future__ import annotations

import json

import pytest

from analysis.__main__ import main as analysis_main
from analysis.catalog.over_time import entry_faults, threshold_over_time
from analysis.catalog.read import read_all_catalogs
from analysis.counter_faults import observation_faults
from store import open_store

DAY = 86_400
T0 = 1_600_000_000
CAP = 2_147_483_647
M = 1_000_000
# Four snapshots 30 days apart; None: the repository is not in that snapshot; a tuple is a bucket (low, high).
COUNTS = {
    ("library", "nginx"): [CAP, CAP, 12_000 * M, None],  # stuck at the int32 cap, then the true count
    ("a", "grow"): [9 * M, 11 * M, 15 * M, None],  # crosses 10M between the first two
    ("a", "reset"): [20 * M, 5 * M, 25 * M, None],  # goes down once: a reset
    ("a", "stall"): [10 * M, 40 * M, 40 * M, 100 * M],  # flat for 30 days, then catches up
    ("b", "bucket"): [(10 * M, 50 * M), (10 * M, 50 * M), None, None],  # "10M+": a floor, never flagged
    ("b", "straddle"): [(5 * M, 50 * M), None, None, None],  # its range straddles 10M: not counted
}


def _entry(namespace: str, name: str, count, rank: int, at: int) -> dict:
    low, high = count if isinstance(count, tuple) else (count, count)
    exact = not isinstance(count, tuple)
    return {"namespace": namespace, "name": name, "publisher": "community", "pull_low": low, "pull_high": high,
            "exact": exact, "pull_text": str(low) if exact else "10M+", "star_count": None,
            "method": "listing" if exact else "search", "rank": rank, "observed_at": at}  # fmt: skip


@pytest.fixture
def history_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = open_store(url)
    for index in range(4):
        at = T0 + 30 * DAY * index
        snapshot_id = store.create_catalog_snapshot(f"test snapshot {index + 1}", at, at + 60)
        entries = [
            _entry(ns, name, counts[index], rank, at)
            for rank, ((ns, name), counts) in enumerate(COUNTS.items(), start=1)
            if counts[index] is not None
        ]
        store.save_catalog_entries(snapshot_id, entries)
    store.close()
    return url


def test_threshold_over_time_counts_floors_per_snapshot_and_flags_faults(history_db):
    store = open_store(history_db)
    entries, snapshots = read_all_catalogs(store)
    store.close()
    table = threshold_over_time(entries, snapshots, 10 * M)
    columns = ["snapshot_id", "images", "exact", "bounds", "straddling", "base", "cap", "decrease", "stall"]
    assert table[columns].values.tolist() == [
        [1, 4, 3, 1, 1, 6, 1, 0, 0],  # nginx (cap), reset, stall, bucket; grow below; straddle not counted
        [2, 4, 3, 1, 0, 5, 1, 1, 0],  # nginx (cap), grow, stall, bucket; reset below (a decrease)
        [3, 4, 4, 0, 0, 4, 0, 0, 1],  # nginx, grow, reset, stall (flat since the last snapshot: a stall)
        [4, 1, 1, 0, 0, 1, 0, 0, 0],
    ]
    assert table["label"].unique().tolist() == ["10M+"]


def test_entry_faults_use_the_pull_historys_own_masks(history_db):
    store = open_store(history_db)
    entries, snapshots = read_all_catalogs(store)
    store.close()
    flagged = entries.assign(fault=entry_faults(entries, snapshots))
    flagged = flagged[flagged["fault"] != ""]
    assert sorted(zip(flagged["snapshot_id"], flagged["name"], flagged["fault"], strict=True)) == [
        (1, "nginx", "cap"),
        (2, "nginx", "cap"),
        (2, "reset", "decrease"),
        (3, "stall", "stall"),
    ]


def test_the_command_prints_a_row_per_snapshot_and_threshold(history_db, capsys):
    code = analysis_main(["catalog", "threshold", "--pulls", "10M", "--pulls", "30M", "--over-time",
                          "--db", history_db, "--format", "json"])  # fmt: skip
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["snapshot_id"], row["label"], row["images"]) for row in rows] == [
        (1, "10M+", 4), (2, "10M+", 4), (3, "10M+", 4), (4, "10M+", 1),
        (1, "30M+", 1), (2, "30M+", 2), (3, "30M+", 2), (4, "30M+", 1),
    ]  # fmt: skip
    assert rows[0]["source"] == "test snapshot 1" and rows[0]["cap"] == 1


def test_over_time_with_one_snapshot_named_is_refused(history_db, capsys):
    code = analysis_main(["catalog", "threshold", "--over-time", "--snapshot", "1", "--db", history_db])
    assert code == 2
    assert "--over-time covers every snapshot" in capsys.readouterr().err


def test_observation_faults_of_a_series_with_no_good_count():
    assert observation_faults([T0], [CAP]).tolist() == ["cap"]
    assert observation_faults([T0, T0 + DAY], [CAP, CAP]).tolist() == ["cap", "cap"]
    assert observation_faults([], []).tolist() == []
