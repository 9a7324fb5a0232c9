"""The Surveys page's net builder: a net's bar, quote, letters and link, through AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

SURVEYS = "app_pages/surveys.py"
CLOUD = ["Public Cloud", "Hybrid Cloud (i.e. both)"]


def _q9(app: AppTest) -> AppTest:
    app.run()
    app.switch_page(SURVEYS).run()
    app.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    app.selectbox(key="survey_question").set_value("Q9").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_net_built_on_the_page_gets_its_bar_quote_and_link(app: AppTest, charts_of) -> None:
    at = _q9(app)
    at.text_input(key="survey_net_name").set_value("Cloud").run()
    at.multiselect(key="survey_net_answers").set_value(CLOUD).run()
    assert not at.exception, [e.value for e in at.exception]
    bars = charts_of(at)[0]["data"][0]
    assert "net: Cloud" in list(bars["y"])
    share = dict(zip(bars["y"], bars["x"], strict=True))["net: Cloud"]
    assert share == 1133 / 1337  # counted once per respondent, not 831 + 505
    at.selectbox(key="survey_answer").set_value("net: Cloud").run()
    quote = next(code.value for code in at.code if not code.value.startswith("python -m analysis"))
    assert 'chose any of "Public Cloud", "Hybrid Cloud (i.e. both)" (net: Cloud)' in quote
    commands = [code.value for code in at.code if code.value.startswith("python -m analysis")]
    assert any("--net 'Cloud=Public Cloud|Hybrid Cloud (i.e. both)'" in command for command in commands)
    assert at.query_params["net"] == "Cloud=Public Cloud|Hybrid Cloud (i.e. both)"


def test_a_link_with_a_net_opens_it_and_the_crosstab_tests_it(app: AppTest, charts_of) -> None:
    app.query_params["survey"] = "Cloud_Native_Survey_2019"
    app.query_params["q"] = "Q9"
    app.query_params["net"] = "Cloud=Public Cloud|Hybrid Cloud (i.e. both)"
    app.query_params["by"] = "Q2"
    app.run()
    app.switch_page(SURVEYS).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.text_input(key="survey_net_name").value == "Cloud"
    letters = next(table.value for table in app.dataframe if "letters" in table.value.columns)
    nets = letters[letters["answer"] == "net: Cloud"]
    assert len(nets) == 1 + 7 and nets[nets["segment"] == "10-49"]["letters"].iloc[0] == "f"
