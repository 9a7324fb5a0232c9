"""Pulls per day, week and month on hand-computed series: gaps, repeated days, decreases, the cap, stalls."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pulls.anomalies import data_as_of, failed_polls_outside
from analysis.pulls.periods import daily_pulls, period_pulls, trim_days

CAP = 2_147_483_647


def observations(rows: list[tuple[str, int]], image: tuple[str, str] = ("acme", "web")) -> pd.DataFrame:
    """Observations of one image from (ISO instant, count) pairs."""
    return pd.DataFrame(
        {
            "namespace": image[0],
            "name": image[1],
            "observed_at": pd.to_datetime([when for when, _ in rows], utc=True, format="ISO8601"),
            "pull_count": [count for _, count in rows],
        }
    )


def column(frame: pd.DataFrame, name: str) -> list:
    """The values of a column with missing values as None."""
    return [None if pd.isna(value) else value for value in frame[name]]


GAPPY = [("2024-01-01", 100), ("2024-01-02", 110), ("2024-01-05", 141), ("2024-01-06", 150)]


def test_spread_attributes_a_gap_evenly_and_marks_it_estimated() -> None:
    daily = daily_pulls(observations(GAPPY), "spread")
    assert column(daily, "period") == list(pd.date_range("2024-01-01", "2024-01-06"))
    # 31 pulls over 3 days: 10, 10, 11 (whole pulls, the remainder on the later days).
    assert column(daily, "pulls") == [None, 10, 10, 10, 11, 9]
    assert column(daily, "pull_count") == [100, 110, 120, 130, 141, 150]
    assert column(daily, "estimated") == [False, False, True, True, True, False]
    assert column(daily, "flag") == ["baseline", "", "gap", "gap", "", ""]
    assert column(daily, "observed_count") == [100, 110, None, None, 141, 150]


def test_observed_puts_the_increase_where_it_was_seen_and_leaves_gaps_empty() -> None:
    daily = daily_pulls(observations(GAPPY), "observed")
    assert column(daily, "pulls") == [None, 10, None, None, 31, 9]
    assert column(daily, "pull_count") == [100, 110, None, None, 141, 150]
    assert not daily["estimated"].any()


def test_repeated_observations_in_a_day_count_the_last_one() -> None:
    rows = [("2024-03-01T08:00Z", 50), ("2024-03-01T20:00Z", 58), ("2024-03-02T01:00Z", 60), ("2024-03-02T23:00Z", 70)]
    daily = daily_pulls(observations(rows))
    assert column(daily, "pull_count") == [58, 70]
    assert column(daily, "pulls") == [None, 12]


def test_a_decrease_is_flagged_and_left_out_not_turned_into_negative_pulls() -> None:
    rows = [("2024-01-01", 1000), ("2024-01-02", 1010), ("2024-01-03", 900), ("2024-01-04", 1030)]
    spread = daily_pulls(observations(rows), "spread")
    assert column(spread, "pulls") == [None, 10, 10, 10]
    assert column(spread, "flag") == ["baseline", "", "decrease", ""]
    assert column(spread, "observed_count")[2] == 900
    observed = daily_pulls(observations(rows), "observed")
    assert column(observed, "pulls") == [None, 10, None, 20]
    assert (spread["pulls"].dropna() >= 0).all()


def test_the_2020_cap_value_is_flagged_and_left_out() -> None:
    rows = [("2020-05-01", 5000), ("2020-05-02", CAP), ("2020-05-03", CAP), ("2020-05-04", 5030)]
    daily = daily_pulls(observations(rows), "observed")
    assert column(daily, "pulls") == [None, None, None, 30]
    assert column(daily, "flag") == ["baseline", "cap", "cap", ""]
    assert column(daily, "observed_count") == [5000, CAP, CAP, 5030]
    spread = daily_pulls(observations(rows), "spread")
    assert column(spread, "pulls") == [None, 10, 10, 10]


def test_a_stall_then_catch_up_is_not_zeros_then_a_spike() -> None:
    counts = [100, 110, 120, 120, 120, 120, 160, 170]
    rows = [(str(day.date()), count) for day, count in zip(pd.date_range("2024-01-01", periods=8), counts, strict=True)]
    observed = daily_pulls(observations(rows), "observed")
    assert column(observed, "pulls") == [None, 10, 10, None, None, None, 40, 10]
    assert column(observed, "flag") == ["baseline", "", "", "stall", "stall", "stall", "catch_up", ""]
    spread = daily_pulls(observations(rows), "spread")
    assert column(spread, "pulls") == [None, 10, 10, 10, 10, 10, 10, 10]
    assert column(spread, "estimated") == [False, False, False, True, True, True, True, False]


def test_flat_days_of_a_rarely_pulled_image_are_not_stalls() -> None:
    counts = [20, 20, 20, 21, 21, 21, 21, 22]
    rows = [(str(day.date()), count) for day, count in zip(pd.date_range("2024-01-01", periods=8), counts, strict=True)]
    daily = daily_pulls(observations(rows), "observed")
    assert column(daily, "pulls") == [None, 0, 0, 1, 0, 0, 0, 1]
    assert set(daily["flag"]) == {"baseline", ""}


def test_a_failed_poll_is_a_marked_gap_not_a_zero() -> None:
    failures = pd.DataFrame(
        {"namespace": ["acme"], "name": ["web"], "failed_at": pd.to_datetime(["2024-01-03T06:00Z"], utc=True)}
    )
    daily = daily_pulls(observations(GAPPY), "observed", failures)
    assert column(daily, "flag") == ["baseline", "", "failed_poll", "gap", "", ""]
    assert column(daily, "pulls")[2] is None


def test_a_failed_poll_outside_the_observations_is_an_event_not_days() -> None:
    failed_at = [pd.Timestamp("2023-12-30", tz="UTC"), pd.Timestamp("2024-01-08T09:00", tz="UTC")]
    failures = pd.DataFrame({"namespace": ["acme", "acme"], "name": ["web", "web"], "failed_at": failed_at})
    daily = daily_pulls(observations(GAPPY), "spread", failures)
    assert daily.equals(daily_pulls(observations(GAPPY), "spread"))
    assert column(daily, "period")[-1] == pd.Timestamp("2024-01-06")
    events = failed_polls_outside(daily, failures)
    assert events.values.tolist() == [
        ["acme/web", pd.Timestamp("2023-12-30"), "failed_poll"],
        ["acme/web", pd.Timestamp("2024-01-08"), "failed_poll"],
    ]
    assert data_as_of(daily) == pd.Timestamp("2024-01-06")


def test_partial_first_and_last_periods_say_how_many_days_they_cover() -> None:
    rows = [("2024-01-29", 0), ("2024-01-31", 20), ("2024-02-02", 40), ("2024-02-05", 70)]
    monthly = period_pulls(daily_pulls(observations(rows), "spread"), "month")
    assert column(monthly, "days") == [2, 5]
    assert column(monthly, "days_in_period") == [31, 29]
    assert column(monthly, "partial") == [True, True]
    whole = [(str(day.date()), 10 * number) for number, day in enumerate(pd.date_range("2024-01-31", "2024-03-03"))]
    monthly = period_pulls(daily_pulls(observations(whole), "spread"), "month")
    assert column(monthly, "partial") == [True, False, True]
    assert column(monthly, "days") == [0, 29, 3]


def test_weeks_and_months_add_up_the_days() -> None:
    rows = [("2024-01-29", 0), ("2024-01-31", 20), ("2024-02-02", 40), ("2024-02-05", 70)]
    daily = daily_pulls(observations(rows), "spread")
    weekly = period_pulls(daily, "week")
    assert column(weekly, "period") == [pd.Timestamp("2024-01-29"), pd.Timestamp("2024-02-05")]
    assert column(weekly, "pulls") == [60, 10]
    assert column(weekly, "pull_count") == [60, 70]
    assert column(weekly, "days") == [6, 1]
    monthly = period_pulls(daily, "month")
    assert column(monthly, "period") == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]
    assert column(monthly, "pulls") == [20, 50]
    assert column(monthly, "flag") == ["baseline;gap", "gap"]


def test_trimming_keeps_the_baseline_before_the_range() -> None:
    daily = daily_pulls(observations(GAPPY), "spread", since="2024-01-03", until="2024-01-05")
    assert column(daily, "pulls") == [10, 10, 11]


def test_unknown_attribution_is_refused() -> None:
    with pytest.raises(ValueError, match="spread, observed"):
        daily_pulls(observations(GAPPY), "linear")


@st.composite
def histories(draw: st.DrawFn) -> pd.DataFrame:
    """Irregular observations of a growing count, with repeated days, glitches and the cap mixed in."""
    size = draw(st.integers(2, 40))
    steps = draw(st.lists(st.integers(0, 5 * 86_400), min_size=size, max_size=size))
    increments = draw(st.lists(st.integers(0, 10_000), min_size=size, max_size=size))
    seconds = pd.Series(steps).cumsum() + 1_700_000_000
    counts = pd.Series(increments).cumsum() + draw(st.integers(0, 10**9))
    glitches = draw(st.lists(st.sampled_from(["none", "cap", "drop"]), min_size=size, max_size=size))
    glitched = [
        CAP if kind == "cap" else max(count - 50_000, 0) if kind == "drop" else count
        for count, kind in zip(counts, glitches, strict=True)
    ]
    return pd.DataFrame({"namespace": "p", "name": "q", "observed_at": seconds, "pull_count": glitched})


def good_first_and_last(history: pd.DataFrame) -> tuple[int, int]:
    """The good count (neither the cap nor below an earlier good count) at the end of the first and last day."""
    best = None
    kept: dict[int, int] = {}
    for seconds, count in zip(history["observed_at"], history["pull_count"], strict=True):
        if count == CAP or (best is not None and count < best):
            continue
        best = count
        kept[seconds // 86_400] = count
    days = sorted(kept)
    return kept[days[0]], kept[days[-1]]


@settings(max_examples=150, deadline=None)
@given(histories(), st.sampled_from(["spread", "observed"]), st.sampled_from(["day", "week", "month"]))
def test_pulls_over_periods_add_up_to_last_minus_first(history: pd.DataFrame, attribution: str, freq: str) -> None:
    if (history["pull_count"] == CAP).all():
        return
    first, last = good_first_and_last(history)
    periods = period_pulls(daily_pulls(history, attribution, stall_days=0), freq)
    assert periods["pulls"].sum() == last - first
    assert (periods["pulls"].dropna() >= 0).all()


@settings(max_examples=100, deadline=None)
@given(histories(), st.integers(0, 60), st.integers(0, 60))
def test_any_range_of_days_adds_up_to_its_end_count_minus_the_count_before(
    history: pd.DataFrame, skip: int, keep: int
) -> None:
    daily = daily_pulls(history, "spread")
    known = daily[daily["pull_count"].notna()]
    if len(known) < 2:
        return
    start = known["period"].iloc[0] + pd.Timedelta(days=1 + skip % len(known))
    end = start + pd.Timedelta(days=keep)
    window = trim_days(daily, start, end)
    window = window[window["pull_count"].notna()]
    before = daily[(daily["period"] < start) & daily["pull_count"].notna()]
    if window.empty or before.empty:
        return
    assert window["pulls"].sum() == window["pull_count"].iloc[-1] - before["pull_count"].iloc[-1]
