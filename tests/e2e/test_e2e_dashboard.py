"""The dashboard in a real headless Chromium: every page shows charts or tables, no exception, CSV downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

PAGES = {
    "": "Adoption at a glance",
    "pulls": "Docker Hub pulls",
    "catalog": "Docker Hub catalog",
    "surveys": "Surveys",
    "upload": "Upload a survey",
}
TIMEOUT_MS = 90_000
VIEWPORTS = [(1366, 768), (1920, 1080)]  # a common laptop and a full-HD screen


def _open(page, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)  # plotly draws after the script run ends


@pytest.fixture
def page(browser, dashboard):
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_without_an_exception(
    page, dashboard: str, artifacts: Path, path: str, size: tuple[int, int]
) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _open(page, f"{dashboard}/{path}", PAGES[path])
    if path in ("", "pulls"):
        page.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(timeout=TIMEOUT_MS)
    if path == "catalog":  # its first bar trace (exact counts) is empty on the bundled snapshot: all are buckets
        page.locator(".js-plotly-plot .barlayer .trace").last.wait_for(timeout=TIMEOUT_MS)
    if path == "surveys":
        page.locator(".js-plotly-plot .barlayer .trace").first.wait_for(timeout=TIMEOUT_MS)
    # The screenshot shows the finished page, not the placeholders of a run still going on.
    page.wait_for_selector("[data-testid='stSkeleton']", state="detached", timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / f"page-{path or 'overview'}-{size[0]}x{size[1]}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0


def test_pulls_csv_download_holds_the_charted_series(page, dashboard: str) -> None:
    _open(page, f"{dashboard}/pulls?image=falcosecurity/falco&measure=month", "Docker Hub pulls")
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        page.locator(".st-key-csv-pulls-month button").click()
    download = download_info.value
    assert download.suggested_filename == "pulls-month.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["image", "period", "pulls", "flag", "estimated", "days", "days_in_period", "partial"]
    # The last month is partial, and the CSV says so: 8 of August's 31 days.
    assert (rows[-1]["pulls"], rows[-1]["days"], rows[-1]["days_in_period"], rows[-1]["partial"]) == (
        "883502.0", "8", "31", "True"
    )  # fmt: skip
    assert {row["image"] for row in rows} == {"falcosecurity/falco"}
    # The monthly pulls add up to the last count minus the first (73,777,471 - 43,254,957).
    assert sum(float(row["pulls"]) for row in rows if row["pulls"]) == 73_777_471 - 43_254_957


def test_a_shared_link_opens_the_same_view(page, dashboard: str) -> None:
    _open(page, f"{dashboard}/pulls?image=kwdb/kwdb&measure=day&scale=log", "Docker Hub pulls")
    page.locator(".js-plotly-plot .gtitle", has_text="Pulls per day: kwdb/kwdb").wait_for(timeout=TIMEOUT_MS)
    page.locator(".js-plotly-plot .ytitle", has_text="Pulls per day").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".js-plotly-plot .gtitle", has_text="falcosecurity").count() == 0
