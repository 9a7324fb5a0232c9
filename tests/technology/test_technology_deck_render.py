"""The technology slides rendered by LibreOffice: every word inside the slide, both charts drawn; PNGs kept."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

from analysis.__main__ import main
from tests.deck.deck_helpers import open_deck, texts_of
from tests.deck.test_deck_render import ARTIFACTS, _plain, _tools_or_skip, render_pdf, words_by_page

VIEWS = ["technologies?technology=falco", "technologies?technology=kubernetes&technology=falco&technology=istio"]


def test_technology_slides_keep_every_word_inside(tmp_path: Path, seeded_db: str) -> None:
    _tools_or_skip()
    deck = tmp_path / "technology.pptx"
    assert main(["deck", *VIEWS, "-o", str(deck), "--db", seeded_db]) == 0
    pages = words_by_page(render_pdf(deck, tmp_path))
    assert len(pages) == len(VIEWS)
    for number, ((width, height), words) in enumerate(pages, start=1):
        drawn_text = " ".join(word[4] for word in words)
        assert "2019" in drawn_text and "%" in drawn_text, number  # the survey chart's axis and waves
        assert "2024" in drawn_text or "Aug" in drawn_text, number  # the pulls chart's date axis
        for x_min, y_min, x_max, y_max, word in words:
            assert 0 <= x_min and x_max <= width and 0 <= y_min and y_max <= height, (number, word)
    for number, (slide, (_, words)) in enumerate(zip(open_deck(deck).slides, pages, strict=True), start=1):
        drawn = Counter("".join(_plain(word[4]) for word in words))
        written = Counter("".join("".join(texts_of(slide)).split()))
        assert not written - drawn, (number, written - drawn)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "48", "-png", str(tmp_path / "technology.pdf"), str(ARTIFACTS / "deck-technology")],
        check=True,
    )
