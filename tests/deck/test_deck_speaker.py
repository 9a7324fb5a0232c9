"""The slides a speaker expects: a catalog big number and chart, a typed title, and slides that look finished.

Built by `python -m analysis deck`, read back with python-pptx; the look (labels past whiskers, dates
kept whole) is checked on the deck LibreOffice renders.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from pptx.oxml.ns import qn

from exports.deck import footer_lines
from tests.deck.deck_helpers import (
    VIEWS,
    build,
    chart_of,
    is_partial,
    notes_line,
    open_deck,
    run_reproduce,
    texts_of,
)
from tests.deck.test_deck_render import _tools_or_skip, render_pdf, words_by_page

SPEAKER_VIEWS = {
    "number": "catalog?pulls=10M",
    "distribution": "catalog?chart=distribution",
    "overview-number": "overview?chart=catalog",
    "titled": VIEWS["shares"] + "&title=Most+companies+run+containers+in+production",
    "shares": VIEWS["shares"],
    "milestone": VIEWS["milestone"],
    "namespace": VIEWS["namespace"],
    "overview": VIEWS["overview"],
}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def deck_file(tmp_path_factory: pytest.TempPathFactory, seeded_db: str) -> Path:
    path = tmp_path_factory.mktemp("speaker") / "talk.pptx"
    assert build(list(SPEAKER_VIEWS.values()), path, seeded_db) == 0
    return path


@pytest.fixture(scope="module")
def slides(deck_file: Path) -> dict:
    return dict(zip(SPEAKER_VIEWS, open_deck(deck_file).slides, strict=True))


def _plain(text: str) -> str:
    return text.replace("\u2011", "-")


def test_the_catalog_big_number_is_the_threshold_command_and_says_what_its_base_is(
    slides: dict, seeded_db: str
) -> None:
    for name in ("number", "overview-number"):
        slide = slides[name]
        assert not [shape for shape in slide.shapes if shape.has_chart], name
        title, subtitle, figure, sentence, footer = (_plain(text) for text in texts_of(slide))
        row = run_reproduce(notes_line(slide, "Reproduce:"), db=seeded_db, fmt="csv")[0]
        assert figure == f"{int(row['images']):,} of {int(row['base']):,}" == "411 of 2,251"
        assert title == "Docker Hub images with 10M+ pulls"
        assert sentence.startswith("411 of the 2,251 images of a Docker Hub catalog snapshot (2024-08-17..2024-08-20")
        assert "official, verified-publisher and open-source images, not all of Docker Hub" in sentence
        assert sentence.endswith("had at least 10,000,000 pulls (a floor).")
        assert "n = 2,251 images" in footer and "Source: " in footer and "Date: 2024-08-17..2024-08-20" in footer
        assert notes_line(slide, "Quote:") == sentence


def test_the_catalog_distribution_slide_is_the_distribution_csv(slides: dict, seeded_db: str) -> None:
    slide = slides["distribution"]
    chart = chart_of(slide)
    rows = pd.DataFrame(run_reproduce(notes_line(slide, "Reproduce:"), db=seeded_db, fmt="csv"))
    assert list(chart.plots[0].categories) == rows["label"].tolist()
    # Every count of the snapshot is a bucket (its exact column is all 0): one series, no empty legend entry.
    assert rows["exact"].astype(int).sum() == 0
    [bounded] = chart.plots[0].series
    assert bounded.name == "bucketed count (a range)"
    assert list(bounded.values) == [float(value) for value in rows["bounded"]]
    assert sum(bounded.values) == 2251
    assert "every count here is a bucket" in texts_of(slide)[1]


def test_a_typed_title_replaces_the_slides_own_which_goes_to_the_notes(slides: dict) -> None:
    assert texts_of(slides["titled"])[0] == "Most companies run containers in production"
    assert notes_line(slides["titled"], "Title as built:") == texts_of(slides["shares"])[0]
    assert "&title=Most+companies+run+containers+in+production&" in notes_line(slides["titled"], "View:")
    assert chart_of(slides["titled"]).plots[0].series[0].values == chart_of(slides["shares"]).plots[0].series[0].values


def test_one_image_is_singular_and_a_footer_breaks_only_between_its_parts(slides: dict) -> None:
    footer = _plain(texts_of(slides["milestone"])[-1])
    assert "n = 1 image ·" in footer and "1 images" not in footer
    for name, slide in slides.items():
        written = texts_of(slide)[-1]
        parts = _plain(written).replace("\n", " · ").split(" · ")
        # Every line of the footer is whole parts: a date or "n = 1,300" never starts on one line and ends on another.
        assert " · ".join(parts) == _plain(written).replace("\n", " · "), name
        assert all("-" not in date for date in re.findall(r"\d{4}\S\d{2}\S\d{2}", written)), name


def test_footer_lines_join_parts_until_a_line_is_full() -> None:
    parts = ["Source: " + "word " * 30, "Base: all", "n = 1,300", "Data as of 2026-08-08"]
    lines = footer_lines(" · ".join(parts), 10).split("\n")
    assert lines == [parts[0], " · ".join(parts[1:])]


def test_slide_pull_charts_draw_at_most_five_lines_and_flagged_periods_as_markers(slides: dict) -> None:
    for name in ("namespace", "overview"):
        series = list(chart_of(slides[name]).plots[0].series)
        lines = [s for s in series if s.name != "flagged (see notes)" and not is_partial(s)]
        assert len(lines) <= 5, name
        flagged = series[-1]
        assert flagged.name == "flagged (see notes)"
        assert flagged._element.find(qn("c:spPr")).find(qn("a:ln")).find(qn("a:noFill")) is not None  # no line
        assert flagged.marker.style is not None
        assert notes_line(slides[name], "Flagged:")
    names = [s.name for s in chart_of(slides["overview"]).plots[0].series]
    assert "ubuntu" not in names  # one snapshot in 2016: no line, so not drawn and not stretching the axis
    assert notes_line(slides["overview"], "Left out:").startswith("ubuntu (2016-01-04)")


def test_rendered_bar_labels_sit_past_their_whiskers_and_dates_stay_whole(deck_file: Path, tmp_path: Path) -> None:
    _tools_or_skip()
    pdf = render_pdf(deck_file, tmp_path)
    pages = words_by_page(pdf)
    page = list(SPEAKER_VIEWS).index("shares") + 1
    subprocess.run(["pdftoppm", "-r", "144", "-f", str(page), "-l", str(page), "-png", str(pdf), str(tmp_path / "bar")])
    pixels = Image.open(next(tmp_path.glob("bar*.png"))).convert("L").load()
    slide = open_deck(deck_file).slides[list(SPEAKER_VIEWS).index("shares")]
    _, words = pages[list(SPEAKER_VIEWS).index("shares")]
    ticks = {word[4]: (word[0] + word[2]) / 2 for word in words if re.fullmatch(r"\d+%", word[4])}
    zero, hundred = ticks["0%"], ticks["100%"]
    series = chart_of(slide).plots[0].series[0]
    bars = series._element.find(qn("c:errBars"))
    plus = [float(v.text) for v in bars.find(qn("c:plus")).iter(qn("c:v"))]
    for value, whisker in zip(series.values, plus, strict=True):
        label = f"{value:.0%}"
        # The label's word is the one at the bar's height; the tick labels sit above the plot.
        found = [word for word in words if word[4] == label and word[1] > min(w[3] for w in words if w[4] == "0%")]
        assert found, label
        whisker_end = zero + (value + whisker) * (hundred - zero)
        assert found[0][0] >= whisker_end, (label, found[0][0], whisker_end)
        # Nothing drawn in the gap before the label (LibreOffice drew a leader line there, a longer whisker).
        middle = round((found[0][1] + found[0][3]) / 2 * 2)  # 144 dpi: two pixels a point
        gap = range(round(found[0][0] * 2) - 8, round(found[0][0] * 2) - 1)
        assert all(pixels[x, y] > 230 for x in gap for y in (middle - 1, middle, middle + 1)), label
    for number, (_, page_words) in enumerate(pages):
        footer = _plain(texts_of(open_deck(deck_file).slides[number])[-1])
        drawn = " ".join(_plain(word[4]) for word in page_words)
        for date in DATE.findall(footer):
            assert re.search(rf"(^|\s|\(|\.){re.escape(date)}", drawn), (number, date)


def test_a_distribution_of_both_kinds_of_count_draws_both(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.views import catalog as catalog_views
    from analysis.views.spec import parse_view

    table = pd.DataFrame({"label": ["1K–10K", "10K–100K"], "exact": [3, 0], "bounded": [5, 7]})
    monkeypatch.setattr(catalog_views, "_read", lambda spec, store: (pd.DataFrame(index=range(15)), {}, 1))
    monkeypatch.setattr(catalog_views, "distribution", lambda entries: table)
    monkeypatch.setattr(catalog_views, "_footer", lambda entries, snapshot: "Source: a test")
    slide = catalog_views.distribution_slide(parse_view("catalog?chart=distribution"), None)
    assert [series.name for series in slide.series] == ["exact count", "bucketed count (a range)"]
    assert "an exact one is not" in slide.subtitle
