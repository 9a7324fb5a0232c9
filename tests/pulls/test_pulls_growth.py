"""Growth, rankings, peer share, combined series, milestones and event lift on hand-computed frames."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pulls.combine import combine_images
from analysis.pulls.growth import average_daily_pulls, compound_growth, period_change
from analysis.pulls.milestones import event_lift, milestones
from analysis.pulls.periods import daily_pulls, period_pulls
from analysis.pulls.rank import parse_window, peer_share, rank_images, window_growth


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


DAY = 86_400


def window_frame() -> pd.DataFrame:
    """Window counts as the store returns them for a 10-day window: offsets 10 and 20 from each image's end."""
    rows = [
        # name, end day, end count, first (day, count), at 10 (day, count), at 20 (day, count)
        ("big", 100, 2500, (0, 900), (90, 2000), (80, 1000)),
        ("fast", 100, 3100, (0, 50), (90, 1100), (80, 100)),
        ("new", 100, 900, (95, 400), (None, None), (None, None)),
        ("tiny", 100, 30, (0, 5), (90, 12), (80, 10)),
        # Its history ends 30 days before the others'; no observation on days 59 and 60, so its window
        # starts on day 58, the earlier one on day 50.
        ("early", 70, 1900, (0, 100), (58, 1200), (50, 1000)),
    ]
    frame = pd.DataFrame(
        {
            "image_id": range(1, len(rows) + 1),
            "namespace": ["a", "a", "b", "b", "c"],
            "name": [row[0] for row in rows],
            "end_at": [row[1] * DAY + 3600 for row in rows],
            "end_count": [row[2] for row in rows],
            "first_at": [row[3][0] * DAY + 3600 for row in rows],
            "first_count": [row[3][1] for row in rows],
        }
    )
    for position, offset in ((4, 10), (5, 20)):
        frame[f"at_{offset}"] = [None if row[position][0] is None else row[position][0] * DAY + 3600 for row in rows]
        frame[f"count_{offset}"] = [row[position][1] for row in rows]
    return frame.astype({column: "Int64" for column in frame.columns if column not in ("namespace", "name")})


def test_growth_is_per_day_over_each_images_own_windows() -> None:
    window = window_growth(window_frame(), 10).set_index("name")
    assert window.loc["big", ["pulls", "days", "previous_pulls", "previous_days"]].tolist() == [500, 10, 1000, 10]
    assert window.loc["big", "growth"] == pytest.approx(-0.5)
    assert window.loc["new", ["pulls", "days", "flag"]].tolist() == [500, 5, "short_window:5/10d"]
    assert pd.isna(window.loc["new", "growth"]) and pd.isna(window.loc["new", "previous_pulls"])
    # Measured to its own last observation (day 70), never on days after it; its window spans 12 days
    # (a gap at its start), the earlier one 8, and growth compares the two per day.
    early = window.loc["early"]
    assert early["window_end"] == pd.Timestamp(70 * DAY, unit="s")
    assert early[["pulls", "days", "previous_pulls", "previous_days"]].tolist() == [700, 12, 200, 8]
    assert early["flag"] == "long_window:12/10d;short_previous:8/10d"
    assert early["growth"] == pytest.approx((700 / 12) / (200 / 8) - 1)


def test_rankings_by_total_pulls_and_growth() -> None:
    window = window_growth(window_frame(), 10)
    assert rank_images(window, "total")["name"].tolist() == ["fast", "big", "early", "new", "tiny"]
    # By pulls per day: 500 pulls in 5 days outrank 700 in 12 and 500 in 10.
    by_pulls = rank_images(window, "pulls", top=3)
    assert by_pulls[["rank", "name", "pulls"]].values.tolist() == [
        [1, "fast", 2000],
        [2, "new", 500],
        [3, "early", 700],
    ]
    by_growth = rank_images(window, "growth", min_previous_pulls=300)
    assert by_growth["name"].tolist() == ["fast", "big"]
    assert values(by_growth["growth"]) == [1.0, -0.5]
    assert rank_images(window, "growth", min_previous_pulls=1)["name"].tolist() == ["tiny", "early", "fast", "big"]


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
