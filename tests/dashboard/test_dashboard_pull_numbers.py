"""One source for every pull figure, on the full bundled data: the dashboard, the CLI and the commands
offered to reproduce a figure print the same numbers, partial periods are marked, and a failed
collection changes no figure."""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st

from analysis.pulls.rank import MIN_PULLS_FOR_GROWTH
from analysis.pulls.summary import pull_headlines
from analysis.reproduce import pulls as reproduce
from dashboard import charts
from dashboard import pull_loaders as loaders
from store import open_store

ROOT = Path(__file__).resolve().parents[2]
FALCO = ("falcosecurity/falco",)
VERSION = (0, 0, 0)


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _images(path: Path) -> tuple[str, ...]:
    return tuple(loaders.stored_images(_url(path), VERSION)["image"])


def _run(command: str, **env: str) -> str:
    """Run a `python -m ...` command line as a person would, from the project folder; return its stdout."""
    words = shlex.split(command)
    assert words[:2] == ["python", "-m"]
    done = subprocess.run(
        [sys.executable, *words[1:]], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env}, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _csv(command: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_run(command))))


def _label(row: dict[str, str]) -> str:
    return row["name"] if row["namespace"] == "library" else f"{row['namespace']}/{row['name']}"


def _number(text: str) -> float:
    return float(text) if text not in ("", "<NA>") else np.nan


def _same(left: float, right: float) -> bool:
    return (pd.isna(left) and pd.isna(right)) or left == right


def test_rank_growth_equals_the_growth_table_for_every_bundled_image(store_copy: Path) -> None:
    images = _images(store_copy)
    table = loaders.pull_growth(_url(store_copy), VERSION, images).set_index("image")
    rows = _csv(reproduce.growth_command(images, db=str(store_copy), fmt="csv"))
    # 18 scraped histories, plus library/ubuntu (2016) and grimoirelab/perceval (2017): one observation each.
    assert len(rows) == len(table) == 20
    for row in rows:
        shown = table.loc[_label(row)]
        for column in ("pull_count", "pulls", "days", "previous_pulls", "previous_days", "growth", "avg_daily_pulls"):
            assert _same(_number(row[column]), _number(str(shown[column]))), (_label(row), column)
        assert row["window_end"] == shown["window_end"] and row["flag"] == shown["flag"]
    # Each image is measured up to its own last observation: the falcosecurity images stop on
    # 2026-08-08, two weeks before kwdb, and are not measured on 16 days of a "last 30".
    assert set(table.loc[table.index.str.startswith("falcosecurity/"), "window_end"]) == {"2026-08-08"}
    assert set(table.loc[["kwdb/kwdb", "kwdb/kwdb_comp_env"], "window_end"]) == {"2026-08-22"}
    single = ["ubuntu", "grimoirelab/perceval"]  # one recorded observation: no window to measure
    histories = table.drop(index=single)
    assert set(histories["days"]) == {30} and set(histories["flag"]) == {""}
    assert set(table.loc[single, "days"]) == {0} and set(table.loc[single, "flag"]) == {"short_window:0/30d"}
    exporter = table.loc["falcosecurity/falco-exporter"]
    assert (exporter["pulls"], exporter["previous_pulls"]) == (72_702, 51_290)
    assert exporter["growth"] == pytest.approx(72_702 / 51_290 - 1)


def test_busy_images_and_the_fastest_card_follow_one_threshold(store_copy: Path) -> None:
    images = _images(store_copy)
    table = loaders.pull_growth(_url(store_copy), VERSION, images)
    ranked = _csv(f"python -m analysis rank --by growth --window 30d --top 100 --db {store_copy} --format csv")
    busy = table[(table["previous_pulls"] >= MIN_PULLS_FOR_GROWTH) & table["growth"].notna()]
    assert [_label(row) for row in ranked] == busy.sort_values("growth", ascending=False)["image"].tolist()
    assert pull_headlines(table)["fastest"]["image"] == _label(ranked[0]) == "falcosecurity/falco-exporter"
    assert "falcosecurity/falco-event-generator" not in busy["image"].tolist()  # 20 pulls before: +10,935%


def test_overview_cards_show_what_their_commands_print(app, store_copy: Path) -> None:
    app.run()
    assert not app.exception
    cards = {metric.label: metric.value for metric in app.metric}
    biggest = _csv(reproduce.biggest_command(db=str(store_copy), fmt="csv"))[0]
    fastest = _csv(reproduce.fastest_command(db=str(store_copy), fmt="csv"))[0]
    assert cards[f"Biggest stored image: {_label(biggest)}"] == f"{int(biggest['pull_count']):,} pulls"
    assert cards[f"Fastest-growing: {_label(fastest)}"] == f"{float(fastest['growth']):+.0%}" == "+42%"
    # The default (table) command prints the same figure for a person to read.
    assert "0.417469" in _run(reproduce.fastest_command(db=str(store_copy)))


def test_reproduce_commands_print_the_dashboard_figures(store_copy: Path) -> None:
    url, db = _url(store_copy), str(store_copy)
    images = _images(store_copy)
    table = loaders.pull_growth(url, VERSION, images).set_index("image")
    seven = _csv(reproduce.growth_command(images, 7, db, "csv"))
    week = {_label(row): _number(row["avg_daily_pulls"]) for row in seven}
    assert all(_same(week[image], _number(str(table.loc[image, "avg_daily_7d"]))) for image in images)

    series = loaders.pull_series(url, VERSION, FALCO, "month")
    months = _csv(reproduce.periods_command(FALCO, "month", db, "csv"))
    assert [_number(row["pulls"]) for row in months] == pytest.approx(series["value"].tolist(), nan_ok=True)
    assert [row["partial"] == "True" for row in months] == series["partial"].tolist()

    anomalies = loaders.pull_anomalies(url, VERSION, FALCO)
    assert len(_csv(reproduce.anomalies_command(FALCO, db, "csv"))) == len(anomalies) == 3

    day_after = pd.Timestamp("2026-08-09")  # the day after the data ends: the projection is a date
    target, summary, _, _ = loaders.pull_milestone(url, VERSION, FALCO[0], 0, day_after)
    assert target == 80_000_000
    projected = _csv(reproduce.milestone_command(FALCO[0], target, db, "csv", today=day_after))[0]
    rates = summary.set_index("scenario")["pulls_per_day"]
    assert float(projected["daily_pulls_expected"]) == rates["expected"]
    assert (float(projected["daily_pulls_high"]), float(projected["daily_pulls_low"])) == (rates["fast"], rates["slow"])
    assert projected["expected"] == summary.set_index("scenario").loc["expected", "date_reached"] == "2026-10-05"
    # 117 days later the same trend's date is past: the page and the command both withhold it.
    later = pd.Timestamp("2026-12-03")
    _, summary, _, _ = loaders.pull_milestone(url, VERSION, FALCO[0], 0, later)
    projected = _csv(reproduce.milestone_command(FALCO[0], target, db, "csv", today=later))[0]
    assert (projected["expected"], projected["past_by_today"]) == ("", "earliest;expected;latest")
    assert summary.set_index("scenario").loc["expected", "date_reached"].startswith("not projected")

    top = tuple(table.index[:5])
    ends = [row["window_end"] for row in _csv(reproduce.as_of_command(top, db, "csv"))]
    assert max(ends) == loaders.pull_as_of(url, VERSION, top) == "2026-08-08"


def test_a_partial_month_is_marked_in_the_chart_the_csv_and_the_cli(store_copy: Path) -> None:
    series = loaders.pull_series(_url(store_copy), VERSION, FALCO, "month").set_index("period")
    august, july = series.loc[pd.Timestamp("2026-08-01")], series.loc[pd.Timestamp("2026-07-01")]
    assert (august["value"], august["days"], august["days_in_period"], august["partial"]) == (883_502, 8, 31, True)
    assert (july["days"], july["partial"]) == (31, False) and july["value"] > 3_000_000
    first = series.iloc[0]
    assert (first["days"], first["days_in_period"], first["partial"]) == (16, 31, True)
    assert series["partial"].sum() == 2

    months = _csv(f"python -m analysis pulls --image falcosecurity/falco --freq month --db {store_copy} --format csv")
    last = months[-1]
    assert (last["period"], last["pulls"], last["days"], last["days_in_period"], last["partial"]) == (
        "2026-08", "883502", "8", "31", "True"
    )  # fmt: skip
    # Compared per day: +4%, not the -73% the totals suggest.
    assert float(last["change"]) == pytest.approx((883_502 / 8) / (july["value"] / 31) - 1)
    assert float(last["change"]) > 0

    figure = charts.pulls_over_time(series.reset_index(), "Pulls per month", "t", "f")
    line = next(trace for trace in figure.data if trace.name == "falcosecurity/falco")
    assert np.isnan(np.asarray(line.y, dtype=float)[-1]), "a partial month is not a point of the solid line"
    hollow = next(trace for trace in figure.data if trace.name.endswith(": partial period"))
    assert list(hollow.text) == ["16 of 31 days", "8 of 31 days"]
    assert list(hollow.y) == [series["value"].iloc[0], 883_502]
    assert hollow.marker.symbol == "diamond-open" and "partial period" in hollow.hovertemplate


def _shown(url: str, version: tuple, images: tuple[str, ...]) -> dict:
    """Every pull figure the dashboard shows for falco and on the Overview."""
    figures = {
        "growth": loaders.pull_growth(url, version, images),
        "anomalies": loaders.pull_anomalies(url, version, FALCO),
        "milestone": loaders.pull_milestone(url, version, FALCO[0], 0, pd.Timestamp("2026-12-03"))[1],
        "as_of": loaders.pull_as_of(url, version, FALCO),
        "overview_as_of": loaders.pull_as_of(url, version, images),
    }
    for measure in ("cumulative", "day", "week", "month"):
        figures[measure] = loaders.pull_series(url, version, FALCO, measure)
    return figures


def test_a_failed_collection_changes_no_figure(store_copy: Path) -> None:
    url, images = _url(store_copy), _images(store_copy)
    before = _shown(url, VERSION, images)
    command = f"python -m collectors dockerhub --api-url http://127.0.0.1:9 --image {FALCO[0]} --db {store_copy}"
    done = subprocess.run(
        [sys.executable, *shlex.split(command)[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "ADOPTION_HTTP_RETRIES": "0"},
        timeout=120,
    )
    assert done.returncode == 1 and "falcosecurity/falco" in done.stderr
    failed = open_store(url).read_failures(1)
    assert failed["image"].tolist() == ["falcosecurity/falco"]

    after = _shown(url, (0, 0, 1), images)
    for key, value in before.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(after[key], value, obj=key)
        else:
            assert after[key] == value, key
    assert before["as_of"] == "2026-08-08" and len(before["anomalies"]) == 3
    august = after["month"].set_index("period").loc[pd.Timestamp("2026-08-01")]
    assert (august["days"], august["partial"]) == (8, True)
    # The failed poll is a marker on its own day, and only that.
    markers = loaders.pull_failure_markers(url, (0, 0, 1), FALCO, "month")
    assert markers["period"].tolist() == [failed["failed_at"].iloc[0].tz_localize(None).normalize()]
    assert markers["marker_y"].tolist() == [883_502.0]


def _pulls_page(app, charts_of) -> tuple[str, list[str], list[str]]:
    """The pulls page for falco by month: chart footer, subheaders, and the names of the chart's traces."""
    app.query_params.update({"image": list(FALCO), "measure": "month"})
    app.run()
    app.switch_page("app_pages/pulls.py").run()
    assert not app.exception, [e.value for e in app.exception]
    figure = charts_of(app)[0]
    footer = next(note["text"] for note in figure["layout"]["annotations"] if "Data as of" in note["text"])
    return footer, [header.value for header in app.subheader], [trace.get("name", "") for trace in figure["data"]]


def test_after_a_failed_poll_the_pulls_page_shows_it_only_as_a_marker(app, charts_of, store_copy: Path) -> None:
    footer, headers, traces = _pulls_page(app, charts_of)
    # The data's age follows the date once it is stale (any day after 2026-08-11).
    assert re.search(r"Data as of 2026-08-08(, [0-9,]+ days old)?$", footer.replace("<br>", " "))
    assert "Anomalies (3)" in headers
    assert "falcosecurity/falco: failed poll" not in traces
    engine = open_store(_url(store_copy))
    run_id = engine.start_run("collect", 1)
    engine.record_failure(run_id, FALCO[0], "could not reach 127.0.0.1:9")
    engine.finish_run(run_id, 0, 1)
    st.cache_data.clear()
    after_footer, after_headers, after_traces = _pulls_page(app, charts_of)
    # Same data date and anomalies; the only new words are the failed poll's marker, explained in the footer.
    explained = footer.replace("◇ partial period;", "◇ partial period · ⊗ failed poll;")
    assert explained != footer
    assert (after_footer, after_headers) == (explained, headers)
    assert sorted(after_traces) == sorted([*traces, "falcosecurity/falco: failed poll"])
