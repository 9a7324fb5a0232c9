"""Typed text is recoded into options only when a recode file asks, and the output then says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.errors import InvalidInput
from analysis.surveys.recode import read_recode, recode_write_ins
from analysis.surveys.shares import breakdown
from collectors.surveys import load_survey

CNCF_2019 = Path(__file__).resolve().parents[2] / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_2019.csv"


def _recode_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recode.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _counts(survey, question_id: str) -> dict[str, int]:
    shares = breakdown(survey, question_id)
    return dict(zip(shares["answer"].astype(str), shares["count"].astype(int), strict=True))


def test_without_a_recode_file_typed_options_stay_other() -> None:
    counts = _counts(load_survey(CNCF_2019), "Q9")
    assert (counts["Public Cloud"], counts["Other (please specify)"]) == (831, 17)


def test_a_recode_file_counts_the_typed_text_as_the_option_and_says_so(tmp_path: Path) -> None:
    survey = load_survey(CNCF_2019)
    typed = survey.write_ins[survey.write_ins["question"] == "Q9"]
    public = typed[typed["text"].str.strip().str.casefold() == "public cloud"]["respondent"]
    ticked = set(survey.answers("Q9").query("answer == 'Public Cloud'")["respondent"])
    recoded = recode_write_ins(
        survey, read_recode(_recode_file(tmp_path, "question,text,answer\nQ9,Public Cloud,Public Cloud\n"))
    )
    counts = _counts(recoded, "Q9")
    assert counts["Public Cloud"] == 831 + len(set(public) - ticked)
    assert counts["Other (please specify)"] == 17 - len(set(public))
    assert any("recoded into options by recode.csv" in w for w in recoded.question("Q9").warnings)
    assert _counts(survey, "Q9")["Public Cloud"] == 831  # the loaded survey is left as it was


def test_the_command_states_the_recode_in_its_heading(tmp_path: Path, capsys) -> None:
    path = _recode_file(tmp_path, "question,text,answer\nQ9,public cloud,Public Cloud\n")
    assert main(["breakdown", str(CNCF_2019), "-q", "Q9", "--recode", str(path)]) == 0
    captured = capsys.readouterr()
    assert "recoded into options by recode.csv" in captured.out.splitlines()[0]
    assert "recoded into options" in captured.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("question,text\nQ9,x\n", "needs a CSV with the columns question, text, answer"),
        ("question,text,answer\nQ9,x,Moon Cloud\n", "has no option 'Moon Cloud'"),
        ("question,text,answer\nQ999,x,y\n", "has no question Q999"),
        ("question,text,answer\nQ9,,Public Cloud\n", "needs a question, a text and an answer"),
    ],
)
def test_a_bad_recode_file_is_refused_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        recode_write_ins(load_survey(CNCF_2019), read_recode(_recode_file(tmp_path, text)))
