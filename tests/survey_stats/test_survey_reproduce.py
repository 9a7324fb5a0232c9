"""Every survey figure's reproduce command prints the same number as the function the dashboard calls.

On the full bundled data; the commands are run as written (split as a shell would split them).
"""

from __future__ import annotations

import io
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.errors import NotComparable
from analysis.reproduce import surveys as reproduce_surveys
from analysis.surveys import mappings as survey_mappings
from analysis.surveys.headlines import comparable, survey_headlines
from analysis.surveys.quote import percent
from analysis.surveys.trend import same_question_trend
from collectors.surveys import load_survey
from collectors.surveys.bundled import embedded_surveys
from dashboard import survey_display as survey_views

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def paths() -> dict[str, Path]:
    return {path.stem: path for path in embedded_surveys()}


@pytest.fixture(scope="module")
def bundled(paths, tmp_path_factory) -> dict:
    cache = tmp_path_factory.mktemp("cache")
    return {key: load_survey(path, cache_dir=cache) for key, path in paths.items()}


@pytest.fixture
def run(monkeypatch, capsys, tmp_path):
    """Run a `python -m analysis ...` command line in this process, from the project root; return stdout."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(tmp_path))

    def run_command(command: str) -> str:
        words = shlex.split(command)
        assert words[:3] == ["python", "-m", "analysis"]
        capsys.readouterr()
        assert main(words[3:]) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    return run_command


def test_commands_name_files_relative_to_the_project_and_quote_their_flags(paths) -> None:
    command = reproduce_surveys.answer_command(paths["Cloud_Native_Survey_2019"], "Q2", ">5000")
    assert (
        command
        == "python -m analysis answer data/surveys/cncf/Cloud_Native_Survey_2019.csv --question Q2 --answer '>5000'"
    )
    outside = reproduce_surveys.project_path(Path("/tmp/elsewhere/x.csv"))
    assert outside == "/tmp/elsewhere/x.csv"


def test_each_headline_card_command_prints_the_cards_share_and_n(bundled, paths, run) -> None:
    rows = comparable(survey_headlines(bundled))
    assert len(rows) == 9  # 2018-2021 twice, and 2022 for containers (its Kubernetes answers are codes)
    for row in rows.to_dict("records"):
        sentence = run(reproduce_surveys.headline_command(row, paths[row["survey"]]))
        assert sentence.startswith(f"{percent(row['share'])} (95% CI {percent(row['ci_low']).rstrip('%')}–")
        assert f"n={row['base']:,};" in sentence and row["wave"] in sentence


def test_a_headline_left_off_has_no_command(bundled, paths) -> None:
    table = survey_headlines(bundled)
    row = table[table["reason"] != ""].iloc[0].to_dict()
    with pytest.raises(NotComparable, match="codes without labels"):
        reproduce_surveys.headline_command(row, paths[row["survey"]])


def test_each_headline_trend_command_prints_the_cards_counts(bundled, paths, run) -> None:
    rows = comparable(survey_headlines(bundled))
    mappings = survey_mappings.read_mappings()
    for topic, cards in rows.groupby("topic"):
        command = reproduce_surveys.headline_trend_command(cards, bundled, paths, mappings)
        assert command is not None and "--mapping data/surveys/mappings/" in command, topic
        printed = pd.read_csv(io.StringIO(run(command)))
        assert printed["count"].tolist() == cards["count"].tolist()
        assert printed["base"].tolist() == cards["base"].tolist()


@pytest.mark.parametrize(
    ("key", "question", "item", "base", "by"),
    [
        ("Cloud_Native_Survey_2019", "Q2", None, "answered", None),
        ("Cloud_Native_Survey_1H_2020", "Q16", "Production", "all", None),
        ("Cloud_Native_Survey_2019", "Q1", None, "answered", "Q2"),
        ("2022_CNCF_Survey_-_Raw_Data", "Q5", None, "answered", None),
    ],
)
def test_breakdown_commands_print_the_dashboards_table(bundled, paths, run, key, question, item, base, by) -> None:
    survey = bundled[key]
    shown = (
        survey_views.crosstab(survey, question, item, by)
        if by
        else survey_views.breakdown(survey, question, item, base)
    )
    printed = pd.read_csv(io.StringIO(run(reproduce_surveys.breakdown_command(paths[key], question, item, base, by))))
    if by:  # the banner's segments; its Total column is the question's own breakdown
        printed = printed[printed["segment_question"] != "Total"]
    assert printed["answer"].astype(str).tolist() == shown["answer"].tolist()
    assert printed["count"].tolist() == shown["count"].tolist()
    assert printed["share"].tolist() == pytest.approx(shown["share"].tolist())
    if by:
        assert printed["segment"].astype(str).tolist() == shown["segment"].tolist()


@pytest.mark.parametrize(
    ("key", "question", "item", "answer"),
    [
        ("Cloud_Native_Survey_2019", "Q15", "Production", "Currently Using"),  # the mapped answer
        ("Cloud_Native_Survey_2019", "Q15", "Production", "Future Plans"),  # another answer, by its own wording
    ],
)
def test_mapped_trend_commands_print_the_dashboards_trend(bundled, paths, run, key, question, item, answer) -> None:
    mappings = survey_mappings.read_mappings()
    name = survey_mappings.find_mapping(mappings, bundled[key], question, item)
    shown = survey_mappings.mapped_trend(bundled, mappings[name], bundled[key], item, answer)
    files = reproduce_surveys.trend_files(shown, bundled, paths)
    command = reproduce_surveys.trend_command(
        files, answer, item, mapping=survey_mappings.settings.MAPPINGS_DIR / f"{name}.csv"
    )
    printed = pd.read_csv(io.StringIO(run(command)))
    assert printed["wave"].tolist() == shown["wave"].tolist()
    assert printed["count"].tolist() == shown["count"].tolist()
    assert printed["base"].tolist() == shown["base"].tolist()


def test_same_wording_trend_command_prints_the_dashboards_trend(bundled, paths, run) -> None:
    text = bundled["Cloud_Native_Survey_2019"].question("Q1").text
    shown = same_question_trend(bundled, text, None, "Europe")
    assert len(shown) >= 2
    files = reproduce_surveys.trend_files(shown, bundled, paths)
    printed = pd.read_csv(io.StringIO(run(reproduce_surveys.trend_command(files, "Europe", question_text=text))))
    assert printed["count"].tolist() == shown["count"].tolist()
    assert printed["share"].tolist() == pytest.approx(shown["share"].tolist())


def test_a_command_pasted_into_a_shell_prints_the_same_sentence(bundled, paths, tmp_path) -> None:
    survey = bundled["Cloud_Native_Survey_2019"]
    command = reproduce_surveys.answer_command(paths["Cloud_Native_Survey_2019"], "Q2", ">5000")
    result = subprocess.run(
        ["bash", "-c", command.replace("python", sys.executable, 1)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "ADOPTION_CACHE_DIR": str(tmp_path), "HOME": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    share = survey_views.breakdown(survey, "Q2").set_index("answer").loc[">5000", "share"]
    assert result.stdout.startswith(f"{percent(share)} (95% CI")
