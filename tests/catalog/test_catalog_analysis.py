"""Catalog statistics: on the bundled snapshot against counts made from the raw JSON, and on literal frames."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.catalog.read import read_catalog
from analysis.catalog.stats import (
    by_source,
    concentration,
    distribution,
    parse_pulls,
    publisher_total,
    sum_range,
    threshold_count,
    threshold_ladder,
)
from analysis.errors import InvalidInput
from collectors.catalog.bundled import ensure_bundled_catalog
from store import open_store
from tests.catalog.catalog_hub import BUNDLED

RAW_LOW = {"1B+": 10**9, "500M+": 5 * 10**8, "100M+": 10**8, "50M+": 5 * 10**7, "10M+": 10**7}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('cat') / 'a.db'}")
    assert ensure_bundled_catalog(engine) == 2251
    assert ensure_bundled_catalog(engine) == 0
    entries, snapshot = read_catalog(engine)
    engine.close()
    return entries, snapshot


def _raw() -> list[dict]:
    images = json.loads(BUNDLED.read_text(encoding="utf-8"))["images"]
    return [item["rate_plans"][0]["repositories"][0] | {"source": item["source"]} for item in images.values()]


def test_threshold_counts_match_a_count_made_directly_from_the_raw_json(bundled) -> None:
    entries, snapshot = bundled
    raw = _raw()
    for pulls in (10**7, 5 * 10**7, 10**8, 5 * 10**8, 10**9):
        by_hand = sum(1 for repo in raw if RAW_LOW.get(repo["pull_count"], 0) >= pulls)
        row = threshold_count(entries, pulls).iloc[0]
        assert (row["images"], row["bounds"], row["exact"], row["base"]) == (by_hand, by_hand, 0, 2251)
    assert threshold_ladder(entries)["images"].tolist() == [411, 215, 156, 74, 50]
    assert (snapshot["observed_from"].date().isoformat(), snapshot["observed_to"].date().isoformat()) == (
        "2024-08-17",
        "2024-08-20",
    )


def test_by_source_matches_the_raw_sources(bundled) -> None:
    entries, _ = bundled
    table = by_source(entries).set_index("publisher")
    raw = _raw()
    assert table.loc["official", "images"] == sum(1 for r in raw if r["source"] == "store") == 130
    assert table.loc["verified", "images"] == 833 and table.loc["open_source", "images"] == 1288
    assert table["share_of_images"].sum() == pytest.approx(1.0)
    assert not table["pulls_exact"].any() and table["pulls_at_most"].isna().all()  # 1B+ has no upper bound
    assert table["images_10M_plus"].sum() == 411


def test_distribution_conserves_the_images(bundled) -> None:
    entries, _ = bundled
    table = distribution(entries)
    assert table["images"].sum() == 2251 and (table["exact"] + table["bounded"] == table["images"]).all()
    top = table.iloc[-1]
    assert (top["label"], top["images"], top["open_ended"]) == ("1B–10B", 50, 50)


def test_official_total_is_a_lower_bound_said_so(bundled) -> None:
    entries, _ = bundled
    row = publisher_total(entries, "official").iloc[0]
    official = [r for r in _raw() if r["source"] == "store"]
    by_hand = sum(RAW_LOW.get(r["pull_count"], 0) for r in official)  # 10M+ buckets; the others are under 10M each
    assert by_hand <= row["total"] < by_hand + len(official) * 10**7
    assert not row["total_exact"] and row["reads"] == f"at least {row['total']:,} pulls"


def framed(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"namespace": "ns", "name": f"r{i}", "publisher": pub, "pull_low": low, "pull_high": high, "exact": exact}
            for i, (pub, low, high, exact) in enumerate(rows)
        ]  # fmt: skip
    ).astype({"pull_high": "Int64"})


def test_a_bound_is_never_added_to_an_exact_count_unmarked() -> None:
    exact_only = framed([("official", 100, 100, True), ("official", 50, 50, True)])
    mixed = framed([("official", 100, 100, True), ("official", 10_000_000, 49_999_999, False)])
    open_ended = framed([("official", 100, 100, True), ("official", 10**9, None, False)])
    assert publisher_total(exact_only).iloc[0]["reads"] == "150 pulls"
    assert publisher_total(mixed).iloc[0]["reads"] == "at least 10,000,100 pulls"
    assert sum_range(mixed).high == 50_000_099 and not sum_range(mixed).exact
    assert sum_range(open_ended).high is None and publisher_total(open_ended).iloc[0]["total_exact"] == False  # noqa: E712


def test_a_straddling_range_is_not_counted_above() -> None:
    frame = framed([("community", 1_000_000, 4_999_999, False), ("community", 3_000_000, 3_000_000, True)])
    row = threshold_count(frame, 2_000_000).iloc[0]
    assert (row["images"], row["exact"], row["straddling"]) == (1, 1, 1)


def test_concentration_bounds_hold_the_exact_share() -> None:
    frame = framed([("official", 600, 600, True), ("official", 300, 300, True), ("official", 100, 100, True)])
    row = concentration(frame, [1]).iloc[0]
    assert row["share_low"] == row["share_high"] == row["share_of_lower_bounds"] == pytest.approx(0.6)


@settings(max_examples=80, deadline=None)  # pandas work per example: no per-example deadline on a busy machine
@given(st.lists(st.tuples(st.integers(0, 10**10), st.integers(0, 10**9), st.booleans()), min_size=1, max_size=40))
def test_concentration_bounds_contain_every_share_the_ranges_allow(spec) -> None:
    rows = [("community", low, low if exact else low + width, exact) for low, width, exact in spec]
    frame = framed(rows)
    for top in (1, 3, len(rows)):
        row = concentration(frame, [top]).iloc[0]
        if frame["pull_high"].sum() == 0:
            assert pd.isna(row["share_low"]) and pd.isna(row["share_high"])  # no pulls at all: no share
            continue
        assert 0 <= row["share_low"] <= row["share_high"] <= 1
        ranked = frame.sort_values(["pull_low", "namespace", "name"], ascending=[False, True, True])
        for counts in (ranked["pull_low"], ranked["pull_high"].astype("int64")):  # two points inside the ranges
            total = counts.sum()
            if total:
                assert row["share_low"] - 1e-9 <= counts.iloc[:top].sum() / total <= row["share_high"] + 1e-9


@pytest.mark.parametrize(
    ("text", "pulls"), [("10M", 10**7), ("1.5B", 1_500_000_000), ("500k", 500_000), ("10,000", 10_000)]
)
def test_parse_pulls(text: str, pulls: int) -> None:
    assert parse_pulls(text) == pulls


@pytest.mark.parametrize("text", ["", "ten", "0", "1.5", "-10M"])
def test_parse_pulls_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_pulls(text)
