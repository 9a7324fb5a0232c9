"""The deck rendered by LibreOffice (headless Impress): every word of every slide lies inside the slide.

Needs `soffice` (Debian's libreoffice-impress-nogui) and `pdftotext` (poppler-utils), both installed by
tests/setup.sh; where they are missing the test is skipped, except in CI where that is a failure.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.deck.deck_helpers import VIEWS, build, open_deck, texts_of

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def _tools_or_skip() -> None:
    missing = [tool for tool in ("soffice", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (apt-get install libreoffice-impress-nogui poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: run tests/setup.sh")
        pytest.skip(reason)


def render_pdf(deck: Path, folder: Path) -> Path:
    """The deck as PDF, rendered by LibreOffice with a private profile (parallel runs do not share a lock)."""
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         str(deck)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return folder / f"{deck.stem}.pdf"


def words_by_page(pdf: Path) -> list[tuple[tuple[float, float], list[tuple[float, float, float, float, str]]]]:
    """Each page's size and the bounding box of each word on it (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for chunk in html.split("<page ")[1:]:
        width, height = map(float, _PAGE.match("<page " + chunk).groups())
        words = [(*map(float, found[:4]), found[4]) for found in _WORD.findall(chunk)]
        pages.append(((width, height), words))
    return pages


def _plain(word: str) -> str:
    return html.unescape(word)


def test_no_text_runs_outside_its_slide(tmp_path: Path, seeded_db: str) -> None:
    _tools_or_skip()
    deck = tmp_path / "talk.pptx"
    assert build(list(VIEWS.values()), deck, seeded_db) == 0
    pages = words_by_page(render_pdf(deck, tmp_path))
    assert len(pages) == len(VIEWS)
    for number, ((width, height), words) in enumerate(pages, start=1):
        assert len(words) > 20, number  # title, question, axis labels and footer were drawn
        for x_min, y_min, x_max, y_max, word in words:
            assert 0 <= x_min and x_max <= width and 0 <= y_min and y_max <= height, (number, word)
    # A word pushed past the slide's edge is not drawn at all: every word of every text box must be there.
    for number, (slide, (_, words)) in enumerate(zip(open_deck(deck).slides, pages, strict=True), start=1):
        # Counted by character: LibreOffice may break a line at a hyphen, splitting a word in two.
        drawn = Counter("".join(_plain(word[4]) for word in words))
        written = Counter("".join("".join(texts_of(slide)).split()))
        assert not written - drawn, (number, written - drawn)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "48", "-png", str(tmp_path / "talk.pdf"), str(ARTIFACTS / "deck-slide")], check=True
    )


LINE_BLUE = (0x00, 0x72, 0xB2)  # the first line's colour (exports.deck.PALETTE[0])


def _blue_rows(png: Path, left: float, right: float, top: float, bottom: float) -> list[bool]:
    """For each pixel row from `top` to `bottom`, whether the line's blue is drawn between `left` and `right`."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    pixels = image.load()

    def blue(x: int, y: int) -> bool:
        return sum(abs(a - b) for a, b in zip(pixels[x, y], LINE_BLUE, strict=True)) < 90

    return [any(blue(x, y) for x in range(int(left), int(right) + 1)) for y in range(int(top), int(bottom) + 1)]


def test_the_rendered_partial_month_is_a_dashed_segment(tmp_path: Path, seeded_db: str) -> None:
    _tools_or_skip()
    deck = tmp_path / "month.pptx"
    assert build([VIEWS["month"]], deck, seeded_db) == 0
    pdf = render_pdf(deck, tmp_path)
    (_, words), dpi = words_by_page(pdf)[0], 100
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(tmp_path / "month")], check=True)
    png, scale = next(tmp_path.glob("month*.png")), dpi / 72
    ticks = {word[4]: word for word in words}
    # The fall from July (3.27 M) to August 2026 (0.88 M, 8 of 31 days): between the last two x positions, from
    # the 3,000,000 gridline down to the 1,000,000 one, clear of both markers.
    month = next(i for i, word in enumerate(words) if word[4] == "Jul" and words[i + 1][4] == "2026")
    centre, width = (words[month][0] + words[month + 1][2]) / 2, words[month + 1][2] - words[month][0]
    left, right = centre * scale, (centre + width) * scale  # from July's tick to about where August's would be
    top = (ticks["3,000,000"][1] + ticks["3,000,000"][3]) / 2 * scale
    bottom = (ticks["1,000,000"][1] + ticks["1,000,000"][3]) / 2 * scale
    rows = _blue_rows(png, left, right, top, bottom)
    drawn = sum(rows) / len(rows)
    # A solid segment covers every row; the dashed one leaves gaps between its dashes (yet is drawn at all).
    assert 0.3 < drawn < 0.85, drawn
