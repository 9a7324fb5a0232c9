"""A person's work is never silently dropped: "Add to deck" shows in the sidebar at once; /overview opens."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 90_000


def _open(page, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=TIMEOUT_MS)


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
