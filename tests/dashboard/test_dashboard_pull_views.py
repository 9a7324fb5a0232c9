"""Pull-count views: the analysis package's daily pulls shaped for charts, checked by hand and on a real history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.pulls.anomalies import anomalies
from analysis.pulls.milestones import milestone_path
from analysis.pulls.periods import daily_pulls
from analysis.pulls.read import image_label, read_window_counts
from analysis.pulls.summary import GROWTH_OFFSETS, growth_table
from dashboard import pull_display as pull_views
from store import open_store

HISTORY = Path(__file__).resolve().parents[2] / "data/pull_history/issif_docker-pulls-scraper/falcosecurity_falco.csv"


def _daily(days: list[str], counts: list[int], image: str = "library/demo") -> pd.DataFrame:
    namespace, name = image.split("/")
    observations = pd.DataFrame(
        {"namespace": namespace, "name": name, "observed_at": pd.to_datetime(days, utc=True), "pull_count": counts}
    )
    return daily_pulls(observations, "spread")


def _falco() -> tuple[pd.DataFrame, pd.DataFrame]:
    history = pd.read_csv(HISTORY)
    days = pd.to_datetime(history["Date"], format="%Y/%m/%d").astype(str).tolist()
    return history, _daily(days, history["Count"].tolist(), "falcosecurity/falco")


def test_official_images_go_by_their_bare_name() -> None:
    assert image_label("library", "nginx") == "nginx"
    assert image_label("falcosecurity", "falco") == "falcosecurity/falco"


def test_daily_series_by_hand() -> None:
    series = pull_views.series(_daily(["2024-01-01", "2024-01-02", "2024-01-03"], [100, 130, 175]), "day")
    assert series["image"].unique().tolist() == ["demo"]
    assert series["value"].tolist()[1:] == [30.0, 45.0]
    cumulative = pull_views.series(_daily(["2024-01-01", "2024-01-02"], [100, 130]), "cumulative")
    assert cumulative["value"].tolist() == [100.0, 130.0]


def test_a_count_that_goes_down_is_a_marker_not_a_line_point() -> None:
    daily = _daily(["2020-06-01", "2020-06-02", "2020-06-03", "2020-06-04"], [2_000, 2_147_483_647, 1_990, 2_010])
    cumulative = pull_views.series(daily, "cumulative")
    flagged = cumulative[cumulative["flag"] != ""]
    assert {"cap", "decrease"} <= {part for flag in flagged["flag"] for part in flag.split(";")}
    assert cumulative["value"].max() < 2_147_483_647
    table = anomalies(daily)
    assert set(table["day"]) >= {"2020-06-02"} and list(table.columns) == ["image", "day", "flag", "observed_count"]


def test_gap_days_are_estimated_and_flagged() -> None:
    series = pull_views.series(_daily(["2024-01-01", "2024-01-02", "2024-01-05"], [0, 10, 40]), "day")
    assert series["value"].tolist()[1:] == [10.0, 10.0, 10.0, 10.0]
    assert series["estimated"].tolist() == [False, False, True, True, True]
    assert (series["flag"].iloc[2:4] == "gap").all()


def test_weekly_and_monthly_pulls_add_up_to_last_minus_first() -> None:
    history, daily = _falco()
    expected = history["Count"].iloc[-1] - history["Count"].iloc[0]
    for measure in ("day", "week", "month"):
        assert np.nansum(pull_views.series(daily, measure)["value"]) == expected, measure


def test_growth_table_by_hand(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    days = pd.date_range("2024-01-01", periods=61, freq="D", tz="UTC")
    counts = [1000 + 10 * i if i <= 30 else 1300 + 20 * (i - 30) for i in range(61)]
    engine.save_snapshots(
        [
            {"namespace": "library", "name": "demo", "observed_at": day.to_pydatetime(), "pull_count": count}
            for day, count in zip(days, counts, strict=True)
        ],
    )
    row = growth_table(read_window_counts(engine, GROWTH_OFFSETS)).iloc[0]
    assert row["image"] == "demo" and row["pull_count"] == 1900 and row["first_observed"] == "2024-01-01"
    assert row["window_end"] == "2024-03-01" and row["days"] == 30 and row["previous_days"] == 30
    assert row["pulls"] == 600 and row["avg_daily_pulls"] == 20 and row["avg_daily_7d"] == 20
    assert row["growth"] == pytest.approx(1.0)


def test_milestone_at_a_steady_rate() -> None:
    days = pd.date_range("2024-01-01", periods=120, freq="D")
    daily = _daily(days.strftime("%Y-%m-%d").tolist(), [100 * i for i in range(120)])
    summary, forecast = milestone_path(daily, 20_000)
    expected = summary.set_index("scenario").loc["expected"]
    assert expected["pulls_per_day"] == pytest.approx(100)
    assert expected["date_reached"] == (days[-1] + pd.Timedelta(days=(20_000 - 11_900) // 100)).date().isoformat()
    assert forecast["expected"].iloc[-1] >= 20_000


def test_milestone_already_passed_and_flat_trend() -> None:
    days = pd.date_range("2024-01-01", periods=40, freq="D").strftime("%Y-%m-%d").tolist()
    summary, _ = milestone_path(_daily(days, [5] * 40), 1_000)
    assert set(summary["date_reached"]) == {"no date: the trend is flat"}
    summary, _ = milestone_path(_daily(days, [10 * i for i in range(40)]), 100)
    assert set(summary["date_reached"]) == {"passed on 2024-01-11"}


def test_events_parse_and_report_bad_lines() -> None:
    events, problems = pull_views.parse_events("2024-03-19 KubeCon EU\n\nnext week launch\n2024-11-12")
    assert events == [(pd.Timestamp("2024-03-19"), "KubeCon EU"), (pd.Timestamp("2024-11-12"), "2024-11-12")]
    assert problems == ["line 3 does not start with a date; write YYYY-MM-DD then a label"]


def test_long_cumulative_series_is_drawn_weekly_with_exact_counts_and_every_flag() -> None:
    _, daily = _falco()
    series = pull_views.series(daily, "cumulative")
    assert series["period"].max() - series["period"].min() > pd.Timedelta(days=730)
    drawn = pull_views.display_points(series, "cumulative")
    kept = series.loc[drawn.index]
    # Every drawn point is a real day of the full series, unchanged.
    assert drawn.equals(kept)
    weeks = series["period"].dt.to_period("W")
    assert len(drawn) <= weeks.nunique() + 1 + (series["flag"] != "").sum()
    assert set(series.index[series["flag"] != ""]) <= set(drawn.index)
    assert drawn["period"].iloc[0] == series["period"].iloc[0]
    assert drawn["period"].iloc[-1] == series["period"].iloc[-1]
    last_of_week = series.groupby(weeks)["period"].max()
    assert set(last_of_week) <= set(drawn["period"])


def test_short_or_periodic_series_are_drawn_whole() -> None:
    short = pull_views.series(_daily(["2024-01-01", "2024-06-01", "2024-12-01"], [1, 50, 90]), "cumulative")
    assert pull_views.display_points(short, "cumulative").equals(short)
    _, daily = _falco()
    per_day = pull_views.series(daily, "day")
    assert pull_views.display_points(per_day, "day").equals(per_day)
