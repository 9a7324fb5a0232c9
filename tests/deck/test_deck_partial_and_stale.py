"""Deck pulls charts mark partial periods (hollow diamond, dashed segment, footer and notes) and stale data."""

from __future__ import annotations

import re

import pytest
from pptx.enum.chart import XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE

from analysis.pulls.freshness import today_utc
from analysis.views.pulls import FLAGGED
from tests.deck.deck_helpers import VIEWS, build, chart_of, open_deck, texts_of


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory, seeded_db: str):
    path = tmp_path_factory.mktemp("partial") / "talk.pptx"
    views = [VIEWS["month"], VIEWS["namespace"], VIEWS["milestone"], "pulls?image=falcosecurity/falco&measure=day"]
    assert build(views, path, seeded_db) == 0
    return open_deck(path)


def _partial_positions(series) -> list[int]:
    """Positions of points drawn as partial periods: a hollow diamond reached by a dashed segment."""
    marked = []
    for position in range(len(list(series.values))):
        point = series.points[position]
        if point.marker.style == XL_MARKER_STYLE.DIAMOND:
            assert point.format.line.dash_style == MSO_LINE_DASH_STYLE.DASH
            assert point.marker.format.fill.type is not None  # set: background (hollow), not inherited
            marked.append(position)
    return marked


def test_the_last_partial_month_is_marked_in_the_chart_footer_and_notes(deck) -> None:
    slide = deck.slides[0]
    series = chart_of(slide).plots[0].series[0]
    values = list(series.values)
    # falco's first month (March 2023, 16 of 31 days) and last (August 2026, 8 of 31 days) are partial.
    assert _partial_positions(series) == [0, len(values) - 1]
    assert values[-1] == 883_502
    footer = texts_of(slide)[-1]
    assert "partial, August 2026: 8 of 31 days" in footer
    notes = slide.notes_slide.notes_text_frame.text
    assert "March 2023: 16 of 31 days; August 2026: 8 of 31 days" in notes
    assert "compare pulls per day" in notes


def test_every_line_of_a_namespace_chart_marks_its_partial_weeks(deck) -> None:
    plot = chart_of(deck.slides[1]).plots[0]
    # The flagged points (markers only, the last series) are not a line: they have no periods of their own.
    marked = [_partial_positions(series) for series in plot.series if series.name != FLAGGED]
    assert all(marked), "each image's last week (and the summed others') is partial"
    last = len(list(plot.categories)) - 1
    assert all(last in positions for positions in marked)


def test_a_chart_of_whole_days_marks_nothing(deck) -> None:
    series = chart_of(deck.slides[3]).plots[0].series[0]
    assert _partial_positions(series) == []
    assert "partial" not in texts_of(deck.slides[3])[-1]


def test_a_milestone_of_stale_data_says_so_and_projects_no_past_date(deck) -> None:
    slide = deck.slides[2]
    notes = slide.notes_slide.notes_text_frame.text
    # Data ends 2026-08-08: any day the test runs on is later, so 80,000,000 (2026-10-05 at the trend) is
    # either past, hence withheld, or still ahead; a date before today is never given.
    dates = re.findall(r"reaches 80,000,000 pulls: (\d{4}-\d{2}-\d{2})", notes)
    assert all(date >= today_utc().date().isoformat() for date in dates)
    if today_utc().date().isoformat() > "2026-08-11":
        assert "days old" in texts_of(slide)[-1] and "Data as of 2026-08-08, " in notes
