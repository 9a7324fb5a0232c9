"""Exports: chart figures carry title, source and date; images are 1920x1080; the talk pack cites its numbers."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pandas as pd
import pytest

from dashboard import charts, images, theme
from dashboard.talkpack import Exhibit, build_zip


def _figure():
    series = pd.DataFrame(
        {
            "image": "nginx",
            "period": pd.date_range("2024-01-01", periods=3),
            "value": [1.0, 2.0, 3.0],
            "flag": ["", "", "gap"],
            "marker_y": [1.0, 2.0, 3.0],
        }
    )
    return charts.pulls_over_time(series, "pulls", "Pulls of nginx", charts.footer_text("Docker Hub", "2024-01-03"))


def test_title_source_and_date_are_inside_the_figure() -> None:
    figure = theme.for_export(_figure())
    assert figure.layout.title.text == "Pulls of nginx"
    assert any("Source: Docker Hub · Data as of 2024-01-03" in note.text for note in figure.layout.annotations)
    assert (figure.layout.width, figure.layout.height) == (1920, 1080)
    assert list(figure.layout.colorway) == list(theme.OKABE_ITO)


def test_text_from_a_file_is_not_markup_in_a_chart() -> None:
    assert charts.plain('<a href="x">click</a> & co') == '&lt;a href="x"&gt;click&lt;/a&gt; &amp; co'


def test_talk_pack_holds_charts_csvs_and_sources() -> None:
    table = pd.DataFrame({"answer": ["=SUM(A1)", "Yes"], "share": [0.1, 0.9]})
    exhibit = Exhibit(
        key="pulls-week",
        title="Pulls per week",
        source="Docker Hub",
        as_of="2024-01-03",
        figure=_figure(),
        table=table,
        notes=["90% said yes (n = 10)"],
    )
    data = build_zip([exhibit], "Docker Hub pulls", "/pulls?measure=week", lambda fig, fmt: f"<{fmt}>".encode())
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == [
        "charts/pulls-week.png",
        "charts/pulls-week.svg",
        "sources.md",
        "tables/pulls-week.csv",
    ]
    assert archive.read("tables/pulls-week.csv").decode().splitlines()[1] == "'=SUM(A1),0.1"
    sources = archive.read("sources.md").decode()
    assert "- Source: Docker Hub" in sources and "- 90% said yes (n = 10)" in sources
    assert "View: /pulls?measure=week" in sources


needs_chromium = pytest.mark.skipif(
    images.chromium_path() is None and not os.environ.get("CI"), reason="no Chromium on this machine"
)


@needs_chromium
def test_png_and_svg_are_rendered_at_slide_size() -> None:
    png = images.render(_figure(), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1920, 1080)
    svg = images.render(_figure(), "svg").decode()
    assert 'width="1920"' in svg and "Pulls of nginx" in svg and "Data as of 2024-01-03" in svg


def test_toolbar_is_set_to_slide_size() -> None:
    options = images.toolbar_config("pulls", "svg")["toImageButtonOptions"]
    assert (options["width"], options["height"], options["format"]) == (1920, 1080, "svg")
