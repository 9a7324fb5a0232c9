"""CNCF 2021, published only as tables of counts: read as a survey of counts, its figures, its refusals, its breaks.

All on the bundled workbooks (data/surveys/cncf/Cloud_Native_Survey_2021-Part_1.xlsx and -Part_2.xlsx);
expected counts are read from the workbook's own cells with openpyxl, shares and intervals worked by hand.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.errors import NotComparable
from analysis.surveys.banner import banner
from analysis.surveys.crosstab import crosstab
from analysis.surveys.headlines import comparable, survey_headlines
from analysis.surveys.shares import breakdown
from analysis.surveys.trend import break_notes, break_reasons, break_sentence
from analysis.surveys.weighting import rake
from collectors.surveys import load_survey
from survey_model.counts import CountsSurvey
from survey_model.survey import QuestionType

ROOT = Path(__file__).resolve().parents[2]
CNCF = ROOT / "data" / "surveys" / "cncf"
PART_1 = CNCF / "Cloud_Native_Survey_2021-Part_1.xlsx"
PART_2 = CNCF / "Cloud_Native_Survey_2021-Part_2.xlsx"
MAPPINGS = ROOT / "data" / "surveys" / "mappings"


@pytest.fixture(scope="module")
def part_1() -> CountsSurvey:
    return load_survey(PART_1)


@pytest.fixture(scope="module")
def part_2() -> CountsSurvey:
    return load_survey(PART_2)


def _sheet_rows(path: Path, sheet: str) -> list[list]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [list(row) for row in book[sheet].iter_rows(values_only=True)]
    book.close()
    return rows


def _wilson(count: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    share = count / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_part_1_reads_as_a_survey_of_counts(part_1: CountsSurvey) -> None:
    assert isinstance(part_1, CountsSurvey) and part_1.meta.layout == "published_tables"
    assert len(part_1.questions) == 27 and part_1.meta.respondents == 2302
    assert part_1.meta.wave == "CNCF Cloud Native Survey 2021 Part 1" and part_1.meta.year == 2021
    assert part_1.segment_question == "Q1"
    assert part_1.segments() == [
        "Africa", "Asia", "Australia and Oceania", "Europe", "North America", "South and Central America",
    ]  # fmt: skip
    grid = part_1.question("Q13")
    assert grid.type == QuestionType.GRID_SINGLE
    assert grid.items == ("Proof of Concept (PoC)", "Development", "Test", "Production")
    assert part_1.question("Q5").type == QuestionType.MULTIPLE  # "select all", and counts add up past the base
    assert part_1.question("Q24").type == QuestionType.TEXT
    assert part_1.answered_skipped("Q16") == (2165, 137)


def test_counts_are_the_workbooks_own_cells(part_1: CountsSurvey) -> None:
    rows = _sheet_rows(PART_1, "Question 16")
    total = next(row for row in rows if row[0] == "Total")
    header = rows[2]
    expected = {header[i]: int(total[i + 1]) for i in range(1, len(header) - 2, 2) if header[i] != "Total"}
    table = part_1.table("Q16")
    assert dict(zip(table["answer"], table["count"], strict=True)) == expected
    assert part_1.base("Q16") == int(total[-1]) == 2165


def test_part_2_is_its_own_survey_with_its_own_base(part_1: CountsSurvey, part_2: CountsSurvey) -> None:
    assert len(part_2.questions) == 29 and part_2.meta.respondents == 1527
    assert part_2.meta.wave == "CNCF Cloud Native Survey 2021 Part 2" and part_2.meta.sha256 != part_1.meta.sha256
    assert breakdown(part_2, "Q1")["base"].iloc[0] == 1527
    assert breakdown(part_1, "Q1")["base"].iloc[0] == 2302


def test_answer_on_part_1_question_16_prints_share_base_and_interval(capsys) -> None:
    code, out, _ = _run(["answer", str(PART_1), "--question", "Q16", "--answer", "Yes, in production"], capsys)
    assert code == 0
    low, high = _wilson(1294, 2165)
    assert f"{low:.2f}"[2:4] == "58" and f"{high:.2f}"[2:4] == "62"
    assert out.strip() == (
        '60% (95% CI 58–62%) of the 2,165 respondents who answered "Are you using Kubernetes?" chose '
        '"Yes, in production" — CNCF Cloud Native Survey 2021 Part 1 (n=2,165; base: respondents who answered; '
        "fielded 2021)."
    )


def test_breakdown_shares_and_intervals_come_from_the_counts(part_1: CountsSurvey) -> None:
    table = breakdown(part_1, "Q13", "Production")
    assert table[["answer", "count", "base"]].values.tolist() == [
        ["Currently using", 1385, 2177],
        ["Future plans", 640, 2177],
        ["Not using or planning to use", 152, 2177],
    ]
    for row in table.itertuples():
        assert row.share == pytest.approx(row.count / 2177)
        assert (row.ci_low, row.ci_high) == pytest.approx(_wilson(row.count, 2177))
    whole = breakdown(part_1, "Q13")
    assert list(dict.fromkeys(whole["item"])) == list(part_1.question("Q13").items)


def test_excluding_an_answer_of_a_single_choice_takes_its_count_off_the_base(part_1: CountsSurvey) -> None:
    table = breakdown(part_1, "Q16", exclude=["not sure"])
    assert "Not sure" not in set(table["answer"]) and set(table["base"]) == {2165 - 22}
    everyone = breakdown(part_1, "Q16", base="all")
    assert set(everyone["base"]) == {2302}


def test_breakdown_by_q1_gives_the_region_tables_published(capsys) -> None:
    code, out, _ = _run(["breakdown", str(PART_1), "-q", "Q16", "--by", "Q1", "--format", "csv"], capsys)
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    africa = next(row for row in _sheet_rows(PART_1, "Question 16") if row[0] == "Q1: Africa")
    shown = table[table["segment"] == "Africa"]
    assert shown["count"].tolist() == [int(value) for value in africa[2:-2:2]]
    assert set(shown["base"]) == {int(africa[-1])} == {245}
    assert table["segment"].nunique() == 6 and not table["small_base"].iloc[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["breakdown", "-q", "Q16", "--by", "Q3"], "a crosstab by Q3 (the tables are published by Q1 only)"),
        (["breakdown", "-q", "Q16", "--weight", "Q3"], "weighting needs each respondent's answers"),
        (["breakdown", "-q", "Q5", "--exclude", "Mobile Developer"], "from the base of a multiple-choice question"),
        (["breakdown", "-q", "Q24"], "is free text"),
    ],
)
def test_what_counts_cannot_give_is_refused_in_one_line(capsys, args: list[str], words: str) -> None:
    code, out, err = _run([args[0], str(PART_1), *args[1:]], capsys)
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1 and words in lines[0] and lines[0].startswith("error: Cloud_Native_Survey_2021-Part_1.xlsx")


def test_banners_crosstabs_and_raking_refuse_counts(part_1: CountsSurvey) -> None:
    with pytest.raises(NotComparable, match="published tables hold counts, not respondents; a banner"):
        banner(part_1, "Q16", ["Q1"])
    with pytest.raises(NotComparable, match="a crosstab by another question"):
        crosstab(part_1, "Q16", "Q3")
    with pytest.raises(NotComparable, match="weighting"):
        rake(part_1, {"Q3": pd.DataFrame({"answer": ["10-49"], "target": [1.0]})})


def test_questions_lists_the_tables_answered_counts(capsys) -> None:
    code, out, _ = _run(["questions", str(PART_1), "--format", "csv"], capsys)
    assert code == 0
    table = pd.read_csv(io.StringIO(out)).set_index("id")
    assert table.loc["Q16", "answered"] == 2165 and table.loc["Q13", "type"] == "grid_single"


def test_the_kubernetes_trend_reaches_2021_and_says_where_it_breaks(capsys) -> None:
    files = [CNCF / f"Cloud_Native_Survey_{year}.csv" for year in ("2018", "2019", "1H_2020")] + [PART_1]
    mapping = MAPPINGS / "cncf-kubernetes-in-production.csv"
    code, out, _ = _run(["trend", *map(str, files), "--mapping", str(mapping), "--format", "csv"], capsys)
    assert code == 0
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert table["year"].tolist() == [2018, 2019, 2020, 2021]
    assert table["count"].tolist()[-1] == 1294 and table["base"].tolist()[-1] == 2165
    assert table["break_before"].iloc[0] == ""
    assert table["break_before"].iloc[1].startswith("the 2018 survey was fielded by another method")
    last = table["break_before"].iloc[3]
    assert last.startswith('2021 asked "Are you using Kubernetes?" (Yes, in production) in Part 1')
    assert "question text differs" in last and "base differs: answers counted in published tables" in last


def _waves(**columns) -> pd.DataFrame:
    base = {
        "key": ["a", "a", "a"],
        "wave": ["W1", "W2", "W3"],
        "design_text": ["q", "q", "q"],
        "design_answers": ["no\x1fyes"] * 3,
        "design_base": ["respondents"] * 3,
        "design_break": ["", "", ""],
    }
    return pd.DataFrame({**base, **columns})


def test_break_reasons_by_hand() -> None:
    assert break_reasons(_waves()).tolist() == ["", "", ""]
    assert break_reasons(_waves(design_break=["panel", "", "panel"])).tolist() == ["", "", "panel"]
    assert break_reasons(_waves(design_text=["q", "q", "r"])).tolist()[2] == "question text differs from W2"
    changed = break_reasons(_waves(design_answers=["no\x1fyes", "no\x1fyes\x1fmaybe", "no\x1fyes\x1fmaybe"]))
    assert changed.tolist() == ["", "answers offered differ from W1 (new “maybe”)", ""]
    based = break_reasons(_waves(design_base=["respondents", "counts", "counts"])).tolist()
    assert based == ["", "base differs: counts, W1 respondents", ""]
    other_series = break_reasons(_waves(key=["a", "b", "b"], design_text=["q", "r", "r"])).tolist()
    assert other_series == ["", "", ""]  # a wave is compared only with the one before it in its own series


def test_notes_and_sentence_name_each_break() -> None:
    table = pd.DataFrame({"wave": ["W1", "W2", "W3"], "break_before": ["", "panel", "<b>x</b>"]})
    assert break_notes(table) == ["Break before W2: panel", "Break before W3: <b>x</b>"]
    assert break_sentence(table).startswith("The series crosses 2 methodology breaks (before W2, W3)")
    assert break_sentence(table.assign(break_before="")) == ""


def test_the_overview_headlines_take_2021_from_the_mapping_with_its_break(part_1, part_2) -> None:
    surveys = {PART_1.stem: part_1, PART_2.stem: part_2}
    rows = comparable(survey_headlines(surveys))
    kubernetes = rows[rows["topic"] == "Kubernetes in production"]
    assert kubernetes[["survey", "question", "answer", "count", "base"]].values.tolist() == [
        [PART_1.stem, "Q16", "Yes, in production", 1294, 2165]
    ]
    containers = rows[rows["topic"] == "Containers in production"]
    assert containers[["question", "item", "count", "base"]].values.tolist() == [["Q13", "Production", 1385, 2177]]
    # Without the mappings, the recipe finds Part 2's grid of graduated projects instead: another question.
    recipe_only = comparable(survey_headlines(surveys, mappings={}))
    grid = recipe_only[recipe_only["topic"] == "Kubernetes in production"]
    assert grid[["survey", "question", "item"]].values.tolist() == [[PART_2.stem, "Q7", "Kubernetes"]]
