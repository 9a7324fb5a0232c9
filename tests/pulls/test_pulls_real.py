"""Real histories from docker-pulls-scraper, checked against the scraper's own Delta column and SUM_* files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.pulls.combine import combine_images
from analysis.pulls.periods import daily_pulls, period_pulls
from analysis.pulls.rank import rank_images, window_growth, window_offsets
from analysis.pulls.read import read_pull_history, read_window_counts
from store import Store
from store.values import split_image
from tests.pulls.pulls_fixtures import FIXTURES, image_files, image_of, read_scraper_csv, scraper_sums


def image_daily(engine: Store, images: list[str], attribution: str = "observed") -> pd.DataFrame:
    """Daily pulls of the images as read from the store."""
    observations, failures = read_pull_history(engine, [split_image(image) for image in images])
    return daily_pulls(observations, attribution, failures)


@pytest.mark.parametrize("path", image_files(), ids=lambda path: path.stem)
def test_daily_pulls_match_the_scrapers_delta_column(real_store: Store, path: Path) -> None:
    scraped = read_scraper_csv(path)
    repeated = scraped["date"].duplicated(keep=False)
    # Rows whose date and previous row's date are both single: Delta is that day's increase.
    checkable = ~repeated & ~repeated.shift(1, fill_value=True)
    expected = scraped[checkable].assign(period=lambda frame: frame["date"].dt.tz_localize(None))
    namespace, name = image_of(path)
    daily = image_daily(real_store, [f"{namespace}/{name}"])
    merged = expected.merge(daily, on="period")
    clean = merged[merged["flag"] == ""]
    assert len(clean) >= 0.9 * len(expected)
    assert (clean["pulls"] == clean["delta"]).all()


@pytest.mark.parametrize("path", image_files(), ids=lambda path: path.stem)
def test_months_add_up_to_the_last_count_minus_the_first(real_store: Store, path: Path) -> None:
    scraped = read_scraper_csv(path).drop_duplicates("date", keep="last")
    namespace, name = image_of(path)
    for attribution in ("spread", "observed"):
        monthly = period_pulls(image_daily(real_store, [f"{namespace}/{name}"], attribution), "month")
        assert monthly["pulls"].sum() == scraped["count"].iloc[-1] - scraped["count"].iloc[0]
        assert monthly["pull_count"].iloc[-1] == scraped["count"].iloc[-1]


@pytest.mark.parametrize("aggregate", sorted(scraper_sums()))
def test_combined_series_match_the_scrapers_sum_files(real_store: Store, aggregate: str) -> None:
    members = scraper_sums()[aggregate]
    combined = combine_images(image_daily(real_store, members))
    published = read_scraper_csv(FIXTURES / f"SUM_{aggregate}.csv").drop_duplicates("date", keep="last")
    published = published.assign(period=published["date"].dt.tz_localize(None))
    merged = published.merge(combined, on="period", how="left")
    assert len(merged) == len(published)
    assert (merged["pull_count"] == merged["count"]).all()
    # The scraper counts a member's first count as pulls of the day it appears; here it is a baseline.
    first_counts: dict[pd.Timestamp, int] = {}
    for image in members:
        scraped = read_scraper_csv(FIXTURES / f"{image.replace('/', '_')}.csv")
        day = scraped["date"].iloc[0].tz_localize(None)
        first_counts[day] = first_counts.get(day, 0) + scraped["count"].iloc[0]
    joined = merged["flag"].str.contains("joined")
    assert set(merged.loc[joined, "period"]) == set(first_counts) - {min(first_counts)}
    for _, row in merged[joined].iterrows():
        assert row["pulls"] + first_counts[row["period"]] == row["delta"]
    # A few early rows of SUM_falco-talon.csv carry a Delta that is not its own Count difference.
    consistent = merged["count"].diff() == merged["delta"]
    assert (~consistent).sum() <= 7
    steady = merged[consistent & ~merged["flag"].str.contains("joined|gap")]
    assert len(steady) >= 0.98 * len(merged)
    assert (steady["pulls"] == steady["delta"]).all()


def test_combined_falco_images_on_the_last_day(real_store: Store) -> None:
    combined = combine_images(image_daily(real_store, ["falcosecurity/falco", "falcosecurity/falco-no-driver"]))
    last = combined[combined["period"] == pd.Timestamp("2026-08-08")]
    assert last["pull_count"].tolist() == [114_802_940]


def test_ranking_by_window_pulls_agrees_with_the_files(real_store: Store) -> None:
    counts = read_window_counts(real_store, window_offsets(30))
    ranked = rank_images(window_growth(counts, 30), "pulls")
    expected = {}
    for path in image_files():
        scraped = read_scraper_csv(path).drop_duplicates("date", keep="last").set_index("date")["count"]
        last_day = scraped.index.max()
        expected[image_of(path)] = scraped.iloc[-1] - scraped.loc[: last_day - pd.Timedelta(days=30)].iloc[-1]
    got = {(row.namespace, row.name): row.pulls for row in ranked.itertuples()}
    assert got == expected
    assert ranked["avg_daily_pulls"].is_monotonic_decreasing
    assert ranked.iloc[0][["namespace", "name"]].tolist() == ["falcosecurity", "falco"]
