"""Nothing is fetched from outside the server when a page loads: the dashboard works offline."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

PAGES = ["", "/pulls", "/surveys"]
TRACE = ".js-plotly-plot .scatterlayer .trace, .js-plotly-plot .barlayer .trace"


@pytest.mark.parametrize("path", PAGES, ids=["overview", "pulls", "surveys"])
def test_a_page_load_asks_only_the_dashboard_server(dashboard: str, browser, path: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(dashboard + path)
    page.locator(TRACE).first.wait_for(timeout=120_000)
    page.wait_for_timeout(1_000)  # the favicon and fonts are asked for after the first paint
    context.close()
    served_here = urlsplit(dashboard).netloc
    outside = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    outside = [url for url in outside if urlsplit(url).netloc != served_here]
    assert requested and not outside
