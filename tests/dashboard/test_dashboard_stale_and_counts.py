"""Stale pull data says its age on every card and chart; no milestone date in the past; "n" is the base."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import page_overview, page_pulls
from tests.hostile.hostile_helpers import as_shown

PULLS = "app_pages/pulls.py"
REPORT_DAY = pd.Timestamp("2026-12-03")  # the day the issue was filed: the bundled data ends 2026-08-08


@pytest.fixture
def on_report_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages' "today" is 2026-12-03, 117 days after the bundled data ends."""
    monkeypatch.setattr(page_overview, "today_utc", lambda: REPORT_DAY)
    monkeypatch.setattr(page_pulls, "today_utc", lambda: REPORT_DAY)


def _captions(at: AppTest) -> list[str]:
    """Card captions as read on screen (their Markdown escapes undone)."""
    return [re.sub(r"\\(.)", r"\1", caption.value) for caption in at.caption]


def _figure_texts(at: AppTest) -> list[str]:
    return [element.proto.spec for element in at.get("plotly_chart")]


def test_the_overview_says_how_old_the_pull_data_is(app: AppTest, on_report_day) -> None:
    app.run()
    assert not app.exception
    warnings = [as_shown(warning.value) for warning in app.warning]  # as a person reads the Markdown
    # The newest observation of the images the page shows, 117 days before the report day: kwdb's
    # 2026-08-22 is stored but shown nowhere on the page, so it dates nothing here.
    assert any("data as of 2026-08-08, 117 days old" in text for text in warnings), warnings
    cards = [caption for caption in _captions(app) if "Source: Docker Hub pull_count" in caption]
    assert len(cards) == 2 and all("as of 2026-08-08, 117 days old" in card for card in cards)
    assert "Data as of 2026-08-08, 117" in _figure_texts(app)[0]


def test_the_overview_dates_its_pull_figures_with_one_day(app: AppTest, on_report_day) -> None:
    app.run()
    pulls_section = [as_shown(warning.value) for warning in app.warning if "Pull data" in warning.value]
    pulls_section += [caption for caption in _captions(app) if "Source: Docker Hub pull_count" in caption]
    pulls_section += [spec for spec in _figure_texts(app) if "pull_count snapshots" in spec]
    days = {
        day
        for text in pulls_section
        for day in re.findall(r"[Dd]ata as of (\d{4}-\d{2}-\d{2})|as of (\d{4}-\d{2}-\d{2})", text)
        for day in day
        if day
    }
    assert days == {"2026-08-08"}, pulls_section


def test_overview_survey_cards_say_count_of_base(app: AppTest, on_report_day) -> None:
    app.run()
    lines = [caption for caption in _captions(app) if "chose" in caption]
    assert lines
    for text in lines:
        # "1,091 of 1,300 chose …" and "Base: n = 1,300 …": n is the base, as everywhere else.
        counted = re.search(r"([0-9,]+) of ([0-9,]+) chose", text)
        assert counted, text
        assert f"n = {counted.group(2)}" in text
        assert not re.search(r"(^|\n)n: ", text)


def test_the_pulls_page_never_projects_a_milestone_into_the_past(app: AppTest, on_report_day) -> None:
    app.run()
    at = app.switch_page(PULLS).run()
    assert not at.exception
    assert any("117 days old" in warning.value for warning in at.warning)
    table = next(frame.value for frame in at.dataframe if "date_reached" in frame.value.columns)
    for reached in table["date_reached"]:
        days = re.findall(r"\d{4}-\d{2}-\d{2}", reached)
        assert reached.startswith("not projected") or all(day >= "2026-12-03" for day in days), reached
    assert table["date_reached"].str.startswith("not projected").all()  # 80,000,000 at the trend: 2026-10-05
    specs = _figure_texts(at)
    assert all("Data as of 2026-08-08, 117" in spec for spec in specs if "Data as of" in spec)
    command = next(code.value for code in at.code if "milestone" in code.value)
    assert "--today 2026-12-03" in command
