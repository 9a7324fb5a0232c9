"""The Docker Hub catalog page and the Overview's catalog card, as a person meets them on the bundled data."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.widgets import literal

CATALOG = "app_pages/catalog.py"


def _open(at: AppTest) -> AppTest:
    at.run()
    at.switch_page(CATALOG).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_catalog_page_answers_the_10m_question_from_the_bundled_snapshot(app: AppTest, charts_of) -> None:
    at = _open(app)
    assert at.title[0].value == "Docker Hub catalog"
    card = next(metric for metric in at.metric if metric.label.startswith("Images with at least 10M"))
    assert card.value == "411 of 2,251"
    assert any(literal("Date: 2024-08-17..2024-08-20") in caption.value for caption in at.caption)
    [figure] = charts_of(at)
    exact, bounded = figure["data"]
    assert sum(exact["y"]) == 0 and sum(bounded["y"]) == 2251
    assert bounded["marker"]["pattern"]["shape"] == "/"  # bounded counts look different from exact ones
    # No image of the snapshot has an exact count: no empty "exact count" bar nor legend entry for it.
    assert exact["visible"] is False and exact["showlegend"] is False
    assert bounded.get("visible", True) is True and bounded["showlegend"] is True
    codes = [code.value for code in at.code]
    assert "python -m analysis catalog threshold --pulls 10M --snapshot 1" in codes


def test_threshold_box_changes_the_card_and_the_link(app: AppTest) -> None:
    at = _open(app)
    at.text_input(key="catalog_pulls").set_value("1B").run()
    card = next(metric for metric in at.metric if metric.label.startswith("Images with at least 1B"))
    assert card.value == "50 of 2,251"
    assert at.query_params["pulls"] == "1B"
    at.text_input(key="catalog_pulls").set_value("lots").run()
    assert any("not a number of pulls" in warning.value for warning in at.warning)


def test_threshold_round_trips_through_the_link(app: AppTest) -> None:
    app.query_params["pulls"] = "100M"
    at = _open(app)
    assert any(metric.value == "156 of 2,251" for metric in at.metric)


def test_claims_sit_beside_measured_figures(app: AppTest) -> None:
    at = _open(app)
    claims = next(frame.value for frame in at.dataframe if "words" in frame.value.columns)
    assert "7B+ downloads" in set(claims["words"]) and claims["measured"].str.len().gt(0).all()


def test_overview_has_the_catalog_card(app: AppTest) -> None:
    app.run()
    assert not app.exception
    card = next(metric for metric in app.metric if metric.label.startswith("Images with 10 M"))
    assert card.value == "411 of 2,251"
    assert "python -m analysis catalog threshold --pulls 10M --snapshot 1" in [code.value for code in app.code]
