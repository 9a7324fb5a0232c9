"""The Surveys page's crosstab letters table and weighting panel, checked against the commands they show."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.dashboard import test_dashboard_survey_numbers as numbers
from tests.dashboard.test_dashboard_survey_numbers import _commands, _surveys

run = numbers.run  # the fixture that runs a shown command in this process

SHA_2019 = "6a5e9d88b000"


def _open_2019_production_by_size(app: AppTest) -> AppTest:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    at.selectbox(key="survey_question").set_value("Q15").run()
    at.selectbox(key="survey_item").set_value("Production").run()
    at.selectbox(key="survey_by").set_value("Q1").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_letters_table_under_the_crosstab_is_what_the_command_prints(app: AppTest, run) -> None:
    at = _open_2019_production_by_size(app)
    shown = next(frame.value for frame in at.dataframe if "letters" in frame.value.columns)
    assert list(shown.columns) == ["segment", "column", "answer", "share", "count", "base", "letters", "vs rest"]
    # Shown as the growth table is: shares in percent, one decimal in every row (not "4.4%" beside "18.68%").
    config = next(element for element in at.dataframe if "letters" in element.value.columns).proto.columns
    assert '"%.1f%%"' in config and "Letters (higher than)" in config
    legend = next(caption.value for caption in at.caption if caption.value.startswith("Columns"))
    assert "A \\= Asia" in legend or "A = Asia" in legend
    command = next(command for command in _commands(at, "breakdown") if "--by Q1" in command)
    printed = pd.read_csv(io.StringIO(run(command)), keep_default_na=False)
    assert shown["share"].tolist() == (printed["share"] * 100).round(1).tolist()
    assert shown["count"].tolist() == printed["count"].tolist()
    small = printed["small_base"].astype(str) == "True"
    assert shown["letters"][small.to_numpy()].eq("small base: not tested").all()
    assert shown["letters"][~small.to_numpy()].tolist() == printed["letters"][~small].tolist()
    assert shown["letters"].str.fullmatch("[A-Za-z]+").any()  # Asia's production share is lower than others'


def test_weighting_panel_weights_every_figure_and_its_commands_reproduce_them(
    app: AppTest, run, tmp_path: Path
) -> None:
    at = _open_2019_production_by_size(app)
    at.multiselect(key=f"rake-questions-{SHA_2019}").set_value(["Q2"]).run()
    at.toggle(key=f"rake-on-{SHA_2019}").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(caption.value for caption in at.caption).replace("\\", "")  # Markdown escapes
    assert "Raked to Q2" in captions
    # The base note, with its weighting, is inside the bar chart (once), not under it.
    bars = next(element.proto.spec for element in at.get("plotly_chart") if "effective n=" in element.proto.spec)
    notes = " ".join(note.get("text", "") for note in json.loads(bars)["layout"].get("annotations", []))
    assert "weighted (raked to Q2), effective n=" in notes.replace("<br>", " ")
    sentence = next(code.value for code in at.code if not code.value.startswith("python -m analysis"))
    assert "weighted (raked to Q2), effective n=" in sentence
    margins = next(frame.value for frame in at.dataframe if "weighted_share" in frame.value.columns)
    targets = tmp_path / "targets-Q2.csv"
    pd.DataFrame({"answer": margins["answer"], "target": margins["target"] * 100}).to_csv(targets, index=False)
    weights = tmp_path / "weights.csv"
    (weigh,) = _commands(at, "weight")
    run(weigh.replace("Q2=targets-Q2.csv", f"Q2={targets}").replace("--output weights.csv", f"--output {weights}"))
    (answer,) = _commands(at, "answer")
    assert "--weight weights.csv" in answer
    assert run(answer.replace("--weight weights.csv", f"--weight {weights}")).strip() == sentence
