"""The Technologies page: the same figures and sentence as `python -m analysis technology`, on the bundled data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = "app_pages/technologies.py"
ROOT = Path(__file__).resolve().parents[2]


def _cli_json(name: str, db: Path) -> dict:
    command = [sys.executable, "-m", "analysis", "technology", name, "--format", "json", "--db", str(db)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_page_shows_the_command_s_sentence_and_missing_parts(app: AppTest, store_copy: Path) -> None:
    app.switch_page(PAGE)
    app.query_params["technology"] = ["falco", "kubernetes"]
    app.run()
    assert not app.exception
    sentences = [block.value for block in app.code if block.value.startswith("In the ")]
    falco, kubernetes = _cli_json("falco", store_copy), _cli_json("kubernetes", store_copy)
    assert sentences == [falco["sentence"], kubernetes["sentence"]]
    assert "its images are absent from the pull history" in kubernetes["sentence"]
    warnings = " ".join(warning.value for warning in app.warning)
    assert "bitnami/kubectl" in warnings and "codes without labels" in warnings
    assert app.multiselect[0].value == ["falco", "kubernetes"]


def test_page_chart_has_two_panels_on_one_time_axis(app: AppTest) -> None:
    app.switch_page(PAGE)
    app.query_params["technology"] = "falco"
    app.run()
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    layout = figure["layout"]
    assert layout["xaxis"].get("matches") == "x2" or layout["xaxis2"].get("matches") == "x"
    rows = {trace.get("yaxis", "y") for trace in figure["data"]}
    assert rows == {"y", "y2"}


def test_an_unknown_technology_in_the_link_is_ignored_with_a_notice(app: AppTest) -> None:
    app.switch_page(PAGE)
    app.query_params["technology"] = ["<script>alert(1)</script>", "helm"]
    app.run()
    assert not app.exception
    assert app.multiselect[0].value == ["helm"]
    assert any("technology parameter" in toast.value for toast in app.toast)
    assert all("<script>" not in toast.value for toast in app.toast)


def test_the_page_offers_its_chart_to_the_deck_as_the_command_s_view(app: AppTest) -> None:
    app.switch_page(PAGE)
    app.query_params["technology"] = ["istio"]
    app.run()
    app.button(key="deck-add-technology-istio").click().run()
    assert app.session_state["_deck"] == ["technologies?technology=istio&chart=evidence"]
