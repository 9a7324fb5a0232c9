"""Hostile and unlucky survey files (issue 14, items 1-7): each is read right, or refused in one line.

Every file is built here, in a temporary folder; nothing comes from outside.
"""

from __future__ import annotations

import csv
import io
import json
import warnings

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.errors import InvalidInput
from analysis.surveys import banner as survey_banner
from analysis.surveys import crosstab as survey_crosstab
from analysis.surveys.shares import breakdown
from collectors.surveys import SurveyError, detect_layout, load_survey, reader
from exports.tables import to_csv_text, to_json_text, to_text_table

ANSWERS = ("Yes", "No", "Maybe")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test caches into its own folder, never into data/cache."""
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(tmp_path / "cache"))


def write_csv(path, rows: list[list[str]]):
    """Write `rows` as a UTF-8 CSV file and return its path."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run `python -m analysis` in-process; return the exit code, stdout and stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# 1. Plain wide files whose headers look like question numbers -------------------------------------


def numbered_wide(path, respondents: int):
    """A plain wide file: header Q1, Q2, Q3, then one record per respondent."""
    rows = [[ANSWERS[(r + q) % 3] for q in range(3)] for r in range(respondents)]
    return write_csv(path, [["Q1", "Q2", "Q3"], *rows])


def test_numbered_wide_file_keeps_every_respondent(tmp_path):
    survey = load_survey(numbered_wide(tmp_path / "poll.csv", 100))
    assert survey.meta.layout == "wide"
    assert survey.meta.respondents == 100
    assert [question.text for question in survey.questions] == ["Q1", "Q2", "Q3"]
    # The first record is an answer, not a question text: Q1 counts 34 Yes (records 0, 3, ..., 99).
    assert (survey.answers("Q1")["answer"] == "Yes").sum() == 34
    assert any("read as a plain table" in line and "looks like data" in line for line in survey.report)


def test_numbered_wide_file_base_in_the_cli(tmp_path, capsys):
    path = numbered_wide(tmp_path / "poll.csv", 100)
    code, out, err = run(["breakdown", str(path), "-q", "Q1", "--format", "json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert {row["base"] for row in rows} == {100}
    assert sum(row["count"] for row in rows) == 100
    assert "read as a plain table" in err


def test_two_respondents_under_numbered_headers_are_read(tmp_path):
    survey = load_survey(numbered_wide(tmp_path / "tiny.csv", 2))
    assert survey.meta.respondents == 2
    assert set(survey.answers("Q1")["answer"]) == {"Yes", "No"}
    assert any("only 3 records" in line for line in survey.report)


def test_repeated_question_numbers_are_a_plain_table(tmp_path):
    path = write_csv(tmp_path / "repeat.csv", [["id", "Q1", "Q1", "Q1"], ["1", "a", "b", "c"], ["2", "d", "e", "f"]])
    survey = load_survey(path)
    assert survey.meta.layout == "wide"
    assert survey.meta.respondents == 2
    assert [question.id for question in survey.questions] == ["Q1", "Q1_2", "Q1_3"]
    assert any("numbers repeat" in line for line in survey.report)


def coded_export(path, with_labels: bool = True):
    """A small coded export: numbers, texts, then labels ('Response', an option per column), then codes."""
    numbers = ["", "Q1", "Q2", "Q3", ""]
    texts = ["Respondent ID", "Where are you?", "How big is your company?", "Which clouds?", ""]
    labels = ["", "Response", "Response", "AWS", "GCP"] if with_labels else ["", "", "", "", ""]
    body = [[str(100 + r), str(r % 3 + 1), str(r % 2 + 1), "1" if r % 2 else "", "2"] for r in range(8)]
    return write_csv(path, [numbers, texts, labels, *body])


def test_coded_export_with_a_label_row_is_still_coded(tmp_path):
    path = coded_export(tmp_path / "coded.csv")
    assert detect_layout(path) == "coded"
    survey = load_survey(path)
    assert survey.meta.respondents == 8
    assert survey.question("Q3").options == ("AWS", "GCP")


def test_coded_export_without_labels_needs_its_codebook(tmp_path):
    path = coded_export(tmp_path / "bare.csv", with_labels=False)
    assert detect_layout(path) == "wide"
    book = write_csv(tmp_path / "bare_codebook.csv", [["question", "code", "label"], ["Q1", "1", "Europe"]])
    assert book.is_file()
    assert detect_layout(path) == "coded"
    assert load_survey(path).meta.respondents == 8


# 2. A few lines in another encoding ----------------------------------------------------------------


def test_mostly_utf8_file_with_cp1252_lines_keeps_its_accents(tmp_path):
    lines = ["id,city,comment"] + [f"{n},café,naïve – fine" for n in range(5000)]
    good = ("\n".join(lines) + "\n").encode("utf-8")
    odd = b"".join(f"{5000 + n},".encode() + "café,Zürich\n".encode("cp1252") for n in range(10))
    path = tmp_path / "mixed.csv"
    path.write_bytes(good + odd)
    assert len(good) / len(good + odd) > 0.99
    survey = load_survey(path)
    assert set(survey.answers("city")["answer"]) == {"café"}
    assert set(survey.answers("comment")["answer"]) == {"naïve – fine", "Zürich"}
    line = next(line for line in survey.report if "not UTF-8" in line)
    assert "10 line(s)" in line and "lines 5002, 5003" in line and "cp1252" in line


def test_mostly_cp1252_file_with_a_utf8_line_reads_both(tmp_path):
    body = "id,city\n" + "".join(f"{n},Montréal\n" for n in range(50))
    path = tmp_path / "legacy.csv"
    path.write_bytes(body.encode("cp1252") + "50,Zürich\n".encode())
    survey = load_survey(path)
    assert set(survey.answers("city")["answer"]) == {"Montréal", "Zürich"}
    assert any("read as cp1252" in line for line in survey.report)
    assert any("1 line(s) in UTF-8" in line and "line 52" in line for line in survey.report)


# 3. Weights that lie ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "phrase"),
    [
        (["1", "inf", "1", "1"], "infinite"),
        (["0", "0", "0", "0"], "every weight is 0"),
        (["1e308", "1e308", "1", "1"], "too large"),
    ],
)
def test_lying_weights_are_refused_in_one_line(tmp_path, capsys, weights, phrase):
    rows = [["id", "tool", "w"], *[[str(n), ANSWERS[n % 2], weight] for n, weight in enumerate(weights)]]
    path = write_csv(tmp_path / "weighted.csv", rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning from numpy fails the test
        code, out, err = run(["answer", str(path), "-q", "tool", "-a", "Yes", "--weight", "w"], capsys)
        with pytest.raises(InvalidInput, match=phrase):
            breakdown(load_survey(path), "tool", weight="w")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: weighted.csv: weight column w") and phrase in err


def test_usable_weights_still_weight(tmp_path):
    rows = [["id", "tool", "w"], ["1", "Yes", "3"], ["2", "No", "1"], ["3", "Yes", "0"]]
    shares = breakdown(load_survey(write_csv(tmp_path / "ok.csv", rows)), "tool", weight="w")
    assert shares.set_index("answer")["share"].to_dict() == {"Yes": 0.75, "No": 0.25}


# 4. A question nobody answered --------------------------------------------------------------------


@pytest.mark.parametrize("base", ["answered", "all"])
def test_answer_to_an_unanswered_question_says_so(tmp_path, capsys, base):
    path = write_csv(tmp_path / "blank.csv", [["id", "tool", "never"], ["1", "Yes", ""], ["2", "No", ""]])
    code, out, err = run(["answer", str(path), "-q", "never", "-a", "Yes", "--base", base], capsys)
    assert code == 2
    assert out == ""
    assert "no respondent answered it" in err
    assert "answers include" not in err


# 5. Formula leads spreadsheets run, in full-width and other lookalike forms -----------------------

LOOKALIKE_LEADS = ["＝1+1", "＋cmd|' /C calc'!A0", "－2+3", "＠SUM(A1:A2)", "﹦1", "﹢1", "﹣1", "﹫x", "−1+2"]


def test_lookalike_formula_leads_are_neutralised_in_csv():
    frame = pd.DataFrame({"answer": [*LOOKALIKE_LEADS, "=1", "plain", "a＝b"]})
    cells = [row[0] for row in csv.reader(io.StringIO(to_csv_text(frame)))][1:]
    assert cells[: len(LOOKALIKE_LEADS) + 1] == ["'" + text for text in [*LOOKALIKE_LEADS, "=1"]]
    assert cells[-2:] == ["plain", "a＝b"]


def test_full_width_leads_in_a_survey_are_neutralised_by_the_cli(tmp_path, capsys):
    path = write_csv(tmp_path / "leads.csv", [["id", "tool"], ["1", "＝HYPERLINK(1)"], ["2", "＋1"], ["3", "ok"]])
    code, out, err = run(["breakdown", str(path), "-q", "tool", "--format", "csv"], capsys)
    assert code == 0
    answers = [row["answer"] for row in csv.DictReader(io.StringIO(out))]
    assert answers == ["'＝HYPERLINK(1)", "'＋1", "ok"]
    assert "formula" in err


# 6. Terminal escape sequences in survey text ------------------------------------------------------

TITLE_ESCAPE = "\x1b]0;owned\x07"
CLEAR_SCREEN = "\x1b[2J\x1b[H"


def test_table_output_shows_escape_sequences_instead_of_sending_them(tmp_path, capsys):
    header = ["id", f"tool{CLEAR_SCREEN}"]
    path = write_csv(tmp_path / "esc.csv", [header, ["1", f"Yes{TITLE_ESCAPE}"], ["2", "No\x9b31m"], ["3", "No"]])
    code, out, err = run(["breakdown", str(path), "-q", "tool"], capsys)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "Yes␛]0;owned␇" in out
    assert "tool␛[2J␛[H" in out  # the title quotes the question text
    code, out, err = run(["answer", str(path), "-q", "tool", "-a", f"Yes{TITLE_ESCAPE}"], capsys)
    assert code == 0 and "\x1b" not in out and "Yes␛]0;owned␇" in out
    code, out, err = run(["answer", str(path), "-q", "tool", "-a", "Nope"], capsys)
    assert code == 2 and "\x1b" not in err and err.count("\n") == 1


def test_csv_and_json_keep_the_data_as_it_is():
    frame = pd.DataFrame({"answer": [f"Yes{TITLE_ESCAPE}", "a\u202eb"], "count": [1, 2]})
    assert "\x1b" not in to_text_table(frame) and "\\u202e" in to_text_table(frame)
    assert json.loads(to_json_text(frame))[0]["answer"] == f"Yes{TITLE_ESCAPE}"
    assert next(csv.DictReader(io.StringIO(to_csv_text(frame))))["answer"] == f"Yes{TITLE_ESCAPE}"


# 7. Limits: columns and segments -------------------------------------------------------------------


def test_a_million_column_header_is_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{n:07d}" for n in range(1_000_000)) + "\n" + "a,b\n", encoding="utf-8")
    assert path.stat().st_size > 9_000_000

    def never(*_args, **_kwargs):
        raise AssertionError("the loader parsed a file it should have refused")

    monkeypatch.setattr(reader.pd, "read_csv", never)
    monkeypatch.setattr(reader, "_parse_python", never)
    with pytest.raises(SurveyError) as caught:
        load_survey(path)
    assert str(caught.value) == (
        "wide.csv: has more than 20,000 columns in its first record; the limit is 20,000 columns"
    )


def test_column_limit_counts_fields_not_quoted_commas(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_COLUMNS", 3)
    fits = write_csv(tmp_path / "fits.csv", [["id", "a, b", 'say "x, y"'], ["1", "p", "q"], ["2", "r", "s"]])
    assert [question.text for question in load_survey(fits).questions] == ["a, b", 'say "x, y"']
    over = write_csv(tmp_path / "over.csv", [["id", "a", "b", "c"], ["1", "p", "q", "r"]])
    with pytest.raises(SurveyError, match="the limit is 3 columns"):
        load_survey(over)


def test_by_a_fifty_thousand_value_question_is_refused(tmp_path, capsys, monkeypatch):
    rows = [["id", "tool", "city"], *[[str(n), ANSWERS[n % 2], f"city {n}"] for n in range(50_000)]]
    path = write_csv(tmp_path / "cities.csv", rows)
    crossed = []
    monkeypatch.setattr(survey_crosstab, "shares_with_nets", lambda *args, **kwargs: crossed.append(args))
    monkeypatch.setattr(survey_banner, "shares_of", lambda *args, **kwargs: crossed.append(args))
    code, out, err = run(["breakdown", str(path), "-q", "tool", "--by", "city"], capsys)
    assert code == 2
    assert out == ""
    assert "city has 50,000 different answers; the limit is 200 segments" in err
    assert crossed == []
