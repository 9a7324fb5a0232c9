"""The deck in the dashboard (AppTest): "Add to deck" under a chart, the sidebar's list, order and download."""

from __future__ import annotations

import io
import zipfile

from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard import deck_panel, widgets

SURVEYS = "app_pages/surveys.py"
PULLS = "app_pages/pulls.py"


def _button(at: AppTest, key: str):
    return next(button for button in at.button if button.key == key)


def test_an_empty_deck_says_so_and_cannot_be_downloaded(app: AppTest) -> None:
    at = app.run()
    assert not at.exception
    assert any("The deck is empty" in caption.value for caption in at.sidebar.caption)
    assert next(
        b for b in at.sidebar.get("download_button") if b.proto.label.startswith("Download deck")
    ).proto.disabled


def test_add_to_deck_keeps_the_view_and_the_deck_can_be_reordered(app: AppTest) -> None:
    app.run()
    at = app.switch_page(SURVEYS).run()
    assert not at.exception, [e.value for e in at.exception]
    shares = next(button for button in at.button if button.key.startswith("deck-add-survey-"))
    shares.click().run()
    at.switch_page(PULLS).run()
    _button(at, "deck-add-pulls-week").click().run()
    views = list(at.session_state[deck_panel.DECK_KEY])
    assert len(views) == 2
    # The Surveys page opens on 2021's published tables (Part 1), containers in production: Q13.
    assert views[0].startswith("surveys?") and "q=Q16" in views[0] and views[0].endswith("chart=shares")
    assert views[1].startswith("pulls?") and views[1].endswith("chart=pulls")
    assert "survey=" not in views[1]  # a view keeps only its own page's parameters
    _button(at, "deck-down-0").click().run()
    assert at.session_state[deck_panel.DECK_KEY] == [views[1], views[0]]
    deck = Presentation(io.BytesIO(deck_panel.deck_bytes(at.session_state[deck_panel.DECK_KEY])))
    assert len(deck.slides) == 2
    assert all(sum(shape.has_chart for shape in slide.shapes) == 1 for slide in deck.slides)
    _button(at, "deck-remove-0").click().run()
    assert at.session_state[deck_panel.DECK_KEY] == [views[0]]


def test_the_talk_pack_holds_the_deck(app: AppTest) -> None:
    app.run()
    at = app.switch_page(SURVEYS).run()
    exhibits = list(at.session_state[widgets.EXHIBITS_KEY].values())
    views = ["surveys?survey=Cloud_Native_Survey_1H_2020&q=Q16&item=Production&chart=shares"]
    data = widgets.build_zip(exhibits, "Surveys", "?", None, deck_panel.deck_bytes(views))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "deck.pptx" in archive.namelist()
        assert "deck.pptx" in archive.read("sources.md").decode()
        assert len(Presentation(io.BytesIO(archive.read("deck.pptx"))).slides) == 1
