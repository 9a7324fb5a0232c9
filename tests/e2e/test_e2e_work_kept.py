"""A person's work is never silently dropped: "Add to deck" shows in the sidebar at once; /overview opens."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 90_000
ROOT = Path(__file__).resolve().parents[2]


def _open(page, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=TIMEOUT_MS)


def _quiet(page, seconds: int = 3) -> None:
    """Wait until no script run has shown for `seconds` in a row (Streamlit shows its status after a delay)."""
    calm = 0
    for _ in range(120):
        running = page.locator("[data-testid='stStatusWidget']").count() > 0
        calm = 0 if running else calm + 1
        if calm >= seconds * 4:
            return
        page.wait_for_timeout(250)


def _settled(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=TIMEOUT_MS)


@pytest.fixture
def page(browser, dashboard):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def _sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def test_add_to_deck_on_the_pulls_chart_shows_in_the_sidebar_at_once(page, dashboard: str) -> None:
    _open(page, f"{dashboard}/pulls?image=falcosecurity/falco&measure=month", "Docker Hub pulls")
    sidebar = _sidebar(page)
    sidebar.get_by_text("Deck (0 slides)").wait_for(timeout=TIMEOUT_MS)
    download = sidebar.get_by_role("button", name="Download deck (.pptx)")
    assert download.is_disabled()
    # The main chart's button sits in a fragment: before the fix only the fragment reran.
    page.locator(".st-key-deck-add-pulls-month").get_by_role("button", name="Add to deck").click()
    sidebar.get_by_text("Deck (1 slide)").wait_for(timeout=TIMEOUT_MS)
    _settled(page)
    assert not download.is_disabled()
    # Listed by the chart's title, not its query string.
    assert sidebar.get_by_text("1. Pulls per month: falcosecurity/falco").count() == 1
    assert sidebar.get_by_text("chart=pulls").count() == 0
    page.locator(".st-key-deck-add-pulls-milestone").get_by_role("button", name="Add to deck").click()
    sidebar.get_by_text("Deck (2 slides)").wait_for(timeout=TIMEOUT_MS)
    _settled(page)
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        download.click()
    from io import BytesIO

    from pptx import Presentation

    deck = Presentation(BytesIO(open(download_info.value.path(), "rb").read()))
    assert len(deck.slides) == 2


def test_the_overview_answers_at_its_own_name(page, dashboard: str) -> None:
    _open(page, f"{dashboard}/overview", "Adoption at a glance")
    assert page.get_by_text("Page not found").count() == 0


TARGETS = {"<10": 10, "10-49": 15, "50-99": 10, "100-499": 20, "500-999": 10, "1000-4999": 15, ">5000": 20}
ROW_PX = 35  # the data grid's header and row height


def _open_weighting(page, dashboard: str) -> None:
    _open(page, f"{dashboard}/surveys?survey=Cloud_Native_Survey_2019&q=Q15&item=Production", "Surveys")
    page.get_by_text("Weighting: rake to known margins").click()
    chosen = page.locator("[class*='st-key-rake-questions-'] [data-baseweb='tag']")
    grid = page.locator("[class*='st-key-rake-targets-'] [data-testid='stDataFrameResizable']")
    for attempt in range(3):
        # The pick can miss while a rerun redraws the box (typed before it opened): pick again, never twice.
        if chosen.count() == 0:
            page.locator("[class*='st-key-rake-questions-'] input").click()
            page.keyboard.type("Q2")
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
        try:
            grid.wait_for(timeout=TIMEOUT_MS // 3)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    _quiet(page)


def _apply_and_download_targets(page) -> dict[str, float]:
    page.get_by_role("button", name="Apply targets").click()
    _settled(page)
    page.get_by_text("Weight every figure on this page").click()
    _settled(page)
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        page.get_by_role("button", name="targets-Q2.csv").click()
    rows = list(csv.DictReader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read())))
    return {row["answer"]: float(row["target"]) for row in rows}


def _type_targets(page, during_runs: bool = False) -> None:
    """Type every target a second apart; with `during_runs`, other page runs start and finish while typing."""
    grid = page.locator("[class*='st-key-rake-targets-'] [data-testid='stDataFrameResizable']")
    grid.scroll_into_view_if_needed()
    editor = page.locator("#portal input, #portal textarea").first  # the cell's editor, over the grid
    for row, value in enumerate(TARGETS.values()):
        for _attempt in range(5):
            # Found again each time: a page run may move the grid. The "target %" column is the last third.
            box = grid.bounding_box()
            page.mouse.dblclick(box["x"] + box["width"] * 5 / 6, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
            if editor.is_visible() or _editor_opens(editor):
                break
        editor.fill(str(value))
        editor.press("Enter")
        editor.wait_for(state="detached", timeout=TIMEOUT_MS)
        if during_runs and row in (2, 4):
            # Another run of the whole page, started between two edits and finishing during the next ones.
            base = "all respondents in the file" if row == 2 else "respondents who answered"
            page.get_by_text(base, exact=True).click()  # the radio's label, not a caption quoting the words
        page.wait_for_timeout(1000)  # a person typing: before the fix, each edit ran the page and the next was lost


def _editor_opens(editor) -> bool:
    from playwright.sync_api import TimeoutError as EditorNotOpen

    try:
        editor.wait_for(timeout=3000)
    except EditorNotOpen:
        return False
    return True


def test_targets_typed_a_second_apart_are_all_used(page, dashboard: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 1400})
    _open_weighting(page, dashboard)
    _type_targets(page)
    assert _apply_and_download_targets(page) == {answer: float(value) for answer, value in TARGETS.items()}
    assert page.locator("[data-testid='stException']").count() == 0


def test_targets_typed_while_other_runs_of_the_page_finish_are_all_used(page, dashboard: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 1400})
    _open_weighting(page, dashboard)
    # Weighting on: the page's run after it rakes and redraws every figure while the first targets are typed.
    page.get_by_text("Weight every figure on this page").click()
    _type_targets(page, during_runs=True)
    page.get_by_role("button", name="Apply targets").click()
    _settled(page)
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        page.get_by_role("button", name="targets-Q2.csv").click()
    rows = list(csv.DictReader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read())))
    assert {row["answer"]: float(row["target"]) for row in rows} == {a: float(v) for a, v in TARGETS.items()}
    # The targets used are shown beside what the weights reach: the typed ones, not the sample's.
    assert page.get_by_text("The targets used, beside what the weights reach:").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_targets_csv_upload_seeds_the_grid(page, dashboard: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 1400})
    _open_weighting(page, dashboard)
    page.locator("[class*='st-key-rake-upload-'] input[type='file']").set_input_files(
        str(ROOT / "docs" / "examples" / "targets-company-size.csv")
    )
    _settled(page)
    assert _apply_and_download_targets(page) == {answer: float(value) for answer, value in TARGETS.items()}
