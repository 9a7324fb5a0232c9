"""Inputs that used to change numbers with no word: each is now refused in one line, or said exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from analysis.errors import InvalidInput
from analysis.surveys.shares import breakdown
from analysis.surveys.trend import read_mapping, wave_questions
from analysis.surveys.weighting import rake, read_targets
from analysis.surveys.weights_file import RakedWeights
from collectors.catalog.listing import list_namespace
from collectors.catalog.search import SHAPES, search_catalog
from collectors.dockerhub.api import DockerHubError, HubClient
from collectors.dockerhub.http import RetrySettings
from collectors.dockerhub.listing import fetch_namespace
from collectors.history.read import read_history
from collectors.snapshot_check import check_name_part
from tests.survey_stats.literal_survey import build_survey, hand_survey


@pytest.fixture
def hub():
    """The API host on loopback."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.no_handler_status_code = 404
    server.start()
    yield server
    server.stop()


def _client(hub: HTTPServer) -> HubClient:
    return HubClient(hub.url_for("").rstrip("/"), timeout=5, retry=RetrySettings(retries=0))


def test_an_answer_given_two_targets_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text("answer,target\nYes,30\nNo,40\nyes ,30\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"'Yes' has more than one target \(lines 2, 4\)"):
        read_targets(path)


def test_a_wave_given_two_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    path.write_text("wave,question_id\n2019,Q1\n2020,Q2\n2019,Q3\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"wave '2019' has more than one row \(lines 2, 4\)"):
        read_mapping(path)


def test_a_survey_matched_by_two_rows_is_refused() -> None:
    survey = hand_survey()
    mapping = pd.DataFrame({"wave": ["2019", survey.meta.wave], "question": ["Q1", "Q4"], "item": "", "answer": ""})
    with pytest.raises(InvalidInput, match="2 rows for it"):
        wave_questions([survey], None, None, mapping)


def test_a_mapping_that_names_none_of_the_surveys_is_refused() -> None:
    survey = hand_survey()
    mapping = pd.DataFrame({"wave": ["2017", "2018"], "question": ["Q4", "Q4"], "item": "", "answer": ""})
    with pytest.raises(InvalidInput, match="names the waves 2017, 2018; none of them is a survey given"):
        wave_questions([survey], "Q1", None, mapping)
    chosen = wave_questions([survey], "Q1", None, mapping.assign(wave=["2019", "2018"]))
    assert chosen[0].question_id == "Q4"  # a mapping that names the wave is followed


def _raked():
    survey = hand_survey()
    answers = set(survey.answers("Q1")["answer"])
    targets = pd.DataFrame({"answer": sorted(answers), "target": [1.0] * len(answers)})
    return survey, rake(survey, {"Q1": targets}).weights


def test_weights_missing_respondents_who_answered_every_target_are_refused() -> None:
    survey, raked = _raked()
    assert breakdown(survey, "Q2", weight=raked)["share"].notna().all()  # the whole raking is used as it is
    half = RakedWeights(raked.weights.iloc[: len(raked.weights) // 2], raked.raked_to, raked.sha256, "w.csv")
    with pytest.raises(InvalidInput, match=r"leave out \d+ respondent\(s\) who answered every question raked to"):
        breakdown(survey, "Q2", weight=half)


def test_weights_leaving_out_who_missed_a_target_are_used() -> None:
    rows = [(0, "Q1", "", "Small"), (1, "Q1", "", "Large"), (0, "Q4", "", "<50"), (1, "Q4", "", "50+")]
    survey = build_survey(rows + [(2, "Q4", "", "<50")], 3)
    weights = RakedWeights(pd.Series([1.0, 1.0], index=np.array([0, 1])), ("Q1",), survey.meta.sha256)
    assert breakdown(survey, "Q4", weight=weights)["share"].tolist() == pytest.approx([0.5, 0.5])


def test_docker_hub_names_are_one_image_whatever_their_case(tmp_path: Path) -> None:
    assert check_name_part("NGINX") == "nginx" and check_name_part("My-App") == "my-app"
    path = tmp_path / "wide.csv"
    path.write_text("date,Library/NGINX,library/nginx\n2024-01-01,5,5\n", encoding="utf-8")
    history = read_history(path)
    assert {(r["namespace"], r["name"]) for r in history.records} == {("library", "nginx")}
    assert history.notes == ["1 repeated date(s): the last row of each date was kept"]


def _listing(hub: HTTPServer, pages: list[list[dict]]) -> None:
    def page(request: Request) -> Response:
        number = int(request.args.get("page", "1"))
        more = hub.url_for(f"/v2/namespaces/acme/repositories?page={number + 1}") if number < len(pages) else None
        body = {"count": sum(map(len, pages)), "next": more, "results": pages[number - 1]}
        return Response(json.dumps(body), content_type="application/json")

    hub.expect_request("/v2/namespaces/acme/repositories").respond_with_handler(page)


def _repo(name: str, count: int) -> dict:
    return {"namespace": "acme", "name": name, "pull_count": count}


def test_a_repository_on_two_listing_pages_keeps_its_first_count_in_collector_and_catalog(hub) -> None:
    _listing(hub, [[_repo("tool", 200), _repo("app", 5)], [_repo("tool", 999_999), _repo("app", 5)]])
    for read in (lambda said: fetch_namespace(_client(hub), "acme", said),
                 lambda said: list_namespace(_client(hub), "acme", None, said)):  # fmt: skip
        said: list[tuple[str, str]] = []
        records = list(read(lambda label, why, said=said: said.append((label, why))))
        assert [(r["name"], r["pull_count"]) for r in records] == [("tool", 200), ("app", 5)]
        reason = "listed again at entry 3 with pull count 999,999; the first entry's 200 was kept"
        assert said == [("acme/tool", reason)]


def test_a_search_that_serves_the_same_page_again_is_stopped(hub) -> None:
    results = [{"name": f"acme/tool{n}", "pull_count": 1000 - n, "badge": "none"} for n in range(100)]
    hub.expect_request("/api/search/v4").respond_with_json({"total": 10**6, "results": results})
    pages = []
    with pytest.raises(DockerHubError, match="repeats an earlier page"):
        pages.extend(search_catalog(_client(hub), SHAPES["v4"], 3_000))
    assert len(pages) == 1 and len(hub.log) == 2
