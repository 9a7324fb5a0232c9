"""The pulls, rank, growth, milestone and lift commands, run as a person runs them."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analysis.__main__ import main
from store import Store

COMMANDS = ["pulls", "rank", "growth", "milestone", "lift"]


@pytest.fixture
def db(store: Store, tmp_path: Path) -> str:
    """Path of a store with two images, one with a two-day gap."""
    records = [
        {"namespace": "acme", "name": "web", "observed_at": datetime(2024, 1, day, tzinfo=UTC), "pull_count": count}
        for day, count in [(1, 100), (2, 110), (5, 140), (6, 150)]
    ]
    records += [
        {"namespace": "acme", "name": "db", "observed_at": datetime(2024, 1, day, tzinfo=UTC), "pull_count": 1000 + day}
        for day in range(3, 7)
    ]
    store.save_snapshots(records)
    return str(tmp_path / "store.db")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert f"usage: python -m analysis {command}" in text
    assert "--db" in text and "--format" in text
    options = [line for line in text.splitlines() if line.strip().startswith("--")]
    assert options, "the help lists the options"


def test_top_level_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert all(command in text for command in COMMANDS)


def test_pulls_as_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pulls", "--db", db, "--image", "acme/web", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["period"] for row in rows] == [f"2024-01-0{day}" for day in range(1, 7)]
    assert [row["pulls"] for row in rows] == ["", "10", "10", "10", "10", "10"]
    assert [row["flag"] for row in rows] == ["baseline", "", "gap", "gap", "", ""]
    assert [row["estimated"] for row in rows] == ["False", "False", "True", "True", "True", "False"]
    assert {"namespace", "name", "pull_count"} <= set(rows[0])


def test_pulls_combined_weekly_in_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["pulls", "--db", db, "--image", "acme/web", "--image", "acme/db", "--combine", "--freq", "week"]
    assert main([*args, "--since", "2024-01-02", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    # web: 10 a day on the 2nd to 6th; db: joins on the 3rd (a baseline), then 1 a day.
    assert [(row["period"], row["pull_count"], row["pulls"]) for row in rows] == [("2024-01-01", 1156, 53)]
    assert rows[0]["name"] == "acme/db+acme/web"
    assert "joined" in rows[0]["flag"]


def test_rank_by_pulls(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--db", db, "--by", "pulls", "--window", "3d", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["rank"], row["name"], row["pulls"]) for row in rows] == [(1, "web", 40), (2, "db", 3)]


def test_rank_until_a_day_ends_each_image_on_its_last_observation_by_then(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["rank", "--db", db, "--by", "total", "--window", "2d", "--until", "2024-01-05", "--format", "json"]
    assert main(args) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    web = rows["web"]
    # No observation on the 3rd: the window starts on the 2nd (3 days); the one before covers 1 day.
    assert (web["window_end"], web["pull_count"], web["pulls"], web["days"]) == ("2024-01-05", 140, 30, 3)
    assert (web["previous_pulls"], web["previous_days"]) == (10, 1)
    assert web["growth"] == 0.0 and web["flag"] == "long_window:3/2d;short_previous:1/2d"
    # db starts on the 3rd: no earlier window, so no growth, and the flag says why.
    assert (rows["db"]["pulls"], rows["db"]["growth"], rows["db"]["flag"]) == (2, None, "short_previous:0/2d")


def test_rank_of_chosen_images_and_an_unknown_one(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--db", db, "--by", "total", "--image", "acme/db", "--format", "csv"]) == 0
    assert [row["name"] for row in csv.DictReader(io.StringIO(capsys.readouterr().out))] == ["db"]
    assert main(["rank", "--db", db, "--by", "total", "--image", "nobody/nothing"]) == 2
    assert "nobody/nothing" in capsys.readouterr().err


def test_pulls_anomalies_lists_the_flagged_days(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pulls", "--db", db, "--image", "acme/web", "--anomalies", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["image"], row["day"], row["flag"]) for row in rows] == [
        ("acme/web", "2024-01-03", "gap"),
        ("acme/web", "2024-01-04", "gap"),
    ]


def test_milestone_and_lift(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["milestone", "--db", db, "--image", "acme/web", "--target", "130", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["passed_on"] == "2024-01-04"
    lift = ["lift", "--db", db, "--image", "acme/web", "--date", "2024-01-04", "--days", "2"]
    assert main([*lift, "--format", "csv"]) == 0
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["pulls_before"], row["pulls_after"]) == ("20", "20")


def test_unknown_image_is_one_line_and_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pulls", "--db", db, "--image", "nobody/nothing"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "nobody/nothing" in error


def test_a_bad_date_is_refused(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["pulls", "--db", db, "--since", "last tuesday"])
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_rank_on_an_empty_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--db", str(tmp_path / "empty.db"), "--by", "total"]) == 2
    assert "no snapshots" in capsys.readouterr().err
