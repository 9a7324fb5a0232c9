"""Pull-count views on small series worked out by hand, and on a real bundled history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import pull_views

HISTORY = Path(__file__).resolve().parents[2] / "data/pull_history/issif_docker-pulls-scraper/falcosecurity_falco.csv"


def _snapshots(days: list[str], counts: list[int], image: str = "library/demo") -> pd.DataFrame:
    namespace, name = image.split("/")
    return pd.DataFrame({"namespace": namespace, "name": name,
                         "observed_at": pd.to_datetime(days, utc=True), "pull_count": counts})


def test_daily_pulls_are_increases_and_the_first_day_is_a_baseline() -> None:
    snaps = _snapshots(["2024-01-01", "2024-01-02", "2024-01-03"], [100, 130, 175])
    series = pull_views.series(snaps, "day")
    assert series["value"].tolist() == [0.0, 30.0, 45.0]
    assert series["image"].unique().tolist() == ["demo"]


def test_several_snapshots_a_day_keep_the_days_last() -> None:
    snaps = pd.DataFrame({
        "namespace": "ns", "name": "x",
        "observed_at": pd.to_datetime(["2024-01-01T01:00", "2024-01-01T23:00", "2024-01-02T12:00"], utc=True),
        "pull_count": [10, 20, 50],
    })
    assert pull_views.series(snaps, "day")["value"].tolist() == [0.0, 30.0]


def test_cap_and_decrease_are_flagged_and_not_drawn() -> None:
    snaps = _snapshots(["2020-06-01", "2020-06-02", "2020-06-03", "2020-06-04"],
                       [2_000_000_000, 2_147_483_647, 1_990_000_000, 2_010_000_000])
    cumulative = pull_views.series(snaps, "cumulative")
    assert cumulative["flag"].tolist() == ["", "cap", "decrease", ""]
    assert np.isnan(cumulative["value"].iloc[1]) and np.isnan(cumulative["value"].iloc[2])
    daily = pull_views.series(snaps, "day")
    assert daily["value"].iloc[-1] == 10_000_000  # from the last good count, not from the cap


def test_gap_days_stay_open_and_the_catch_up_is_flagged() -> None:
    snaps = _snapshots(["2024-01-01", "2024-01-02", "2024-01-05"], [0, 10, 40])
    cumulative = pull_views.series(snaps, "cumulative")
    assert len(cumulative) == 5
    assert cumulative["value"].isna().tolist() == [False, False, True, True, False]
    assert cumulative["flag"].iloc[-1] == "gap"


def test_weekly_and_monthly_pulls_add_up_to_last_minus_first() -> None:
    history = pd.read_csv(HISTORY)
    snaps = _snapshots(pd.to_datetime(history["Date"], format="%Y/%m/%d").astype(str).tolist(),
                       history["Count"].tolist(), "falcosecurity/falco")
    expected = history["Count"].iloc[-1] - history["Count"].iloc[0]
    for measure in ("day", "week", "month"):
        assert pull_views.series(snaps, measure)["value"].sum() == expected, measure


def test_daily_pulls_match_the_scrapers_own_delta_column() -> None:
    history = pd.read_csv(HISTORY)
    snaps = _snapshots(pd.to_datetime(history["Date"], format="%Y/%m/%d").astype(str).tolist(),
                       history["Count"].tolist(), "falcosecurity/falco")
    daily = pull_views.series(snaps, "day").dropna(subset=["value"]).set_index("period")["value"]
    delta = history.assign(day=pd.to_datetime(history["Date"], format="%Y/%m/%d")).set_index("day")["Delta"]
    shared = daily.index.intersection(delta.index[1:])
    assert (daily.loc[shared] == delta.loc[shared]).all()


def test_growth_table_by_hand() -> None:
    days = pd.date_range("2024-01-01", periods=61, freq="D")
    counts = [1000 + 10 * i if i <= 30 else 1300 + 20 * (i - 30) for i in range(61)]
    growth = pull_views.growth_table(_snapshots(days.strftime("%Y-%m-%d").tolist(), counts))
    row = growth.iloc[0]
    assert row["pull_count"] == 1900
    assert row["pulls_30d"] == 600 and row["avg_daily_30d"] == 20 and row["avg_daily_7d"] == 20
    assert row["change_vs_prior_30d"] == pytest.approx(1.0)


def test_milestone_at_a_steady_rate() -> None:
    days = pd.date_range("2024-01-01", periods=70, freq="D")
    snaps = _snapshots(days.strftime("%Y-%m-%d").tolist(), [100 * i for i in range(70)])
    summary, forecast = pull_views.milestone(snaps, 10_000)
    expected = summary.set_index("scenario").loc["expected"]
    assert expected["pulls_per_day"] == pytest.approx(100)
    assert expected["date_reached"] == (days[-1] + pd.Timedelta(days=(10_000 - 6_900) // 100)).date().isoformat()
    assert forecast["expected"].iloc[-1] >= 10_000


def test_milestone_without_growth_says_so() -> None:
    snaps = _snapshots(["2024-01-01", "2024-02-01", "2024-03-01"], [5, 5, 5])
    summary, _ = pull_views.milestone(snaps, 1_000)
    assert set(summary["date_reached"]) == {"not within 10 years at this rate"}


def test_events_parse_and_report_bad_lines() -> None:
    events, problems = pull_views.parse_events("2024-03-19 KubeCon EU\n\nnext week launch\n2024-11-12")
    assert events == [(pd.Timestamp("2024-03-19"), "KubeCon EU"), (pd.Timestamp("2024-11-12"), "2024-11-12")]
    assert problems == ["line 3: 'next' is not a date; write YYYY-MM-DD then a label"]
