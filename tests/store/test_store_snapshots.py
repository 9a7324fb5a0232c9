"""Snapshots on a real store (every backend): exact rows after each write."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from store.sql import snapshots as sql_snapshots
from tests.store.backends import is_clickhouse

NGINX_PULLS = 12_981_954_060  # past 2**32, as nginx is on Docker Hub
STUCK_AT_32_BITS = 2_147_483_647  # the cap Docker Hub's counters sat at in 2020


def _record(name: str, observed_at: int, pull_count: int, namespace: str = "library", **extra) -> dict:
    return {"namespace": namespace, "name": name, "observed_at": observed_at, "pull_count": pull_count, **extra}


def _utc(seconds: int) -> pd.Timestamp:
    return pd.Timestamp(seconds, unit="s", tz="UTC")


def test_saving_the_same_records_twice_keeps_the_same_rows(engine, snapshot_rows) -> None:
    records = [
        _record("nginx", 1_700_000_000, NGINX_PULLS, star_count=21000, last_updated="2023-11-14T10:00:00Z"),
        _record("nginx", 1_700_086_400, NGINX_PULLS + 5_000_000, star_count=21001),
        _record("app", 1_700_000_000, STUCK_AT_32_BITS, namespace="someone"),
    ]
    expected = [
        ("library", "nginx", 1_700_000_000, NGINX_PULLS, 21000, "2023-11-14T10:00:00Z", 7),
        ("library", "nginx", 1_700_086_400, NGINX_PULLS + 5_000_000, 21001, None, 7),
        ("someone", "app", 1_700_000_000, STUCK_AT_32_BITS, None, None, 7),
    ]

    assert engine.save_snapshots(records, run_id=7) == 3
    assert snapshot_rows() == expected
    assert engine.save_snapshots(records, run_id=7) == 0
    assert snapshot_rows() == expected


def test_a_second_count_for_a_stored_instant_leaves_the_first(engine, snapshot_rows) -> None:
    engine.save_snapshots([_record("redis", 1_700_000_000, 100)])
    added = engine.save_snapshots([_record("redis", 1_700_000_000, 999), _record("redis", 1_700_000_060, 101)])

    assert added == 1
    assert snapshot_rows() == [
        ("library", "redis", 1_700_000_000, 100, None, None, None),
        ("library", "redis", 1_700_000_060, 101, None, None, None),
    ]


@pytest.mark.parametrize("pull_count", [NGINX_PULLS, STUCK_AT_32_BITS, 2**32, 2**63 - 1, 0])
def test_counts_are_kept_exactly(engine, snapshot_rows, pull_count: int) -> None:
    engine.save_snapshots([_record("nginx", 1_700_000_000, pull_count)])

    assert snapshot_rows() == [("library", "nginx", 1_700_000_000, pull_count, None, None, None)]
    frame = engine.read_snapshots()
    assert frame["pull_count"].dtype == "int64"
    assert frame["pull_count"].tolist() == [pull_count]


def test_image_details_are_updated_by_later_saves(engine, image_rows) -> None:
    first = _record("app", 1_700_000_000, 10, namespace="team", description="old", is_private=False)
    engine.save_snapshots([first])
    assert image_rows() == [("team", "app", None, False, "old", None)]

    newer = _record(
        "app",
        1_700_000_600,
        11,
        namespace="team",
        description="new",
        repository_type="image",
        is_private=True,
        date_registered="2019-05-01T00:00:00Z",
    )
    engine.save_snapshots([newer])
    assert image_rows() == [("team", "app", "image", True, "new", "2019-05-01T00:00:00Z")]

    # A snapshot without details (an imported history) leaves the details as they are.
    engine.save_snapshots([_record("app", 1_700_001_200, 12, namespace="team")])
    assert image_rows() == [("team", "app", "image", True, "new", "2019-05-01T00:00:00Z")]


def test_observation_times_of_any_kind_are_stored_as_epoch_seconds(engine, snapshot_rows) -> None:
    engine.save_snapshots(
        [
            _record("a", datetime(2024, 1, 1, tzinfo=UTC), 1),
            _record("b", datetime(2024, 1, 1), 2),  # naive: taken as UTC
            _record("c", pd.Timestamp("2024-01-01T01:00:00+01:00"), 3),
        ],
    )

    assert [row[2] for row in snapshot_rows()] == [1_704_067_200] * 3


def test_text_with_nul_characters_is_stored_without_them(engine, snapshot_rows, image_rows) -> None:
    engine.save_snapshots([_record("odd", 1_700_000_000, 1, description="a\x00b", last_updated="2024\x00")])

    assert snapshot_rows() == [("library", "odd", 1_700_000_000, 1, None, "2024", None)]
    assert image_rows() == [("library", "odd", None, None, "ab", None)]


def test_a_failed_transaction_leaves_no_snapshot(engine, snapshot_rows, image_rows) -> None:
    if is_clickhouse(engine):
        pytest.skip("ClickHouse has no multi-statement transaction: it checks every record before the first write")
    with pytest.raises(RuntimeError), engine.engine.begin() as connection:
        sql_snapshots.save_snapshots(connection, [_record("nginx", 1_700_000_000, 1)])
        raise RuntimeError("the run stopped before committing")

    assert snapshot_rows() == []
    assert image_rows() == []


@pytest.fixture
def three_series(engine):  # noqa: ANN201
    """Store three images observed at 1000, 2000 and 3000 seconds (two for bitnami/redis)."""
    engine.save_snapshots(
        [
            _record("nginx", 1000, 10),
            _record("nginx", 2000, 20),
            _record("nginx", 3000, 30),
            _record("redis", 1000, 5, namespace="bitnami"),
            _record("redis", 3000, 7, namespace="bitnami"),
            _record("alpine", 2000, 100),
        ],
    )
    return engine


def _seconds(moment: pd.Timestamp) -> int:
    return int(moment.timestamp())


def _series(frame: pd.DataFrame) -> list[tuple]:
    return [
        (row.namespace, row.name, _seconds(row.observed_at), row.pull_count) for row in frame.itertuples(index=False)
    ]


def test_read_snapshots_returns_every_series_oldest_first(three_series) -> None:
    frame = three_series.read_snapshots()

    assert list(frame.columns) == [
        "namespace",
        "name",
        "observed_at",
        "pull_count",
        "star_count",
        "last_updated",
        "run_id",
    ]
    assert str(frame["observed_at"].dt.tz) == "UTC"
    assert _series(frame) == [
        ("bitnami", "redis", 1000, 5),
        ("bitnami", "redis", 3000, 7),
        ("library", "alpine", 2000, 100),
        ("library", "nginx", 1000, 10),
        ("library", "nginx", 2000, 20),
        ("library", "nginx", 3000, 30),
    ]


def test_read_snapshots_filters_by_image_names(three_series) -> None:
    assert _series(three_series.read_snapshots(["nginx"])) == [
        ("library", "nginx", 1000, 10),
        ("library", "nginx", 2000, 20),
        ("library", "nginx", 3000, 30),
    ]
    assert _series(three_series.read_snapshots(["bitnami/redis", "library/alpine"])) == [
        ("bitnami", "redis", 1000, 5),
        ("bitnami", "redis", 3000, 7),
        ("library", "alpine", 2000, 100),
    ]
    assert three_series.read_snapshots(["redis"]).empty  # library/redis was never stored


def test_read_snapshots_bounds_are_inclusive(three_series) -> None:
    assert _series(three_series.read_snapshots(since=_utc(2000))) == [
        ("bitnami", "redis", 3000, 7),
        ("library", "alpine", 2000, 100),
        ("library", "nginx", 2000, 20),
        ("library", "nginx", 3000, 30),
    ]
    assert _series(three_series.read_snapshots(until=_utc(1000))) == [
        ("bitnami", "redis", 1000, 5),
        ("library", "nginx", 1000, 10),
    ]
    assert _series(three_series.read_snapshots(["nginx"], since=_utc(1500), until=_utc(2500))) == [
        ("library", "nginx", 2000, 20),
    ]


def test_list_images_gives_counts_and_latest_pull_count(three_series) -> None:
    frame = three_series.list_images()

    rows = [
        (r.namespace, r.name, r.snapshots, _seconds(r.first_observed), _seconds(r.last_observed), r.pull_count)
        for r in frame.itertuples(index=False)
    ]
    assert rows == [
        ("bitnami", "redis", 2, 1000, 3000, 7),
        ("library", "alpine", 1, 2000, 2000, 100),
        ("library", "nginx", 3, 1000, 3000, 30),
    ]


def test_an_empty_store_reads_as_empty_frames(engine) -> None:
    assert engine.read_snapshots().empty
    assert engine.list_images().empty
    assert engine.save_snapshots([]) == 0


def test_a_record_with_some_details_leaves_the_others_as_they_are(engine, image_rows) -> None:
    engine.save_snapshots([_record("app", 1_700_000_000, 10, namespace="team", description="d", is_private=True)])
    engine.save_snapshots([_record("app", 1_700_000_600, 11, namespace="team", description="e")])
    assert image_rows() == [("team", "app", None, True, "e", None)]
