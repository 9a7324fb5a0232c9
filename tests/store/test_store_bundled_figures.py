"""The bundled data gives the same figures on chDB as on SQLite: every figure a page or command shows.

Both stores are seeded as a fresh install seeds its default store (collectors.bundled), then read with
the analysis functions the pages and commands use: pulls per day, week and month with their partial-period
flags, anomalies, growth (to the last day and to a day inside the history, which reads raw snapshots on
ClickHouse), the rank order, and the catalog's threshold, distribution, concentration, sources and total.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.catalog.read import read_catalog
from analysis.catalog.stats import by_source, concentration, distribution, publisher_total, threshold_count
from analysis.pulls.anomalies import anomalies
from analysis.pulls.figures import growth_offsets, growth_view, images_daily
from analysis.pulls.periods import period_pulls
from analysis.pulls.read import read_pull_history, read_window_counts
from collectors.bundled import ensure_bundled_history
from store import open_store

pytestmark = pytest.mark.chdb
INSIDE = pd.Timestamp("2025-06-17")  # a day inside the bundled histories


def _figures(url: str) -> dict[str, pd.DataFrame]:
    store = open_store(url)
    try:
        assert ensure_bundled_history(store) > 10_000  # the bundled histories, read in whole
        observations, failures = read_pull_history(store)
        daily = images_daily(observations, failures)
        figures = {f"pulls per {freq}": period_pulls(daily, freq) for freq in ("day", "week", "month")}
        figures["anomalies"] = anomalies(daily)
        for name, until in (("growth", None), ("growth to a day inside", INSIDE)):
            view = growth_view(read_window_counts(store, growth_offsets(), until=until))
            figures[name] = view.table
            figures[f"rank of {name}"] = view.ranked("growth")
            figures[f"rank by total of {name}"] = view.ranked("total")
        figures["namespace growth"] = growth_view(read_window_counts(store, growth_offsets(), namespace="kwdb")).table
        entries, _ = read_catalog(store)
        figures["catalog threshold"] = threshold_count(entries, 10_000_000)
        figures["catalog distribution"] = distribution(entries)
        figures["catalog concentration"] = concentration(entries)
        figures["catalog by source"] = by_source(entries)
        figures["catalog total"] = publisher_total(entries)
        figures["catalog entries"] = entries.drop(columns=["snapshot_id"])
    finally:
        store.close()
    return figures


def test_the_bundled_data_gives_identical_figures_on_chdb_and_sqlite(chdb_url: str, tmp_path: Path) -> None:
    on_sqlite = _figures(f"sqlite:///{tmp_path / 'bundled.db'}")
    on_chdb = _figures(chdb_url)

    assert len(on_sqlite["pulls per day"]) > 1000 and len(on_sqlite["growth"]) > 5
    assert not on_sqlite["growth to a day inside"].equals(on_sqlite["growth"])  # the raw-day path is exercised
    assert len(on_sqlite["anomalies"]) > 0
    assert on_sqlite["pulls per month"]["partial"].any()  # the flags compared below are there
    assert len(on_sqlite["catalog entries"]) == 2251
    for name, frame in on_sqlite.items():
        pd.testing.assert_frame_equal(on_chdb[name], frame, check_dtype=True, obj=name)
