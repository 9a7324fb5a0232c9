"""The survey commands as a person meets them: help text, output formats, exit codes, candidate lists."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.__main__ import main
from cli.analysis import survey_files
from cli.analysis import surveys as cli_surveys
from tests.survey_stats.literal_survey import hand_survey

COMMANDS = ["questions", "breakdown", "answer", "trend"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    done = subprocess.run(
        [sys.executable, "-m", "analysis", command, "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert f"usage: python -m analysis {command}" in done.stdout
    assert "--format" in done.stdout and "--layout" in done.stdout
    assert len(done.stdout.split("\n\n")[1]) > 40  # a description, not just the usage line


def test_commands_are_listed_in_the_main_help():
    done = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=False)
    for command in [*COMMANDS, "snapshots"]:
        assert command in done.stdout


@pytest.fixture
def hand_loader(monkeypatch):
    """Serve the hand-written survey for any file name, recording the flags the loader got."""
    seen = []

    def fake(path, args):
        seen.append((path, args.layout, args.schema, args.codebook))
        return hand_survey()

    monkeypatch.setattr(cli_surveys, "read_survey", fake)
    monkeypatch.setattr(survey_files, "layout_names", lambda: ["surveymonkey", "stackoverflow"])
    return seen


def test_breakdown_json_has_the_shares(hand_loader, capsys):
    assert main(["breakdown", "s.csv", "-q", "containers", "--item", "production", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["answer"] for row in rows] == ["Currently Using", "Future Plans", "N/A"]
    assert [row["count"] for row in rows] == [3, 1, 2]
    assert {row["base"] for row in rows} == {6}
    assert rows[0]["share"] == pytest.approx(0.5)


def test_a_layout_given_to_format_forces_the_layout(hand_loader, capsys):
    assert main(["questions", "s.csv", "--format", "surveymonkey", "--format", "csv"]) == 0
    assert hand_loader == [("s.csv", "surveymonkey", None, None)]
    assert capsys.readouterr().out.startswith("id,type,text,items,options,answered,warnings\n")
    assert main(["questions", "s.csv", "--input-format", "stackoverflow", "--schema", "schema.csv"]) == 0
    assert hand_loader[-1] == ("s.csv", "stackoverflow", "schema.csv", None)


def test_unknown_format_exits_2(hand_loader, capsys):
    assert main(["questions", "s.csv", "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown --format 'xml'") and len(err.strip().splitlines()) == 1


def test_ambiguous_question_exits_2_listing_candidates(hand_loader, capsys):
    assert main(["breakdown", "s.csv", "--question", "containers"]) == 2
    err = capsys.readouterr().err
    assert "2 questions match 'containers'" in err
    assert "Q3: How is your company using containers?" in err
    assert "Q4: How many containers does your company run?" in err


def test_crosstab_table_flags_small_bases(hand_loader, capsys):
    assert main(["breakdown", "s.csv", "-q", "Q1", "--by", "how many containers", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "survey,question,item,segment_question,segment,column,answer,count,base,share,ci_low,ci_high,small_base,"
        "letters,vs_rest,p_vs_rest"
    )
    segment_rows = [line for line in lines[1:] if ",Q4,<50,A," in line]
    assert segment_rows[0].startswith("Test Survey 2019,Q1,,Q4,<50,A,1-49,2,2,1.0,")
    assert segment_rows[0].endswith(",True,,,")  # a small base: flagged, not tested


def test_breakdown_table_names_the_question_and_base(hand_loader, capsys):
    assert main(["breakdown", "s.csv", "-q", "Q1", "--base", "all", "--exclude", "Don't know"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("Test Survey 2019 — Q1: What is the size of your company?; base: all 10 respondents")
    assert "Don't know" not in out


def test_answer_prints_the_sentence(hand_loader, capsys):
    assert main(["answer", "s.csv", "-q", "Q1", "--answer", "1-49"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("44% (95% CI ") and "of the 9 respondents who answered" in out


def test_answer_unknown_exits_2(hand_loader, capsys):
    assert main(["answer", "s.csv", "-q", "Q1", "--answer", "Huge"]) == 2
    assert "no answer 'Huge'" in capsys.readouterr().err


def test_trend_needs_a_question_or_mapping(hand_loader, capsys):
    assert main(["trend", "a.csv", "b.csv"]) == 2
    assert "--mapping" in capsys.readouterr().err
