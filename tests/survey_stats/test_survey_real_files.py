"""Shares on the real bundled exports, checked against counts taken from the raw CSV with the csv module."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.surveys.crosstab import crosstab
from analysis.surveys.lookup import AmbiguousQuestion, find_question
from analysis.surveys.shares import breakdown
from collectors.surveys import load_survey

ROOT = Path(__file__).resolve().parents[2]
CNCF_2019 = ROOT / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_2019.csv"
CNCF_2018 = ROOT / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_2018.csv"
USES_CONTAINERS = "Please indicate if your company/organization currently uses"
STACK_OVERFLOW = ROOT / "data" / "surveys" / "stackoverflow_2025" / "survey_results_public.csv"


def raw_survey_monkey(path: Path) -> tuple[list[str], list[str], list[list[str]]]:
    """Both header rows and the respondent rows of a two-header-row export."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    return records[0], records[1], records[2:]


def question_columns(first: list[str], second: list[str], text: str) -> dict[str, int]:
    """Columns (by their row-2 label) of the question whose row-1 text starts with `text`."""
    columns, current = {}, ""
    for index, (question, label) in enumerate(zip(first, second, strict=True)):
        current = question or current
        if current.startswith(text):
            columns[label] = index
    assert columns, text
    return columns


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("survey-cache")


@pytest.fixture(scope="module")
def cncf_2019(cache):
    return load_survey(CNCF_2019, cache_dir=cache)


@pytest.fixture(scope="module")
def raw_2019():
    return raw_survey_monkey(CNCF_2019)


def test_grid_row_shares_match_the_raw_file(cncf_2019, raw_2019):
    first, second, rows = raw_2019
    column = question_columns(first, second, "Please indicate if your company/organization currently uses")[
        "Production"
    ]
    counts = Counter(row[column] for row in rows if row[column].strip())
    answered = sum(counts.values())
    question = find_question(cncf_2019, "containers for any of the below", "Production")
    shares = breakdown(cncf_2019, question.id, "Production").set_index("answer")
    assert shares["base"].iloc[0] == answered
    for answer, count in counts.items():
        assert shares.loc[answer, "count"] == count
        assert shares.loc[answer, "share"] == pytest.approx(count / answered)
    without_na = breakdown(cncf_2019, question.id, "Production", exclude=["N/A"])
    assert without_na["base"].iloc[0] == answered - counts["N/A"]
    everyone = breakdown(cncf_2019, question.id, "Production", base="all").set_index("answer")
    assert everyone["base"].iloc[0] == len(rows)
    assert everyone.loc["Currently Using", "share"] == pytest.approx(counts["Currently Using"] / len(rows))


def test_multiple_choice_shares_match_the_raw_file(cncf_2019, raw_2019):
    first, second, rows = raw_2019
    columns = question_columns(first, second, "What are your challenges in using / deploying containers")
    answered = sum(1 for row in rows if any(row[index].strip() for index in columns.values()))
    question = find_question(cncf_2019, "challenges in using / deploying")
    shares = breakdown(cncf_2019, question.id).set_index("answer")
    assert set(shares["base"]) == {answered}
    for label, index in columns.items():
        ticked = sum(1 for row in rows if row[index].strip())
        assert shares.loc[label, "count"] == ticked, label
    assert shares["share"].sum() > 1  # several answers each


def test_crosstab_by_region_matches_the_raw_file(cncf_2019, raw_2019):
    first, _, rows = raw_2019
    region = first.index(next(text for text in first if text.startswith("What is your geographic location")))
    size = first.index(next(text for text in first if text.startswith("What is the size of your company")))
    # The loader reads a no-break space ("South and Central\xa0America") as a space.
    both = [(" ".join(row[region].split()), row[size]) for row in rows if row[region].strip() and row[size].strip()]
    pairs = Counter(both)
    bases = Counter(segment for segment, _ in both)
    table = crosstab(cncf_2019, find_question(cncf_2019, "size of your company").id, "Q1")
    for row in table.itertuples():
        assert row.count == pairs[(row.segment, row.answer)]
        assert row.base == bases[row.segment]
        assert row.small_base == (bases[row.segment] < 30)
    assert table["small_base"].any() and not table["small_base"].all()


def test_ambiguous_text_lists_candidates_and_item_picks_one(cncf_2019):
    with pytest.raises(AmbiguousQuestion) as caught:
        find_question(cncf_2019, "containers")
    ids = [question.id for question in caught.value.candidates]
    assert len(ids) > 2
    chosen = find_question(cncf_2019, "containers", "Production")
    assert chosen.id in ids and "Production" in chosen.items


def test_stack_overflow_shares_match_the_raw_file(cache):
    survey = load_survey(STACK_OVERFLOW, cache_dir=cache)
    with STACK_OVERFLOW.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    main_branch = Counter(row["MainBranch"] for row in rows if row["MainBranch"] not in ("", "NA"))
    shares = breakdown(survey, "MainBranch").set_index("answer")
    assert shares.loc["I am a developer by profession", "count"] == main_branch["I am a developer by profession"]
    assert shares["base"].iloc[0] == sum(main_branch.values())
    languages = [row["LanguageHaveWorkedWith"] for row in rows if row["LanguageHaveWorkedWith"] not in ("", "NA")]
    picked = Counter(language for cell in languages for language in set(cell.split(";")))
    shares = breakdown(survey, "LanguageHaveWorkedWith").set_index("answer")
    assert shares["base"].iloc[0] == len(languages)
    for language, count in picked.most_common(8):
        assert shares.loc[language, "count"] == count


def _cli(*argv: str, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"ADOPTION_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_answer_sentence_on_the_real_file(cache, raw_2019):
    first, second, rows = raw_2019
    column = question_columns(first, second, "Please indicate if your company/organization currently uses")[
        "Production"
    ]
    counts = Counter(row[column] for row in rows if row[column].strip())
    answered = sum(counts.values())
    done = _cli("answer", str(CNCF_2019), "-q", "containers", "--item", "production", "-a", "currently using",
                cache=cache)  # fmt: skip
    assert done.returncode == 0, done.stderr
    share = round(100 * counts["Currently Using"] / answered)
    assert done.stdout.startswith(f"{share}% (95% CI ")
    assert f"of the {answered:,} respondents who answered" in done.stdout
    assert '(item: Production) chose "Currently Using" — CNCF Cloud Native Survey 2019' in done.stdout


def test_ambiguous_question_on_the_cli_exits_2(cache):
    done = _cli("breakdown", str(CNCF_2019), "--question", "containers", cache=cache)
    assert done.returncode == 2
    assert "questions match 'containers'" in done.stderr and "Q15:" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"", "empty.csv"), (b"<!DOCTYPE html><html><body>Not found</body></html>\n", "page.csv"),
     (b"\x00\x01\x02\x03binary\xff\xfe" * 50, "blob.csv")],
)  # fmt: skip
def test_bad_files_exit_2_with_one_line_naming_the_file(tmp_path, cache, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    done = _cli("breakdown", str(path), "-q", "Q1", cache=cache)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and name in done.stderr
    assert "Traceback" not in done.stderr


def test_trend_across_waves_with_a_mapping(tmp_path, monkeypatch, capsys, cache):
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(cache))
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("wave,question_id,item,answer\n2018,Q13,Production,Today\n2019,Q15,Production,Currently Using\n")
    counts = []
    for path, text in ((CNCF_2018, "Your company/organization uses containers for"),
                       (CNCF_2019, "Please indicate if your company/organization currently uses")):  # fmt: skip
        first, second, rows = raw_survey_monkey(path)
        column = question_columns(first, second, text)["Production"]
        answers = Counter(row[column] for row in rows if row[column].strip())
        counts.append((answers.get("Today", answers.get("Currently Using")), sum(answers.values())))
    assert main(["trend", str(CNCF_2019), str(CNCF_2018), "--mapping", str(mapping), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "wave,year,question,item,answer,count,base,share,ci_low,ci_high,change,z,p_value,break_before"
    assert lines[1].startswith(
        f"CNCF Cloud Native Survey 2018,2018,Q13,Production,Today,{counts[0][0]},{counts[0][1]},"
    )
    newer = lines[2].split(",")
    assert newer[5:7] == [str(counts[1][0]), str(counts[1][1])]
    (x1, n1), (x2, n2) = counts
    pooled = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert float(newer[11]) == pytest.approx(z)
    assert float(newer[12]) == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-6)


def test_the_documented_mapping_covers_three_waves(monkeypatch, capsys, cache):
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(cache))
    mapping = ROOT / "docs" / "examples" / "cncf-containers-in-production.csv"
    files = [CNCF_2018, CNCF_2019, ROOT / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_1H_2020.csv"]
    assert main(["trend", *map(str, files), "--mapping", str(mapping), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["2018", "2019", "2020"]
    assert [line.split(",")[4] for line in lines[1:]] == ["Today", "Currently Using", "Currently Using"]
