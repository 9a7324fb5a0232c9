"""The growth and milestone tables as a person sees them on the full bundled data."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard import pull_tables

PULLS = "app_pages/pulls.py"


def _pulls(app: AppTest) -> AppTest:
    app.run()
    app.switch_page(PULLS).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _growth(at: AppTest):  # noqa: ANN202 - the AppTest dataframe element
    return next(frame for frame in at.dataframe if "growth" in frame.value.columns)


def _headers(element) -> dict[str, str]:  # noqa: ANN001
    config = json.loads(element.proto.columns)
    return {column: settings.get("label", column) for column, settings in config.items()}


def test_growth_table_is_rounded_grouped_and_plainly_headed(app: AppTest) -> None:
    at = _pulls(app)
    element = _growth(at)
    shown = element.value

    assert "flag" not in shown.columns  # empty in every row of the bundled histories
    for column in ("avg_daily_7d", "avg_daily_pulls", "pull_count", "pulls"):
        assert pd.api.types.is_integer_dtype(shown[column]), column
    growth = shown["growth"].dropna()
    assert (growth == growth.round(1)).all()
    headers = _headers(element)
    assert headers["avg_daily_pulls"] == "Pulls a day, last 30 days"
    assert headers["growth"] == "Pulls a day, change on the 30 days before"
    assert not any("/" in label or "avg" in label for label in headers.values())
    formats = {
        column: settings.get("type_config", {}).get("format")
        for column, settings in json.loads(element.proto.columns).items()
    }
    assert formats["pull_count"] == "localized" and formats["growth"] == "%+.1f%%"


def test_a_note_column_shows_when_a_window_is_flagged() -> None:
    growth = pd.DataFrame(
        {"image": ["a", "b"], "avg_daily_pulls": [1.6, 2.4], "growth": [0.12345, None], "flag": ["", "short window"]}
    )
    shown = pull_tables.growth_shown(growth)
    assert shown["flag"].tolist() == ["", "short window"]
    assert shown["avg_daily_pulls"].tolist() == [2, 2]
    assert shown["growth"].tolist()[0] == 12.3


def test_milestone_trends_are_named_alike_in_table_and_legend(app: AppTest, charts_of) -> None:
    at = _pulls(app)
    legend = {trace["name"] for trace in charts_of(at)[-1]["data"] if "trend" in trace.get("name", "")}
    milestone = next(frame.value for frame in at.dataframe if "scenario" in frame.value.columns)
    assert set(milestone["scenario"]) == legend == {"fast trend", "expected trend", "slow trend"}
    assert pd.api.types.is_integer_dtype(milestone["pulls_per_day"])
