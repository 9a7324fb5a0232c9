"""Wording mappings: looking a question up, following each wave's wording, and the mappings shipped for CNCF."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import settings
from analysis.__main__ import main
from analysis.surveys import mappings as survey_mappings
from analysis.surveys.trend import mapping_row
from collectors.surveys import load_survey
from survey_model.survey import Question, QuestionType, Survey, SurveyMeta

ROOT = Path(__file__).resolve().parents[2]
CNCF = ROOT / "data" / "surveys" / "cncf"
WAVES = {
    "2018": "Cloud_Native_Survey_2018.csv",
    "2019": "Cloud_Native_Survey_2019.csv",
    "1H 2020": "Cloud_Native_Survey_1H_2020.csv",
}


def _survey(wave: str, year: int, question_id: str, text: str, answers: list[str], sha: str) -> Survey:
    """One grid question, row `Production`, with one respondent per answer given."""
    options = tuple(dict.fromkeys(answers))
    questions = [
        Question(question_id, text, QuestionType.GRID_SINGLE, items=("Production", "Test"), options=options),
        Question("Q99", "Company size", QuestionType.SINGLE, options=("Small",)),
    ]
    responses = pd.DataFrame(
        [(number, question_id, "Production", answer) for number, answer in enumerate(answers)],
        columns=["respondent", "question", "item", "answer"],
    )
    meta = SurveyMeta(
        source=f"{wave}.csv", sha256=sha * 64, respondents=len(answers), layout="test", wave=wave, year=year
    )
    return Survey(questions=questions, responses=responses, meta=meta)


@pytest.fixture
def demo() -> tuple[dict[str, Survey], pd.DataFrame]:
    surveys = {
        "a": _survey("Demo 2018", 2018, "Q13", "Uses containers for:", ["Today"] * 3 + ["Later"] * 1, "a"),
        "b": _survey(
            "Demo 2019",
            2019,
            "Q15",
            "Currently uses, or plans to use, containers for:",
            ["Currently Using"] * 6 + ["Later"] * 4,
            "b",
        ),
        "c": _survey(
            "Demo 2019",
            2019,
            "Q15",
            "Currently uses, or plans to use, containers for:",
            ["Currently Using"] * 6 + ["Later"] * 4,
            "b",
        ),  # the same file again
        "d": _survey("Elsewhere 2019", 2019, "Q1", "Something else", ["Yes"], "d"),
    }
    mapping = pd.DataFrame(
        {
            "wave": ["Demo 2018", "Demo 2019"],
            "question": ["Q13", "Q15"],
            "item": ["Production", "Production"],
            "answer": ["Today", "Currently Using"],
        }
    )
    return surveys, mapping


def test_a_question_is_found_in_a_mapping_by_wave_question_and_grid_row(demo) -> None:
    surveys, mapping = demo
    mappings = {"containers": mapping}
    assert survey_mappings.find_mapping(mappings, surveys["b"], "Q15", "Production") == "containers"
    assert survey_mappings.find_mapping(mappings, surveys["a"], "q13", "production") == "containers"
    assert survey_mappings.find_mapping(mappings, surveys["b"], "Q15", "Test") is None
    assert survey_mappings.find_mapping(mappings, surveys["b"], "Q99", None) is None
    assert survey_mappings.find_mapping(mappings, surveys["d"], "Q15", "Production") is None


def test_a_mapping_without_a_grid_row_names_the_question_whatever_the_row(demo) -> None:
    surveys, mapping = demo
    anyrow = {"containers": mapping.assign(item="")}
    assert survey_mappings.find_mapping(anyrow, surveys["b"], "Q15", "Test") == "containers"


def test_the_mapped_answer_follows_each_waves_wording(demo) -> None:
    surveys, mapping = demo
    trend = survey_mappings.mapped_trend(surveys, mapping, surveys["b"], "Production", "Currently Using")
    assert trend["wave"].tolist() == ["Demo 2018", "Demo 2019"]  # the repeated file counts once
    assert trend["answer"].tolist() == ["Today", "Currently Using"]
    assert list(zip(trend["count"], trend["base"], strict=True)) == [(3, 4), (6, 10)]
    assert trend["change"].iloc[1] == pytest.approx(6 / 10 - 3 / 4)
    assert pd.isna(trend["p_value"].iloc[0]) and 0 < trend["p_value"].iloc[1] < 1


def test_another_answer_is_compared_where_its_wording_is_offered(demo) -> None:
    surveys, mapping = demo
    trend = survey_mappings.mapped_trend(surveys, mapping, surveys["a"], "Production", "Later")
    assert list(zip(trend["wave"], trend["count"], trend["base"], strict=True)) == [
        ("Demo 2018", 1, 4),
        ("Demo 2019", 4, 10),
    ]
    assert survey_mappings.mapped_trend(surveys, mapping, surveys["a"], "Production", "Never").empty


@pytest.fixture(scope="module")
def cncf(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Survey]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADOPTION_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return {wave: load_survey(CNCF / name) for wave, name in WAVES.items()}


def _cli_trend(mapping: Path, capsys: pytest.CaptureFixture) -> pd.DataFrame:
    assert (
        main(["trend", *(str(CNCF / name) for name in WAVES.values()), "--mapping", str(mapping), "--format", "csv"])
        == 0
    )
    from io import StringIO

    return pd.read_csv(StringIO(capsys.readouterr().out))


@pytest.mark.parametrize(
    ("name", "question", "item", "answer", "percents"),
    [
        ("cncf-containers-in-production", "Q16", "Production", "Currently Using", ["73%", "84%", "92%"]),
        ("cncf-kubernetes-in-production", "Q12", "Kubernetes", "Using in production", ["58%", "78%", "83%"]),
    ],
)
def test_shipped_mappings_match_the_trend_command(
    cncf, capsys, monkeypatch, tmp_path, name, question, item, answer, percents
) -> None:
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(tmp_path))
    mappings = survey_mappings.read_mappings()
    latest = cncf["1H 2020"]
    assert survey_mappings.find_mapping(mappings, latest, question, item) == name
    trend = survey_mappings.mapped_trend(cncf, mappings[name], latest, item, answer)
    expected = _cli_trend(settings.MAPPINGS_DIR / f"{name}.csv", capsys)
    assert trend["year"].tolist() == [2018, 2019, 2020]
    assert trend["count"].tolist() == expected["count"].tolist()
    assert trend["base"].tolist() == expected["base"].tolist()
    assert trend["p_value"].iloc[1:].tolist() == pytest.approx(expected["p_value"].iloc[1:].tolist())
    assert [f"{share:.0%}" for share in trend["share"]] == percents


@pytest.mark.parametrize(
    ("name", "answer"), [("cncf-container-challenges", "Security"), ("cncf-code-check-ins", "Multiple times a day")]
)
def test_other_shipped_mappings_reach_all_three_waves(cncf, name, answer) -> None:
    mappings = survey_mappings.read_mappings()
    row = mapping_row(cncf["2018"], mappings[name])
    assert survey_mappings.find_mapping(mappings, cncf["2018"], row["question"], None) == name
    trend = survey_mappings.mapped_trend(cncf, mappings[name], cncf["2018"], None, answer)
    assert trend["year"].tolist() == [2018, 2019, 2020]
    assert (trend["answer"] == answer).all()
    # The wording changed between waves, so matching identical text alone could not find all three.
    texts = {
        " ".join(cncf[wave].question(qid).text.split()) for wave, qid in zip(WAVES, trend["question"], strict=True)
    }
    assert len(texts) > 1


def test_overview_headlines_agree_with_the_mappings(cncf) -> None:
    from analysis.surveys import headlines as survey_headlines

    table = survey_headlines.survey_headlines(cncf)
    mappings = survey_mappings.read_mappings()
    for topic, name, item, answer in (
        ("Containers in production", "cncf-containers-in-production", "Production", "Currently Using"),
        ("Kubernetes in production", "cncf-kubernetes-in-production", "Kubernetes", "Using in production"),
    ):
        cards = table[table["topic"] == topic]
        trend = survey_mappings.mapped_trend(cncf, mappings[name], cncf["1H 2020"], item, answer)
        assert cards["count"].tolist() == trend["count"].tolist()
        assert cards["base"].tolist() == trend["base"].tolist()
