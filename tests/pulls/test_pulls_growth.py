"""Growth, rankings, peer share, combined series, milestones and event lift on hand-computed frames."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pulls_combine import combine_images
from analysis.pulls_growth import average_daily_pulls, compound_growth, period_change
from analysis.pulls_milestones import event_lift, milestones
from analysis.pulls_periods import daily_pulls, period_pulls
from analysis.pulls_rank import parse_window, peer_share, rank_images, window_pulls


def steady(image: str, start: str, counts: list[int]) -> pd.DataFrame:
    """Daily observations of NS/NAME from `start`, one count a day."""
    namespace, name = image.split("/")
    days = pd.date_range(start, periods=len(counts), tz="UTC")
    return pd.DataFrame({"namespace": namespace, "name": name, "observed_at": days, "pull_count": counts})


def values(series: pd.Series) -> list:
    """Values with missing ones as None, floats rounded for comparison."""
    return [None if pd.isna(value) else round(float(value), 6) for value in series]


def test_period_change_compares_pulls_per_day() -> None:
    # January: 31 days x 10; February 1-10: 10 days x 20 pulls.
    counts = [0] + [10 * day for day in range(1, 31)] + [300 + 20 * day for day in range(1, 11)]
    monthly = period_change(period_pulls(daily_pulls(steady("a/b", "2024-01-01", counts)), "month"))
    assert values(monthly["pulls"]) == [300, 200]
    assert values(monthly["days"]) == [30, 10]
    assert values(monthly["change"]) == [None, 1.0]


def test_average_daily_pulls_over_7_and_30_days() -> None:
    counts = [100 + 5 * day for day in range(40)]
    daily = average_daily_pulls(daily_pulls(steady("a/b", "2024-01-01", counts)))
    assert values(daily["avg_7d"])[:7] == [None] * 7
    assert values(daily["avg_7d"])[7:] == [5.0] * 33
    assert values(daily["avg_30d"])[29:31] == [None, 5.0]


def test_compound_growth_per_month() -> None:
    # The count doubles and the daily pulls double over 61 days (2 months of 30.5 days).
    counts = [1000 * 2 ** (day / 61) for day in range(0, 200)]
    daily = daily_pulls(steady("a/b", "2024-01-01", [round(count) for count in counts]))
    result = compound_growth(daily, "2024-02-01", "2024-04-02", unit_days=30.5)
    assert result["count_growth"].round(3).tolist() == [round(2**0.5 - 1, 3)]
    assert result["pulls_growth"].round(2).tolist() == [round(2**0.5 - 1, 2)]
    with pytest.raises(ValueError, match="after"):
        compound_growth(daily, "2024-03-01", "2024-02-01")


def test_combined_series_counts_a_member_as_zero_before_it_appears() -> None:
    first = steady("p/one", "2024-01-01", [100, 110, 120, 130])
    second = steady("p/two", "2024-01-03", [50, 55])
    combined = combine_images(daily_pulls(pd.concat([first, second])))
    assert values(combined["pull_count"]) == [100, 110, 170, 185]
    assert values(combined["pulls"]) == [None, 10, 10, 15]
    assert combined["flag"].tolist() == ["baseline", "", "joined", ""]
    assert combined["name"].unique().tolist() == ["p/one+p/two"]


def test_combined_series_is_partial_where_a_member_is_unknown() -> None:
    first = steady("p/one", "2024-01-01", [100, 110, 120, 130])
    second = steady("p/two", "2024-01-01", [50, 55, 60, 65]).drop(index=2)
    combined = combine_images(daily_pulls(pd.concat([first, second]), "observed"))
    assert values(combined["pull_count"]) == [150, 165, None, 195]
    assert values(combined["pulls"]) == [None, 15, 10, 20]
    assert combined["flag"].tolist() == ["baseline", "", "gap;partial", ""]


def window_frame() -> pd.DataFrame:
    """Window counts as the store returns them: cut-offs end-2w, end-w, end."""
    return pd.DataFrame(
        {
            "image_id": [1, 2, 3, 4],
            "namespace": ["a", "a", "b", "b"],
            "name": ["big", "fast", "new", "tiny"],
            "count_0": pd.array([1000, 100, None, 10], dtype="Int64"),
            "count_1": pd.array([2000, 1100, None, 12], dtype="Int64"),
            "count_2": pd.array([2500, 3100, 900, 30], dtype="Int64"),
            "first_at": pd.array([1, 1, 1, 1], dtype="Int64"),
            "first_count": pd.array([1001, 101, 400, 11], dtype="Int64"),
        }
    )


def test_rankings_by_total_pulls_and_growth() -> None:
    window = window_pulls(window_frame(), 10)
    assert rank_images(window, "total")["name"].tolist() == ["fast", "big", "new", "tiny"]
    by_pulls = rank_images(window, "pulls", top=2)
    assert by_pulls[["rank", "name", "pulls"]].values.tolist() == [[1, "fast", 2000], [2, "big", 500]]
    new = window[window["name"] == "new"].iloc[0]
    assert (new["pulls"], new["flag"]) == (500, "partial")
    by_growth = rank_images(window, "growth", min_previous_pulls=100)
    assert by_growth["name"].tolist() == ["fast", "big"]
    assert values(by_growth["growth"]) == [1.0, -0.5]
    assert rank_images(window, "growth", min_previous_pulls=1)["name"].tolist() == ["tiny", "fast", "big"]


def test_window_lengths() -> None:
    assert [parse_window(text) for text in ("30d", "4w", "7", " 90D ")] == [30, 28, 7, 90]
    with pytest.raises(ValueError, match="30d"):
        parse_window("a month")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 1000), min_size=3, max_size=3), min_size=1, max_size=6))
def test_peer_shares_stay_between_0_and_1_and_add_up_to_1(pulls_by_image: list[list[int]]) -> None:
    frames = [
        steady(f"p/i{index}", "2024-01-01", list(pd.Series([0, *pulls]).cumsum()))
        for index, pulls in enumerate(pulls_by_image)
    ]
    shared = peer_share(daily_pulls(pd.concat(frames)))
    known = shared[shared["share"].notna()]
    assert ((known["share"] >= 0) & (known["share"] <= 1)).all()
    totals = known.groupby("period")["share"].sum()
    assert ((totals - 1).abs() < 1e-9).all()


def test_milestone_dates_from_the_recent_trend() -> None:
    counts = [1000 + 100 * day for day in range(100)]  # 100 a day, 10,900 on the last day
    daily = daily_pulls(steady("a/b", "2024-01-01", counts))
    ahead = milestones(daily, 12_000).iloc[0]
    assert ahead["as_of"] == pd.Timestamp("2024-04-09")
    assert ahead["expected"] == pd.Timestamp("2024-04-09") + pd.Timedelta(days=11)
    assert ahead["earliest"] == ahead["expected"] == ahead["latest"]
    passed = milestones(daily, 5_000).iloc[0]
    assert passed["passed_on"] == pd.Timestamp("2024-02-10")
    assert pd.isna(passed["expected"])


def test_event_lift_compares_the_days_before_and_after() -> None:
    pulls = [10] * 10 + [30] * 10
    daily = daily_pulls(steady("a/b", "2024-01-01", list(pd.Series([0, *pulls]).cumsum())))
    lift = event_lift(daily, "2024-01-12", 5).iloc[0]
    assert (lift["pulls_before"], lift["pulls_after"], lift["lift"]) == (50, 150, 2.0)
    outside = event_lift(daily, "2024-01-20", 5).iloc[0]
    assert not outside["complete"] and pd.isna(outside["lift"])
