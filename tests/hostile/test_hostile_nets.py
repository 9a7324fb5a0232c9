"""Hostile net names (markup, formulas, control characters, very long) through every door a net passes."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from analysis.__main__ import main
from analysis.errors import InvalidInput
from analysis.surveys.nets import MAX_NET_CHARS, parse_net
from dashboard import charts
from dashboard.markup import literal
from tests.hostile.hostile_helpers import as_shown, stray_tags

ROOT = Path(__file__).resolve().parents[2]
CNCF_2019 = ROOT / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_2019.csv"
SURVEYS = "app_pages/surveys.py"
ANSWERS = "Public Cloud|Hybrid Cloud (i.e. both)"
NAMES = [
    '<a href="https://evil.example">Cloud</a>',
    "[Session expired: sign in](https://evil.example/login)",
    "<img src=x onerror=alert(1)>",
    "@SUM(1+1)*cmd",
    "Cloud " * 60,
]


def _specs(at: AppTest) -> list[dict]:
    return [_decode(json.loads(element.proto.spec)) for element in at.get("plotly_chart")]


def _decode(value: object) -> object:
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


@pytest.mark.parametrize("name", NAMES[:3] + NAMES[4:])
def test_a_hostile_net_name_in_a_link_is_text_in_the_chart_and_never_markup(app: AppTest, name: str) -> None:
    app.query_params.update({"survey": "Cloud_Native_Survey_2019", "q": "Q9", "net": f"{name}={ANSWERS}"})
    app.query_params["by"] = "Q2"
    app.run()
    app.switch_page(SURVEYS).run()
    assert not app.exception, [e.value for e in app.exception]
    specs = _specs(app)
    assert specs and all(stray_tags(spec) == [] for spec in specs)
    labels = [str(label) for label in specs[0]["data"][0]["y"]]
    folded = parse_net(f"{name}={ANSWERS}").name  # a name ends at its first "=" (the link's format)
    assert any(label.replace("<br>", " ").startswith(charts.escape(f"net: {folded}")[:40]) for label in labels), labels
    for markdown in [*(w.value for w in app.warning), *(c.value for c in app.caption), *(i.value for i in app.info)]:
        assert "https://evil.example" not in as_shown(markdown) or "](" not in as_shown(markdown)


def test_a_net_name_longer_than_the_box_from_a_link_is_cut_to_the_box(app: AppTest) -> None:
    app.query_params.update({"survey": "Cloud_Native_Survey_2019", "q": "Q9", "net": f"{'N' * 500}={ANSWERS}"})
    app.run()
    app.switch_page(SURVEYS).run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.text_input(key="survey_net_name").value) <= 80


def test_a_net_longer_than_the_limit_is_refused_in_one_line() -> None:
    with pytest.raises(InvalidInput, match="longer than"):
        parse_net("x" * MAX_NET_CHARS + "=a")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_net_text_is_read_or_refused_in_one_line(text: str) -> None:
    try:
        net = parse_net(text)
    except InvalidInput as error:
        assert "\n" not in str(error)
        return
    assert net.name and net.answers and "\n" not in net.label
    shown = literal(net.label)
    assert "<" not in shown.replace("&lt;", "") or shown == net.label  # literal escapes what Markdown would read


def test_a_formula_net_name_stays_text_in_the_csv_and_the_deck(tmp_path: Path, capsys) -> None:
    name = NAMES[3]
    assert main(["breakdown", str(CNCF_2019), "-q", "Q9", "--net", f"{name}={ANSWERS}", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "\nnet: @SUM(1+1)*cmd," in out  # the label starts with "net: ", so no cell starts with "@"
    deck = tmp_path / "nets.pptx"
    view = "surveys?survey=Cloud_Native_Survey_2019&q=Q9"
    assert main(["deck", view, "--net", f"{name}={ANSWERS}", "-o", str(deck)]) == 0
    chart = next(shape.chart for shape in Presentation(str(deck)).slides[0].shapes if shape.has_chart)
    categories = list(chart.plots[0].categories)
    assert categories[-1] == f"net: {name}"
    workbook = chart.part.chart_workbook.xlsx_part.blob
    assert b"<f>" not in io.BytesIO(workbook).getvalue()  # held as text, not a formula cell


def test_control_characters_in_a_net_name_never_reach_the_terminal(capsys) -> None:
    assert main(["answer", str(CNCF_2019), "-q", "Q9", "-a", "x\x1b[2J", "--net", f"x\x1b[2J={ANSWERS}"]) == 0
    out = capsys.readouterr().out
    assert "(net: x" in out and "\x1b" not in out
