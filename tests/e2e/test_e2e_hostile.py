"""In a real Chromium: HTML in image names from the store and in a link's events stays text inside the chart.

Plotly draws `<a href>` as a live SVG link and `<span style>` as a styled tspan; neither may come from data.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from store import open_store
from tests.e2e.conftest import seeded_store, start_dashboard
from tests.hostile.hostile_helpers import HOSTILE_EVENT, HOSTILE_NAMES, hostile_snapshots

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def hostile_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard whose store holds images named with HTML."""
    folder = tmp_path_factory.mktemp("e2e-hostile")
    path = seeded_store(folder)
    engine = open_store(f"sqlite:///{path}")
    engine.save_snapshots(hostile_snapshots())
    engine.close()
    process, url = start_dashboard(path, {"ADOPTION_CACHE_DIR": str(folder / "cache")})
    yield url
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_no_link_or_styled_text_in_the_pulls_chart_comes_from_data(
    browser, hostile_dashboard: str, artifacts: Path
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1600})
    page = context.new_page()
    query = urlencode({"events": HOSTILE_EVENT, "measure": "cumulative"})
    page.goto(f"{hostile_dashboard}/pulls?{query}")
    chart = page.locator(".js-plotly-plot").first
    chart.locator(".legendtext", has_text="evil/").first.wait_for(timeout=TIMEOUT_MS)
    chart.locator(".annotation-text", has_text="Click").first.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "hostile-pulls.png"), full_page=False)

    # Plotly's own toolbar uses <a> outside the SVG: inside the drawing there must be none.
    assert chart.locator("svg a").count() == 0
    styles = chart.locator("svg tspan[style]").evaluate_all("nodes => nodes.map(node => node.getAttribute('style'))")
    assert not [style for style in styles if "60px" in style or "red" in style]
    legend = chart.locator(".legendtext").all_text_contents()
    assert {f"evil/{name}" for name in HOSTILE_NAMES} <= set(legend)  # shown, as the words they are
    notes = chart.locator(".annotation-text").all_text_contents()
    assert HOSTILE_EVENT.split(" ", 1)[1] in notes
    title = chart.locator(".gtitle").text_content()
    assert "evil/<span" in title
    context.close()
