"""Chart text in a real browser: nothing overlaps, in both themes and at both screen sizes; screenshots kept."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 90_000
SIZES = [(1366, 768), (1920, 1080)]
PAGES = {"": "Adoption at a glance", "pulls": "Docker Hub pulls", "surveys": "Surveys", "catalog": "Docker Hub catalog"}
# Three images named in full: the slide theme's title wraps to four lines at 1366 pixels.
LONG_TITLE = "pulls?" + "&".join(
    f"image=falcosecurity/{name}" for name in ("falco-driver-loader", "falcosidekick-ui", "falco-exporter")
)
# The text plotly draws for a chart: title, axis titles and tick labels, the footer and other annotations.
TEXT = ".gtitle, .xtitle, .ytitle, .xtick text, .ytick text, .annotation-text, .legendtext"
BOXES_JS = """(root) => Array.from(root.querySelectorAll(arguments_selector)).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent, x: r.left, y: r.top, w: r.width, h: r.height};
}).filter(b => b.w > 0 && b.h > 0)"""


def _open(page, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=TIMEOUT_MS)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stSkeleton']", state="detached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)  # plotly draws after the script run ends


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for index, one in enumerate(boxes):
        for other in boxes[index + 1 :]:
            width = min(one["x"] + one["w"], other["x"] + other["w"]) - max(one["x"], other["x"])
            height = min(one["y"] + one["h"], other["y"] + other["h"]) - max(one["y"], other["y"])
            if width > 2 and height > 2:  # a shared pixel edge is not an overlap
                found.append((one["text"], other["text"]))
    return found


@pytest.fixture
def sized_page(browser, dashboard):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.mark.parametrize("slide", [False, True], ids=["screen", "slide"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("path", list(PAGES), ids=[p or "overview" for p in PAGES])
def test_no_chart_text_overlaps_and_the_first_chart_is_on_screen(
    sized_page, dashboard: str, artifacts: Path, path: str, size: tuple[int, int], slide: bool
) -> None:
    sized_page.set_viewport_size({"width": size[0], "height": size[1]})
    query = "?ns=falcosecurity" if path == "pulls" else ""
    query += ("&" if query else "?") + "slide=1" if slide else ""
    _open(sized_page, f"{dashboard}/{path}{query}", PAGES[path])
    theme = "slide" if slide else "screen"
    sized_page.screenshot(path=str(artifacts / f"layout-{path or 'overview'}-{theme}-{size[0]}x{size[1]}.png"))
    charts = sized_page.locator(".js-plotly-plot")
    first = charts.first.bounding_box()
    assert first is not None
    if path != "catalog":  # the catalog page opens on its card and table; its one chart comes after
        assert first["y"] < size[1], "the first chart starts below the first screen"
    for number in range(charts.count()):
        boxes = charts.nth(number).evaluate(BOXES_JS.replace("arguments_selector", repr(TEXT)))
        assert boxes, number
        assert not _overlaps(boxes), (number, _overlaps(boxes)[:5])
        assert not _outside(boxes, charts.nth(number).bounding_box()), (number, _outside(boxes, first)[:5])


def _outside(boxes: list[dict], chart: dict) -> list[str]:
    """The texts that run past the chart's left or right edge: words cut off on screen."""
    left, right = chart["x"] - 2, chart["x"] + chart["width"] + 2
    return [box["text"] for box in boxes if box["x"] < left or box["x"] + box["w"] > right]


@pytest.mark.parametrize("slide", [False, True], ids=["screen", "slide"])
def test_a_four_line_title_sits_above_the_plot(sized_page, dashboard: str, artifacts: Path, slide: bool) -> None:
    _open(sized_page, f"{dashboard}/{LONG_TITLE}" + ("&slide=1" if slide else ""), PAGES["pulls"])
    chart = sized_page.locator(".js-plotly-plot").first
    sized_page.screenshot(
        path=str(artifacts / f"layout-pulls-long-title-{'slide' if slide else 'screen'}-1366x768.png")
    )
    boxes = chart.evaluate(BOXES_JS.replace("arguments_selector", repr(TEXT)))
    title = [box for box in boxes if box["text"].startswith("Pulls per week")]
    left = chart.bounding_box()["x"]
    ticks = [box for box in boxes if box["text"] and box["text"][0].isdigit() and box["x"] < left + 150]
    assert title and ticks
    title_bottom = max(box["y"] + box["h"] for box in chart.evaluate(
        "(root) => Array.from(root.querySelectorAll('.gtitle')).map(e => {const r = e.getBoundingClientRect();"
        " return {y: r.top, h: r.height};})"
    ))  # fmt: skip
    assert title_bottom <= min(box["y"] for box in ticks), (title_bottom, ticks[:2])
    legend = chart.evaluate("(root) => root.querySelector('.legend').getBoundingClientRect().width")
    assert legend < chart.bounding_box()["width"] / 2  # the plot keeps at least half the chart's width
