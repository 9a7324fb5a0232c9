"""Every command a page shows under *Reproduce* runs as shown and prints the numbers of the exhibit beside it.

On the full bundled data, as a person meets it: the default Overview and Docker Hub pulls pages,
each `python -m analysis` command read from the page, run in its own process, its CSV compared
with the exhibit's table; the talk pack's sources.md lists the same commands.
"""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.pulls.read import image_labels
from dashboard.talkpack import sources_markdown

ROOT = Path(__file__).resolve().parents[2]


def _shown_commands(at: AppTest) -> list[str]:
    return [block.value for block in at.code if block.value.startswith("python -m analysis ")]


def _run(command: str, fmt: str | None = None) -> subprocess.CompletedProcess:
    words = shlex.split(command)
    if fmt:
        words += ["--format", fmt]
    return subprocess.run(
        [sys.executable, *words[1:]], cwd=ROOT, capture_output=True, text=True, timeout=300, env=dict(os.environ)
    )


def _exhibits(at: AppTest) -> list:
    return list(at.session_state["_exhibits"].values())


def _csv(command: str) -> pd.DataFrame:
    result = _run(command, "csv")
    assert result.returncode == 0, f"{command}\n{result.stderr}"
    return pd.read_csv(io.StringIO(result.stdout))


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/pulls.py"])
def test_every_command_shown_runs_and_is_in_the_talk_pack(app: AppTest, page: str) -> None:
    at = app.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception
    commands = _shown_commands(at)
    assert len(commands) >= (4 if page.endswith("overview.py") else 4), commands
    for command in commands:
        result = _run(command)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        assert result.stdout.strip(), command
    sources = sources_markdown(_exhibits(at), page, "?")
    for exhibit in _exhibits(at):
        assert any(note.startswith("Reproduce: python -m analysis ") for note in exhibit.notes), exhibit.title
    for note in [note for exhibit in _exhibits(at) for note in exhibit.notes if note.startswith("Reproduce: ")]:
        assert note in sources


def _last_counts(table: pd.DataFrame, value: str) -> dict[str, float]:
    known = table.dropna(subset=[value])
    return {image: float(rows[value].iloc[-1]) for image, rows in known.groupby("image")}


def _cli_last_counts(frame: pd.DataFrame, value: str) -> dict[str, float]:
    frame = frame.assign(image=image_labels(frame))
    return _last_counts(frame, value)


def test_the_overview_chart_command_prints_the_charted_counts(app: AppTest) -> None:
    at = app.run()
    chart = next(exhibit for exhibit in _exhibits(at) if exhibit.key == "overview-pulls")
    command = next(note for note in chart.notes if note.startswith("Reproduce: "))[len("Reproduce: ") :]
    command = command.split(" (the ")[0]
    shown = _last_counts(chart.table, "pull_count")
    assert len(shown) == 5
    assert _cli_last_counts(_csv(command), "pull_count") == shown


@pytest.mark.parametrize("measure", ["cumulative", "week", "month"])
def test_the_pulls_chart_command_prints_the_charted_values(app: AppTest, measure: str) -> None:
    at = app.run()
    at.query_params["measure"] = measure
    at.switch_page("app_pages/pulls.py").run()
    chart = next(exhibit for exhibit in _exhibits(at) if exhibit.slot == "pulls-main")
    assert chart.key == f"pulls-{measure}"
    column = "pull_count" if measure == "cumulative" else "pulls"
    command = next(note for note in chart.notes if note.startswith("Reproduce: "))[len("Reproduce: ") :]
    command = command.split(" (the ")[0]
    cli = _csv(command)
    cli = cli.assign(image=image_labels(cli))
    shown = chart.table.dropna(subset=[column])
    merged = shown.merge(
        cli.assign(period=pd.to_datetime(cli["period"])), on=["image", "period"], suffixes=("_shown", "_cli")
    )
    assert len(merged) == len(shown) > 0
    assert (merged[f"{column}_shown"] == merged[f"{column}_cli"]).all()


def test_the_growth_and_anomaly_commands_print_the_tables_shown(app: AppTest) -> None:
    at = app.run()
    at.switch_page("app_pages/pulls.py").run()
    exhibits = {exhibit.key: exhibit for exhibit in _exhibits(at)}
    growth, anomalies = exhibits["pulls-growth"], exhibits["pulls-anomalies"]
    growth_cli = _csv(growth.notes[-1][len("Reproduce: ") :])
    growth_cli = growth_cli.assign(image=image_labels(growth_cli))
    shown = growth.table.set_index("image")
    printed = growth_cli.set_index("image").loc[shown.index]
    assert (printed["pull_count"].to_numpy() == shown["pull_count"].to_numpy()).all()
    assert printed["growth"].round(9).tolist() == shown["growth"].astype(float).round(9).tolist()
    anomalies_cli = _csv(anomalies.notes[-1][len("Reproduce: ") :])
    assert len(anomalies_cli) == len(anomalies.table)
    assert sorted(map(str, anomalies_cli["day"])) == sorted(map(str, anomalies.table["day"]))
