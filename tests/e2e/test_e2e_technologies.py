"""The Technologies page in a real browser: two panels, nothing overlapping, at both sizes in light and dark."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_e2e_layout import BOXES_JS, TEXT, _open, _outside, _overlaps

pytestmark = pytest.mark.e2e

SIZES = [(1366, 768), (1920, 1080)]
VIEW = "technologies?technology=falco&technology=kubernetes"


# The browser's light or dark preference, and the slide theme (large type, high contrast).
LOOKS = {"light": ("light", ""), "dark": ("dark", ""), "slide": ("light", "&slide=1")}


@pytest.mark.parametrize("look", list(LOOKS))
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_technologies_chart_is_readable(browser, dashboard: str, artifacts: Path, size, look: str) -> None:
    scheme, query = LOOKS[look]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, color_scheme=scheme)
    page = context.new_page()
    try:
        _open(page, f"{dashboard}/{VIEW}{query}", "Technologies")
        page.screenshot(path=str(artifacts / f"technologies-{look}-{size[0]}x{size[1]}.png"))
        chart = page.locator(".js-plotly-plot").first
        assert chart.bounding_box()["y"] < size[1], "the chart starts below the first screen"
        boxes = chart.evaluate(BOXES_JS.replace("arguments_selector", repr(TEXT)))
        texts = " ".join(box["text"] for box in boxes)
        assert "Survey: share using it in production" in texts and "Docker Hub: pulls per week" in texts
        assert not _overlaps(boxes), _overlaps(boxes)[:5]
        assert not _outside(boxes, chart.bounding_box()), _outside(boxes, chart.bounding_box())[:5]
        assert page.get_by_text("its images are absent from the pull history").first.is_visible()
    finally:
        context.close()
