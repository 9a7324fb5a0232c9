"""Charts and tables that look finished, and the speaker's slides from the pages (AppTest, bundled data)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard import charts, deck_panel
from dashboard.widgets import literal

CATALOG = "app_pages/catalog.py"
PULLS = "app_pages/pulls.py"


def _run(app: AppTest, page: str | None = None) -> AppTest:
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _headers(element) -> dict[str, str]:  # noqa: ANN001
    columns = json.loads(element.proto.columns).items()
    return {column: config.get("label", column) for column, config in columns if column != "_index"}


def _formats(element) -> dict[str, str | None]:  # noqa: ANN001
    return {
        column: config.get("type_config", {}).get("format")
        for column, config in json.loads(element.proto.columns).items()
    }


def _frame_with(at: AppTest, column: str):  # noqa: ANN202 - the AppTest dataframe element
    return next(frame for frame in at.dataframe if column in frame.value.columns)


def test_catalog_tables_have_plain_headers_percent_shares_and_no_empty_columns(app: AppTest) -> None:
    at = _run(app, CATALOG)
    concentration = _frame_with(at, "share_low")
    shown = concentration.value
    assert shown["share_of_lower_bounds"].tolist() == [13.1, 84.7, 99.8]  # percent, one decimal
    assert _headers(concentration)["share_of_lower_bounds"] == "Share of pulls (lower bounds)"
    assert _formats(concentration)["share_low"] == "%.1f%%"
    sources = _frame_with(at, "publisher")
    assert "pulls_at_most" not in sources.value.columns  # empty in every row: every pull count is a bucket
    assert list(sources.value.columns[:2]) == ["publisher", "images_10M_plus"]
    assert _headers(sources)["images_10M_plus"] == "Images with 10M+ pulls"
    assert sources.value["share_of_images"].tolist() == [5.8, 37.0, 57.2]
    for element in at.dataframe:
        assert not any("_" in label for label in _headers(element).values()), _headers(element)
        for column in element.value.columns:
            assert not element.value[column].astype("string").fillna("").eq("").all(), column
    claims = _frame_with(at, "words")
    assert _headers(claims)["url"] == "Source"
    assert json.loads(claims.proto.columns)["url"]["type_config"]["type"] == "link"


def test_growth_comes_second_and_anomalies_are_plainly_headed(app: AppTest) -> None:
    at = _run(app, PULLS)
    growth = _frame_with(at, "growth")
    assert list(growth.value.columns[:3]) == ["image", "growth", "pull_count"]
    anomalies = _frame_with(at, "day")
    # The bundled anomalies are gaps, days with no observation: the all-empty count column is left out.
    assert _headers(anomalies) == {"image": "Image", "day": "Day", "flag": "What was flagged"}
    assert len(anomalies.value) == 6 and set(anomalies.value["flag"]) == {"gap"}


def test_overview_card_says_what_the_catalog_images_are_and_goes_on_a_slide(app: AppTest) -> None:
    at = _run(app)
    card = next(metric for metric in at.metric if metric.label.startswith("Images with 10 M+ pulls"))
    assert card.value == "411 of 2,251"
    words = literal("official, verified-publisher and open-source images, not all of Docker Hub")
    assert any(words in caption.value for caption in at.caption)
    at.text_input(key="deck-title-overview-catalog").set_value("  411 images   passed 10M  ").run()
    next(button for button in at.button if button.key == "deck-add-overview-catalog").click().run()
    [view] = at.session_state[deck_panel.DECK_KEY]
    assert view == "overview?title=411+images+passed+10M&chart=catalog"
    deck = Presentation(io.BytesIO(deck_panel.deck_bytes([view])))
    texts = [shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame]
    assert texts[0] == "411 images passed 10M" and "411 of 2,251" in texts


def test_a_slide_title_is_edited_in_the_deck_list(app: AppTest) -> None:
    at = _run(app, CATALOG)
    next(button for button in at.button if button.key == "deck-add-catalog-threshold").click().run()
    next(button for button in at.button if button.key == "deck-add-catalog-distribution").click().run()
    assert at.session_state[deck_panel.DECK_KEY] == [
        "catalog?chart=threshold",
        "catalog?chart=distribution",
    ]
    at.sidebar.text_input(key="deck-retitle-1").set_value("Most images are small").run()
    assert at.session_state[deck_panel.DECK_KEY][1] == "catalog?title=Most+images+are+small&chart=distribution"
    at.sidebar.text_input(key="deck-retitle-1").set_value("").run()
    assert at.session_state[deck_panel.DECK_KEY][1] == "catalog?chart=distribution"


def test_overview_chart_leaves_out_one_snapshot_images_and_writes_log_ticks_whole(app: AppTest, charts_of) -> None:
    at = _run(app)
    figure = charts_of(at)[0]
    names = {trace.get("name") for trace in figure["data"]}
    assert "ubuntu" not in names and not any(str(name).startswith("ubuntu") for name in names)
    footer = " ".join(note["text"] for note in figure["layout"]["annotations"])
    assert "Left out: ubuntu (2016-01-04)" in footer and "one snapshot only" in footer
    assert "Markers: ○ gap (days estimated)" in footer
    ticks = figure["layout"]["yaxis"]["ticktext"]
    assert "10M" in ticks and "100M" in ticks and not [tick for tick in ticks if tick in {"2", "5"}]
    dates = [min(trace["x"]) for trace in figure["data"] if trace.get("x") is not None and len(trace["x"])]
    assert min(dates) >= "2019"  # no line stretches the date axis back to 2016


def test_log_ticks_write_20m_and_50m_within_three_decades() -> None:
    ticks = charts.log_ticks(pd.Series([12_000_000.0, 74_000_000.0]))
    assert ticks["ticktext"] == ["10M", "20M", "50M", "100M", "200M", "500M"]
    assert charts.log_ticks(pd.Series([2.0, 74_000_000.0]))["ticktext"][:3] == ["1", "10", "100"]


def test_small_bars_have_their_labels_beside_them_and_trend_labels_are_never_clipped() -> None:
    breakdown = pd.DataFrame(
        {
            "answer": ["Using", "N/A", "Planning"],
            "share": [0.84, 0.023, 0.14],
            "ci_low": [0.82, 0.016, 0.12],
            "ci_high": [0.86, 0.033, 0.16],
            "count": [1092, 30, 182],
            "base": [1300, 1300, 1300],
        }
    )
    figure = charts.share_bars(breakdown, "t", "f", "b")
    bars, beside = figure.data
    assert list(bars.text) == ["14%", "", "84%"]  # drawn bottom to top; the 2% bar has no label inside
    assert list(beside.text) == ["2%"] and beside.x[0] > 0.033 and beside.textposition == "middle right"
    trend = pd.DataFrame({"wave": ["2019", "2020"], "share": [0.84, 0.92], "ci_low": [0.82, 0.9],
                          "ci_high": [0.86, 0.94], "base": [1300, 1200]})  # fmt: skip
    figure = charts.share_trend(trend, "t", "f")
    assert figure.data[0].cliponaxis is False and figure.layout.yaxis.range[1] >= 0.94 + 0.1


def test_a_weighted_shares_csv_says_so_and_keeps_unweighted_counts_beside_weighted(app: AppTest) -> None:
    from dashboard import widgets
    from tests.dashboard.test_dashboard_survey_banner import SHA_2019, _open_2019_production_by_size

    at = _open_2019_production_by_size(app)
    at.multiselect(key=f"rake-questions-{SHA_2019}").set_value(["Q2"]).run()
    at.toggle(key=f"rake-on-{SHA_2019}").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    exhibit = next(e for e in at.session_state[widgets.EXHIBITS_KEY].values() if e.key == "survey-q15")
    table = exhibit.table
    assert list(table.columns[:6]) == ["answer", "count", "base", "share", "ci_low", "ci_high"]
    assert {"weighted_count", "weighted_base", "n_eff"} <= set(table.columns)
    assert set(table["weighting"]) == {"weighted (raked to Q2)"}
    assert table["base"].iloc[0] == 1300 and table["weighted_base"].iloc[0] != table["base"].iloc[0]
    assert (table["share"] - table["weighted_count"] / table["weighted_base"]).abs().max() < 1e-9
    assert "weighting" in widgets._csv_bytes(table).decode().splitlines()[0]


def test_a_banner_of_two_segmentations_is_shown_and_its_workbook_command_writes_the_same(
    app: AppTest, tmp_path, monkeypatch, capsys
) -> None:
    import shlex

    from analysis.__main__ import main
    from tests.dashboard.test_dashboard_survey_banner import _open_2019_production_by_size

    at = _open_2019_production_by_size(app)
    at.multiselect(key="survey_banner").set_value(["Q2"]).run()
    assert not at.exception, [e.value for e in at.exception]
    crosstab, shown = [frame.value for frame in at.dataframe if "letters" in frame.value.columns]
    assert shown["segment"].nunique() > crosstab["segment"].nunique()  # Q2's columns beside Q1's
    command = next(code.value for code in at.code if "--format xlsx" in code.value)
    assert command.count("--by") == 2 and "--by Q1 --by Q2" in command
    workbook = tmp_path / "banner.xlsx"
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    words = shlex.split(command.replace("--output banner.xlsx", f"--output {workbook}"))
    assert main(words[3:]) == 0, capsys.readouterr().err
    data = pd.read_excel(workbook, sheet_name="data")
    written = data  # every column, Total first, as the letters table shows them
    assert written["segment"].astype(str).tolist() == shown["segment"].astype(str).tolist()
    # The page shows shares in percent with one decimal (as the growth table); the workbook keeps them whole.
    assert ((written["share"] * 100).round(1) - shown["share"]).abs().max() < 1e-9
    assert written["count"].tolist() == shown["count"].tolist()
