"""The Surveys and Upload pages on the embedded CNCF surveys, through AppTest."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.hostile.hostile_helpers import as_shown

SURVEYS = "app_pages/surveys.py"
UPLOAD = "app_pages/upload.py"
SMALL_SURVEY = (
    "Respondent ID,Do you run containers in production?,Company size\n"
    + "".join(f"{i},{'Yes' if i % 4 else 'No'},{'Small' if i % 2 else 'Large'}\n" for i in range(1, 41))
).encode()


def _quote(at: AppTest) -> str:
    """The quotable sentence shown (the other code blocks are the commands that reproduce each figure)."""
    return next(code.value for code in at.code if not code.value.startswith("python -m analysis"))


def _commands(at: AppTest) -> list[str]:
    return [code.value for code in at.code if code.value.startswith("python -m analysis")]


def _surveys(app: AppTest) -> AppTest:
    app.run()
    app.switch_page(SURVEYS).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_search_for_production_finds_it_in_every_cncf_year(app: AppTest) -> None:
    at = _surveys(app)
    at.text_input(key="survey_search").set_value("production").run()
    matches = at.selectbox(key="survey_match").options
    for survey in ("Cloud_Native_Survey_2018", "Cloud_Native_Survey_2019", "Cloud_Native_Survey_1H_2020"):
        assert any(match.startswith(survey) for match in matches), survey
    assert at.query_params["search"] == "production"


def test_search_for_kubernetes_in_production_opens_the_grid_row(app: AppTest) -> None:
    at = _surveys(app)
    at.text_input(key="survey_search").set_value("Kubernetes, in production").run()
    matches = at.selectbox(key="survey_match").options
    assert len(matches) >= 5
    top = [match.split(" · ")[0] for match in matches[:5]]
    # 2021's published Part 2 asks the same grid of graduated projects (Q7).
    cncf_years = {"Cloud_Native_Survey_2018", "Cloud_Native_Survey_2019", "Cloud_Native_Survey_1H_2020"}
    assert set(top) >= cncf_years | {"Cloud_Native_Survey_2021-Part_2"}
    # Each names the grid row and the answer the search names: "Using in production", not "Evaluating".
    cncf = [match for match in matches[:5] if match.startswith("Cloud_Native_Survey_")]
    assert len(cncf) == 4 and all(re.search(r"— Kubernetes → “Using in production\??”$", m, re.I) for m in cncf)
    # 2022's answers are unlabelled codes: no answer to name, the grid row alone.
    assert all(match.endswith("— Kubernetes") for match in matches[:5] if match not in cncf)
    survey, question = matches[0].split(": ")[0].split(" · ")
    answer = re.search(r"→ “(.*)”$", matches[0]).group(1)
    at.selectbox(key="survey_match").set_value(f"{survey}\x1f{question}\x1fKubernetes\x1f{answer}").run()
    assert not at.exception
    assert at.selectbox(key="survey_key").value == survey
    assert at.selectbox(key="survey_question").value == question
    assert at.selectbox(key="survey_item").value == "Kubernetes"
    assert at.selectbox(key="survey_answer").value == answer
    assert f'chose "{answer}"' in _quote(at)


def test_the_answer_trend_title_names_the_answer_it_shows(app: AppTest, charts_of) -> None:
    at = _surveys(app)
    at.text_input(key="survey_search").set_value("kubernetes in production").run()
    opened = "Cloud_Native_Survey_1H_2020\x1fQ12\x1fKubernetes\x1fUsing in production"
    at.selectbox(key="survey_match").set_value(opened).run()
    assert at.selectbox(key="survey_answer").value == "Using in production"
    titles = [chart["layout"]["title"]["text"].replace("<br>", " ") for chart in charts_of(at)]
    assert "Kubernetes in production: “Using in production”" in titles, titles
    at.selectbox(key="survey_answer").set_value("Evaluating").run()
    titles = [chart["layout"]["title"]["text"].replace("<br>", " ") for chart in charts_of(at)]
    trend = [title for title in titles if "“Evaluating”" in title]
    assert len(trend) == 1, titles
    # Not "“Evaluating”: Kubernetes in production": the mapping's name belongs to another answer.
    assert "in production" not in trend[0].replace("currently using in production", "")
    assert trend[0].startswith("“Evaluating”: Please indicate") and trend[0].endswith("— Kubernetes")


def test_picking_a_question_changes_the_chart_and_the_quote(app: AppTest, charts_of) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    first = charts_of(at)[0]["layout"]["title"]["text"]
    at.selectbox(key="survey_question").set_value("Q2").run()
    assert not at.exception
    assert charts_of(at)[0]["layout"]["title"]["text"] != first
    assert "size of your company" in charts_of(at)[0]["layout"]["title"]["text"]
    at.selectbox(key="survey_answer").set_value(">5000").run()
    quote = _quote(at)
    assert quote.startswith("30% (95% CI 27–32%) of the 1,337 respondents who answered")
    assert "CNCF Cloud Native Survey 2019 (n=1,337" in quote
    notes = " ".join(note["text"] for note in charts_of(at)[0]["layout"]["annotations"])
    assert "Base: 1,337" in notes.replace("<br>", " ")  # in the figure, once (not again in a caption)
    assert at.query_params["q"] == "Q2" and at.query_params["survey"] == "Cloud_Native_Survey_2019"


def test_grid_row_and_base_change_what_is_shown(app: AppTest, charts_of) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    at.selectbox(key="survey_question").set_value("Q15").run()
    at.selectbox(key="survey_item").set_value("Production").run()
    quote = _quote(at)
    assert "(item: Production)" in quote and "of the 1,300 respondents who answered" in quote
    at.radio(key="survey_base").set_value("all").run()
    assert "of all 1,337 respondents" in _quote(at)


def test_crosstab_by_segment_adds_a_chart(app: AppTest, charts_of) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    at.selectbox(key="survey_question").set_value("Q1").run()
    before = len(charts_of(at))
    at.selectbox(key="survey_by").set_value("Q2").run()
    assert not at.exception
    assert len(charts_of(at)) == before + 1
    assert "csv-crosstab-q1-q2" in {button.key for button in at.get("download_button")}


def test_opens_on_containers_in_production_in_the_latest_cncf_survey(app: AppTest) -> None:
    at = _surveys(app)
    # The latest CNCF survey asking it with respondents' answers: 1H 2020 (2021's published tables cannot be
    # crossed, weighted or netted, so they are one pick away, not the first view).
    assert at.selectbox(key="survey_key").value == "Cloud_Native_Survey_1H_2020"
    assert any("Cloud_Native_Survey_2021-Part_1" in option for option in at.selectbox(key="survey_key").options)
    assert at.selectbox(key="survey_item").value.startswith("Production")
    assert "containers for any of the below" in _quote(at)


def test_overview_cards_state_base_interval_source_and_date(app: AppTest) -> None:
    app.run()
    values = {metric.label: metric.value for metric in app.metric}
    assert values["2019"] in ("84%", "78%")
    captions = [caption.value for caption in app.caption]
    assert any("95% interval" in caption for caption in captions)
    assert any("CNCF Cloud Native Survey 2019" in caption for caption in captions)


def test_upload_previews_the_detected_format(app: AppTest) -> None:
    app.run()
    app.switch_page(UPLOAD).run()
    app.file_uploader[0].set_value(("containers.csv", SMALL_SURVEY, "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert {metric.label: metric.value for metric in app.metric}["Respondents"] == "40"
    assert any("Detected format" in caption.value for caption in app.caption)
    next(button for button in app.button if button.label == "Open in Surveys").click().run()
    assert not app.exception
    assert app.title[0].value == "Surveys"
    assert app.selectbox(key="survey_key").value.startswith("upload:")
    assert _quote(app).startswith("75% (95% CI 60–86%) of the 40 respondents")  # 30 of 40 said Yes


def test_upload_of_a_bad_file_says_what_is_wrong_without_rendering_it(app: AppTest) -> None:
    app.run()
    app.switch_page(UPLOAD).run()
    page = b"<html><body><script>alert(1)</script></body></html>"
    app.file_uploader[0].set_value(("survey.csv", page, "text/csv")).run()
    assert not app.exception
    assert any("could not be read" in error.value for error in app.error)
    assert app.code and "survey.csv" in app.code[0].value
    assert not any("<script" in markdown.value for markdown in app.markdown)


def test_upload_over_the_cap_is_refused(app: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("ADOPTION_UPLOAD_MAX_MB", "0.001")
    app.run()
    app.switch_page(UPLOAD).run()
    app.file_uploader[0].set_value(("big.csv", SMALL_SURVEY * 2, "text/csv")).run()
    assert any("over the" in error.value and "ADOPTION_UPLOAD_MAX_MB" in error.value for error in app.error)


def _trend_table(at: AppTest):
    tables = [frame.value for frame in at.table if "p-value" in frame.value.columns]
    assert len(tables) == 1
    return tables[0]


def test_containers_in_production_across_years_follows_the_wording_mapping(app: AppTest, charts_of) -> None:
    at = _surveys(app)
    table = _trend_table(at)
    assert table["wave"].tolist() == [
        "CNCF Cloud Native Survey 2018",
        "CNCF Cloud Native Survey 2019",
        "CNCF Cloud Native Survey 1H 2020",
        "CNCF Cloud Native Survey 2021 Part 1",
        "CNCF Cloud Native Survey 2022",
    ]
    assert table["answer"].tolist()[:4] == ["Today", "Currently Using", "Currently Using", "Currently using"]
    assert table["answer"].iloc[4].startswith("Used for most or all production applications")
    assert table["share"].tolist() == ["73%", "84%", "92%", "64%", "44%"]
    assert table["change"].iloc[0] == "" and table["change"].iloc[1].startswith("+11.")
    assert table["p-value"].tolist()[1:3] == ["<0.001", "<0.001"]
    assert any("cncf-containers-in-production.csv" in as_shown(caption.value) for caption in at.caption)
    # Every wave after 2018 crosses a break: the mapping's reasons are said under the chart.
    breaks = [as_shown(caption.value) for caption in at.caption if as_shown(caption.value).startswith("Break before")]
    assert len(breaks) == 4 and "paid panel" in breaks[-1] and "tables of counts" in breaks[-2]
    trend_chart = charts_of(at)[-1]
    points = next(trace for trace in trend_chart["data"] if "markers" in trace.get("mode", ""))
    assert [round(share, 2) for share in points["y"]] == [0.73, 0.84, 0.92, 0.64, 0.44]
    assert sum(shape.get("line", {}).get("dash") == "dash" for shape in trend_chart["layout"]["shapes"]) == 4


def test_kubernetes_in_production_across_years_from_2019(app: AppTest) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    at.selectbox(key="survey_question").set_value("Q10").run()
    at.selectbox(key="survey_item").set_value("Kubernetes").run()
    at.selectbox(key="survey_answer").set_value("Using in Production").run()
    assert not at.exception
    table = _trend_table(at)
    # 2021 asked "Are you using Kubernetes?" (Part 1, Q16): the mapping names it, with its break.
    assert table["share"].tolist() == ["58%", "78%", "83%", "60%"]
    assert table["question"].tolist() == ["Q11", "Q10", "Q12", "Q16"]
    assert any("Are you using Kubernetes?" in as_shown(caption.value) for caption in at.caption)


def test_a_question_in_no_mapping_falls_back_to_identical_wording(app: AppTest) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    at.selectbox(key="survey_question").set_value("Q1").run()
    assert not at.exception
    table = _trend_table(at)
    assert len(table) >= 2 and len(set(table["question"])) == 1  # Q1 in every year, same wording
    assert any("identical question wording" in caption.value for caption in at.caption)


def _stack_overflow_upload(rows: int = 120) -> tuple[bytes, bytes]:
    folder = Path(__file__).resolve().parents[2] / "data" / "surveys" / "stackoverflow_2025"
    lines = (folder / "survey_results_public.csv").read_bytes().splitlines(keepends=True)
    return b"".join(lines[: rows + 1]), (folder / "survey_results_schema.csv").read_bytes()


def _question_text(app: AppTest, question_id: str) -> str:
    questions = next(frame.value for frame in app.dataframe if "grid_rows" in frame.value.columns)
    return str(questions.set_index("id").loc[question_id, "text"])


def test_stack_overflow_upload_with_its_schema_takes_the_schemas_question_texts(app: AppTest) -> None:
    survey, schema = _stack_overflow_upload()
    app.run()
    app.switch_page(UPLOAD).run()
    # The schema is told apart by its qname column, whatever its name and order.
    app.file_uploader[0].set_value([("questions.csv", schema, "text/csv"), ("so.csv", survey, "text/csv")]).run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Detected format" in caption.value and "stackoverflow" in caption.value for caption in app.caption)
    assert _question_text(app, "MainBranch").startswith("Are you someone who writes code?")
    assert not any("no schema file" in code.value for code in app.code)


def test_stack_overflow_upload_without_its_schema_says_so(app: AppTest) -> None:
    survey, _ = _stack_overflow_upload()
    app.run()
    app.switch_page(UPLOAD).run()
    app.file_uploader[0].set_value(("so-alone.csv", survey, "text/csv")).run()
    assert _question_text(app, "MainBranch") == "Main branch"  # the column name, no schema text
    assert any("no schema file" in code.value for code in app.code)


def test_two_surveys_in_one_upload_are_refused(app: AppTest) -> None:
    app.run()
    app.switch_page(UPLOAD).run()
    app.file_uploader[0].set_value([("a.csv", SMALL_SURVEY, "text/csv"), ("b.csv", SMALL_SURVEY, "text/csv")]).run()
    assert any("cannot tell the survey from its schema" in error.value for error in app.error)


def test_published_tables_are_shown_and_a_crosstab_is_refused_in_one_message(app: AppTest, charts_of) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2021-Part_1").run()
    at.selectbox(key="survey_question").set_value("Q16").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _quote(at).startswith(
        '60% (95% CI 58–62%) of the 2,165 respondents who answered "Are you using Kubernetes?"'
    )
    assert any("cannot be raked" in caption.value for caption in at.caption)
    before = len(charts_of(at))
    at.selectbox(key="survey_by").set_value("Q3").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    assert "published tables hold counts, not respondents; a banner" in as_shown(at.error[0].value)
    assert len(charts_of(at)) == before


def test_upload_of_a_published_workbook_previews_its_counts(app: AppTest) -> None:
    app.run()
    app.switch_page(UPLOAD).run()
    data = Path(__file__).resolve().parents[2] / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_2021-Part_2.xlsx"
    app.file_uploader[0].set_value(("part2.xlsx", data.read_bytes(), "application/octet-stream")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert {metric.label: metric.value for metric in app.metric}["Respondents"] == "1,527"
    assert any("published_tables" in as_shown(caption.value) for caption in app.caption)


def test_overview_shows_2021_in_both_trends_with_their_breaks(app: AppTest, charts_of) -> None:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    cards = [(metric.label, metric.value) for metric in app.metric]
    assert ("2021", "64%") in cards and ("2021", "60%") in cards  # containers (Q13), Kubernetes (Q16), Part 1
    captions = [as_shown(caption.value) for caption in app.caption]
    assert any(
        c.startswith('Break before CNCF Cloud Native Survey 2021 Part 1: 2021 asked "Are you using') for c in captions
    )
    assert any(c.startswith("Break before CNCF Cloud Native Survey 2022:") and "paid panel" in c for c in captions)
    marked = [
        spec
        for spec in charts_of(app)
        if any(note.get("text") == "break" for note in spec["layout"].get("annotations", []))
    ]
    assert len(marked) == 2
    hovers = [text for spec in marked for trace in spec["data"] for text in trace.get("hovertext") or []]
    assert any("Break before this wave: 2021 asked" in text for text in hovers)
