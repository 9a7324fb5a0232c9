"""Deck pulls charts mark partial periods (hollow diamond, dashed segment, footer and notes) and stale data."""

from __future__ import annotations

import re

import pytest
from pptx.enum.chart import XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn

from analysis.pulls.freshness import today_utc
from analysis.views.pulls import FLAGGED
from tests.deck.deck_helpers import VIEWS, build, chart_of, is_partial, line_values, open_deck, partial_of, texts_of


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory, seeded_db: str):
    path = tmp_path_factory.mktemp("partial") / "talk.pptx"
    views = [VIEWS["month"], VIEWS["namespace"], VIEWS["milestone"], "pulls?image=falcosecurity/falco&measure=day"]
    assert build(views, path, seeded_db) == 0
    return open_deck(path)


def _partial_positions(chart, line) -> list[int]:
    """Positions of a line's partial periods: drawn by its own dashed series, a hollow diamond on each."""
    positions = partial_of(chart, line)
    if positions:
        continuation = next(s for s in chart.plots[0].series if is_partial(s) and s.values[positions[0]] is not None)
        # Dashed for the whole series: LibreOffice ignores a dash set point by point (the fall was drawn solid).
        assert continuation.format.line.dash_style == MSO_LINE_DASH_STYLE.DASH
        assert continuation.marker.style == XL_MARKER_STYLE.DIAMOND
        assert continuation.marker.format.fill.type is not None  # set: background (hollow), not inherited
    return positions


def test_the_last_partial_month_is_marked_in_the_chart_footer_and_notes(deck) -> None:
    slide = deck.slides[0]
    chart = chart_of(slide)
    series = chart.plots[0].series[0]
    values = line_values(chart, series)
    # falco's first month (March 2023, 16 of 31 days) and last (August 2026, 8 of 31 days) are partial.
    assert _partial_positions(chart, series) == [0, len(values) - 1]
    assert values[-1] == 883_502
    # The whole line stops short of them: no solid segment falls into the partial month.
    assert list(series.values)[0] is None and list(series.values)[-1] is None
    footer = texts_of(slide)[-1]
    assert "partial, August 2026: 8 of 31 days" in footer
    notes = slide.notes_slide.notes_text_frame.text
    assert "March 2023: 16 of 31 days; August 2026: 8 of 31 days" in notes
    assert "compare pulls per day" in notes


def test_every_line_of_a_namespace_chart_marks_its_partial_weeks(deck) -> None:
    chart = chart_of(deck.slides[1])
    plot = chart.plots[0]
    # The flagged points (markers only, the last series) are not a line: they have no periods of their own.
    lines = [series for series in plot.series if series.name != FLAGGED and not is_partial(series)]
    marked = [_partial_positions(chart, series) for series in lines]
    assert all(marked), "each image's last week (and the summed others') is partial"
    last = len(list(plot.categories)) - 1
    assert all(last in positions for positions in marked)
    # One legend entry says what the dashed diamonds are, however many lines have them.
    hidden = chart.legend._element.findall(qn("c:legendEntry"))
    assert len(hidden) == len(lines) - 1


def test_a_chart_of_whole_days_marks_nothing(deck) -> None:
    chart = chart_of(deck.slides[3])
    assert _partial_positions(chart, chart.plots[0].series[0]) == []
    assert not [series for series in chart.plots[0].series if is_partial(series)]
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
