"""One technology's evidence on the bundled data: survey share per wave, pulls per week, catalog floors, sentence."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import InvalidInput, QuestionNotFound
from analysis.surveys.trend import read_mapping
from analysis.technology.evidence import technology_evidence
from analysis.technology.recipes import RECIPES_FILE, find_recipe, read_recipes
from settings import MAPPINGS_DIR

SHIPPED = {"docker", "kubernetes", "prometheus", "envoy", "containerd", "helm", "falco", "linkerd", "istio"}


def test_the_bundled_recipes_cover_the_technologies_the_issue_names() -> None:
    recipes = read_recipes()
    assert set(recipes) == SHIPPED
    assert find_recipe(recipes, "Docker and containers").technology == "docker"
    with pytest.raises(QuestionNotFound, match="known: docker"):
        find_recipe(recipes, "kafka")


@pytest.mark.parametrize(
    ("technology", "mapping"),
    [("docker", "cncf-containers-in-production"), ("kubernetes", "cncf-kubernetes-in-production")],
)
def test_a_recipe_follows_the_shipped_wording_mapping_where_there_is_one(technology: str, mapping: str) -> None:
    shipped = read_mapping(MAPPINGS_DIR / f"{mapping}.csv")
    recipe = read_recipes()[technology].mapping()
    joined = recipe.merge(shipped, on="wave", suffixes=("", "_shipped"))
    assert len(joined) == len(shipped)  # every wave the mapping names is in the recipe
    for column in ("question", "item", "answer"):
        assert (joined[column] == joined[f"{column}_shipped"]).all(), column


def test_falco_answers_from_the_bundled_data_alone(bundled_surveys: dict, store) -> None:
    evidence = technology_evidence(read_recipes()["falco"], bundled_surveys, store)
    shares = evidence.shares.set_index("year")
    # 2019, Q12 (sandbox projects grid), row Falco: 26 of the 328 who answered the row chose "Using in Production".
    assert (shares.loc[2019, "question"], shares.loc[2019, "count"], shares.loc[2019, "base"]) == ("Q12", 26, 328)
    assert shares.loc[2019, "share"] == pytest.approx(26 / 328)
    assert shares.loc[2019, "ci_low"] < 26 / 328 < shares.loc[2019, "ci_high"]
    assert shares.loc[2020, "break"].startswith("1H 2020 lets a respondent tick both")
    assert "falcosecurity/falco" in evidence.images and not evidence.weeks.empty
    partial = evidence.weeks[evidence.weeks["partial"]]
    assert (partial["days"] < partial["days_in_period"]).all() and len(partial) >= 1
    assert set(evidence.growth["window"]) == {"30d", "90d"}
    assert ["catalog" in reason for reason in evidence.missing] == [False] * len(evidence.missing)
    # Catalog counts stay ranges: a "10M+" bucket is 10,000,000 up to 49,999,999, never exact.
    bucket = evidence.catalog[evidence.catalog["pull_text"] == "10M+"].iloc[0]
    assert (bucket["pull_low"], bucket["pull_high"], bucket["exact"]) == (10_000_000, 49_999_999, False)


def test_the_sentence_names_both_sources_with_their_own_dates(bundled_surveys: dict, store) -> None:
    evidence = technology_evidence(read_recipes()["falco"], bundled_surveys, store)
    sentence = evidence.sentence
    assert sentence.startswith("In the CNCF Cloud Native Survey 1H 2020 (fielded 2020), 2.7% (95% CI 1.9%–3.9%)")
    assert "of the 1,065 respondents who answered" in sentence
    last_whole = evidence.weeks[~evidence.weeks["partial"]].iloc[-1]
    week = pd.Timestamp(last_whole["period"]).date().isoformat()
    assert f"pulled {int(last_whole['pulls']):,} times in the week of {week}" in sentence
    assert "Docker Hub pull counts" in sentence and f"as of {evidence.pulls_as_of()}" in sentence
    assert "The survey waves (2019–2020) and the pull history (2019–2026) cover different periods." in sentence


def test_kubernetes_answers_from_surveys_and_says_its_images_are_absent(bundled_surveys: dict, store) -> None:
    evidence = technology_evidence(read_recipes()["kubernetes"], bundled_surveys, store)
    assert list(evidence.shares["year"]) == [2018, 2019, 2020, 2021]  # 2021: published tables, Part 1
    assert evidence.weeks.empty and evidence.growth.empty
    assert "its images are absent from the pull history" in evidence.sentence
    # The catalog's "1B+" is a floor, and said as one.
    assert list(evidence.catalog["pull_text"]) == ["1B+"]
    assert "at least 1,000,000,000 pulls" in evidence.sentence and "a floor" in evidence.sentence
    assert "pulls: the snapshot history holds no image bitnami/kubectl" in evidence.missing
    assert any("2022" in reason and "codes without labels" in reason for reason in evidence.missing)


def test_a_recipe_the_loaded_data_cannot_answer_says_which_part_is_missing(
    bundled_surveys: dict, store, recipes_file
) -> None:
    path = recipes_file(
        "falco,Falco,survey,CNCF Cloud Native Survey 2019,Q12,Falco,Using in Production,,,",
        "falco,Falco,survey,CNCF Cloud Native Survey 2031,Q1,Falco,Using in production,,,",
        "falco,Falco,survey,CNCF Cloud Native Survey 1H 2020,Q13,Falco,Running it happily,,,",
        "falco,Falco,images,,,,,nobody/nothing,,",
    )
    evidence = technology_evidence(read_recipes(path)["falco"], bundled_surveys, store)
    assert list(evidence.shares["year"]) == [2019]  # only the wave that answers: never a share of 0
    missing = " | ".join(evidence.missing)
    assert "survey wave 'CNCF Cloud Native Survey 2031' is not among the loaded surveys" in missing
    assert "no answer 'Running it happily'" in missing
    assert "pulls: the snapshot history holds no image nobody/nothing" in missing
    assert "catalog: the snapshot of 2024-08-17..2024-08-20 lists none of nobody/nothing" in missing
    assert "its images are absent from the pull history and from the catalog snapshot" in evidence.sentence


def test_a_technology_with_no_image_says_so(bundled_surveys: dict, store) -> None:
    evidence = technology_evidence(read_recipes()["containerd"], bundled_surveys, store)
    assert any(reason.startswith("Docker Hub: the recipe names no image (containerd ships as binaries") for reason in
               evidence.missing)  # fmt: skip


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("falco,Falco,images,,,,,Falco Security/*,,", "'Falco' is not an image"),
        ("falco,Falco,grid,,,,,,,", "part must be one of survey, images"),
        ("Falco <b>,Falco,images,,,,,falcosecurity/*,,", "technology must be a short lower-case name"),
        ("falco,Falco,survey,,Q12,Falco,Using,,,", "a survey row needs a wave and a question_id"),
    ],
)
def test_a_row_that_is_not_a_recipe_is_refused_with_its_line(recipes_file, row: str, words: str) -> None:
    path = recipes_file("falco,Falco,images,,,,,falcosecurity/*,,", row)
    with pytest.raises(InvalidInput, match=f"line 3: {words}"):
        read_recipes(path)


def test_the_bundled_recipes_file_is_where_the_docs_say() -> None:
    assert RECIPES_FILE.name == "technologies.csv" and RECIPES_FILE.parent.name == "data"
