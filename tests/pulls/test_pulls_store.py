"""Store queries behind pull analytics, on SQLite and PostgreSQL, asserting exact rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from analysis.pulls.read import read_pull_history
from store import Store
from store.values import CAP_PULL_COUNT

DAY = 86_400
START = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())


def snapshot(image: str, day: int, count: int) -> dict:
    """A snapshot record of NS/NAME on day `day` after 2024-01-01, at 06:00 UTC."""
    namespace, name = image.split("/")
    return {"namespace": namespace, "name": name, "observed_at": START + day * DAY + 6 * 3600, "pull_count": count}


@pytest.fixture
def filled(any_store: Store) -> Store:
    """A store with three images: steady, one stuck at the cap on its last day, one that starts late."""
    records = [snapshot("acme/web", day, 1000 + 10 * day) for day in range(0, 61)]
    records += [snapshot("acme/db", day, 500 + day) for day in range(0, 60)]
    records += [snapshot("acme/db", 60, CAP_PULL_COUNT)]
    records += [snapshot("other/new", day, 7 * day) for day in range(45, 61)]
    any_store.save_snapshots(records)
    return any_store


def at(day: int) -> int:
    """The instant of the fixture's snapshot on `day`."""
    return START + day * DAY + 6 * 3600


def test_window_counts_end_on_each_images_own_last_good_count(filled: Store) -> None:
    assert filled.latest_observed_at() == at(60)
    counts = filled.window_counts([30, 60])
    rows = {
        (row.namespace, row.name): (row.end_at, row.end_count, row.count_30, row.at_30, row.count_60, row.first_count)
        for row in counts.itertuples()
    }
    assert rows == {
        ("acme", "web"): (at(60), 1600, 1300, at(30), 1000, 1000),
        # The cap value on day 60 is skipped: this image ends on day 59, and its windows with it.
        ("acme", "db"): (at(59), 559, 529, at(29), pd.NA, 500),
        ("other", "new"): (at(60), 420, pd.NA, pd.NA, pd.NA, 315),
    }


def test_window_counts_until_a_day_and_filtered(filled: Store) -> None:
    counts = filled.window_counts([1], until=START + 50 * DAY + 23 * 3600)
    assert counts[["name", "end_count", "count_1"]].values.tolist() == [
        ["db", 550, 549],
        ["web", 1500, 1490],
        ["new", 350, 343],
    ]
    assert filled.window_counts([1], until=START + 40 * DAY)["name"].tolist() == ["db", "web"]
    assert filled.window_counts([1], namespace="other")["name"].tolist() == ["new"]
    web = filled.find_images([("acme", "web")])["image_id"].tolist()
    assert filled.window_counts([1], image_ids=web)["name"].tolist() == ["web"]


def test_observations_since_a_day_keep_one_baseline_before_it(filled: Store) -> None:
    since = START + 10 * DAY
    until = START + 12 * DAY + 23 * 3600
    frame = filled.read_observations([("acme", "web")], since, until)
    assert set(frame["name"]) == {"web"}
    assert frame["observed_at"].tolist() == [START + day * DAY + 6 * 3600 for day in (9, 10, 11, 12)]
    assert frame["pull_count"].tolist() == [1090, 1100, 1110, 1120]


def test_all_images_lists_those_with_snapshots(filled: Store) -> None:
    assert filled.all_images()[["namespace", "name"]].values.tolist() == [
        ["acme", "db"],
        ["acme", "web"],
        ["other", "new"],
    ]


def test_read_pull_history_names_unknown_images_and_returns_failed_polls(filled: Store) -> None:
    with pytest.raises(LookupError, match="nobody/nothing"):
        read_pull_history(filled, [("acme", "web"), ("nobody", "nothing")])
    run_id = filled.start_run("collect", 1)
    filled.record_failure(run_id, "acme/web", "HTTP 503")
    filled.finish_run(run_id, 0, 1)
    observations, failures = read_pull_history(filled, [("acme", "web")])
    assert len(observations) == 61
    assert failures[["namespace", "name"]].values.tolist() == [["acme", "web"]]
