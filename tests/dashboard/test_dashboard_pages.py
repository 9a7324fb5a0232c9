"""Each page through AppTest: it renders real data without an exception, and widgets change what is shown."""

from __future__ import annotations

import numpy as np
from streamlit.testing.v1 import AppTest

PULLS = "app_pages/pulls.py"


def _open(at: AppTest, page: str) -> AppTest:
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_opens_on_charted_pull_counts(app: AppTest, charts_of) -> None:
    app.run()
    assert not app.exception
    assert app.title[0].value == "Adoption at a glance"
    labels = [metric.label for metric in app.metric]
    assert "Biggest stored image: falcosecurity/falco" in labels
    figures = charts_of(app)
    names = {trace["name"] for trace in figures[0]["data"]}
    assert "falcosecurity/falco" in names
    falco = next(trace for trace in figures[0]["data"] if trace["name"] == "falcosecurity/falco")
    assert np.nanmax(np.asarray(falco["y"], dtype=float)) == 73_777_471


def test_every_page_renders_without_exception(app: AppTest) -> None:
    app.run()
    for page in (PULLS, "app_pages/surveys.py", "app_pages/upload.py", "app_pages/overview.py"):
        app.switch_page(page).run()
        assert not app.exception, (page, [e.value for e in app.exception])
        assert app.title, page


def test_pulls_measure_changes_the_chart(app: AppTest, charts_of) -> None:
    at = _open(app, PULLS)
    before = charts_of(at)[0]
    assert before["layout"]["yaxis"]["title"]["text"] == "Pulls per week"
    at.segmented_control(key="pulls_measure").set_value("cumulative").run()
    after = charts_of(at)[0]
    assert after["layout"]["yaxis"]["title"]["text"] == "Cumulative pull count"
    assert np.nanmax(np.asarray(after["data"][0]["y"], dtype=float)) > np.nanmax(
        np.asarray(before["data"][0]["y"], dtype=float)
    )
    assert at.query_params["measure"] == "cumulative"


def test_pulls_log_scale_and_image_choice(app: AppTest, charts_of) -> None:
    at = _open(app, PULLS)
    at.segmented_control(key="pulls_scale").set_value("log").run()
    assert charts_of(at)[0]["layout"]["yaxis"]["type"] == "log"
    at.multiselect(key="pulls_images").set_value(["issif/cercat", "kwdb/kwdb"]).run()
    names = {trace["name"] for trace in charts_of(at)[0]["data"]}
    assert {"issif/cercat", "kwdb/kwdb"} <= names
    assert "falcosecurity/falco" not in names


def test_pulls_namespace_picks_every_image_of_it(app: AppTest, charts_of) -> None:
    at = _open(app, PULLS)
    at.selectbox(key="pulls_namespace").set_value("issif").run()
    names = {trace["name"] for trace in charts_of(at)[0]["data"] if trace.get("showlegend", True)}
    assert names == {"issif/cercat", "issif/falco-talon", "issif/sysdig", "issif/tcpdump"}


def test_user_events_are_drawn_and_bad_lines_reported(app: AppTest, charts_of) -> None:
    at = _open(app, PULLS)
    at.text_area(key="pulls_events").set_value("2025-06-17 Falco 0.41.2\nsoon launch").run()
    figure = charts_of(at)[0]
    assert any(note["text"] == "Falco 0.41.2" for note in figure["layout"]["annotations"])
    assert any("line 2 does not start with a date" in warning.value for warning in at.warning)


def test_view_round_trips_through_query_params(app: AppTest, charts_of) -> None:
    app.query_params.update({"image": ["kwdb/kwdb"], "measure": "month", "scale": "log"})
    app.run()
    app.switch_page(PULLS).run()
    assert app.multiselect(key="pulls_images").value == ["kwdb/kwdb"]
    assert app.segmented_control(key="pulls_measure").value == "month"
    figure = charts_of(app)[0]
    assert figure["layout"]["yaxis"]["type"] == "log"
    assert {trace["legendgroup"] for trace in figure["data"]} == {"kwdb/kwdb"}


def test_unknown_images_in_a_link_fall_back_to_the_biggest(app: AppTest) -> None:
    app.query_params.update({"image": ["nobody/nothing"]})
    app.run()
    app.switch_page(PULLS).run()
    assert not app.exception
    assert "falcosecurity/falco" in app.multiselect(key="pulls_images").value


def test_collect_now_disabled_when_not_allowed(app: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("ADOPTION_ALLOW_COLLECT", "0")
    at = _open(app, PULLS)
    button = next(b for b in at.button if b.label.startswith("Collect now"))
    assert button.disabled


def test_every_chart_and_table_offers_a_csv(app: AppTest) -> None:
    at = _open(app, PULLS)
    keys = {button.key for button in at.get("download_button")}
    assert {
        "csv-pulls-week",
        "png-pulls-week",
        "svg-pulls-week",
        "csv-pulls-growth",
        "csv-pulls-anomalies",
        "csv-pulls-milestone",
        "talk-pack",
    } <= keys


def test_slide_theme_enlarges_type(app: AppTest, charts_of) -> None:
    app.run()
    small = charts_of(app)[0]["layout"]["font"]["size"]
    app.toggle(key="slide").set_value(True).run()
    large = charts_of(app)[0]["layout"]["font"]["size"]
    assert large > small
    assert app.query_params["slide"] == "1"
