"""What one slide shows, as plain data: a chart's numbers with its words. Built by analysis, drawn by exports.deck.

Words are kept whole: a title or a footer is shortened at a word, never inside one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

TITLE_CHARS = 70  # a slide or chart title longer than this is shortened at a word, the full text kept beside it


@dataclass
class Series:
    """One series of a chart: its name and one value per category (None where there is none)."""

    name: str
    values: list[float | None]


@dataclass
class Slide:
    """What one slide shows: a chart's numbers with its words, footer, sentences to quote and command."""

    view: str
    kind: str  # "bar" (shares), "clustered"/"stacked" (crosstab, catalog), "line" (waves), "dates" (pulls), "number"
    title: str  # short, never cut inside a word
    subtitle: str  # the full question or what the lines are
    categories: list
    series: list[Series]
    number_format: str  # Excel format of the values: "0%" or "#,##0"
    footer: str
    table: pd.DataFrame
    command: str = ""
    sentence: str = ""
    short: str = ""
    notes: list[str] = field(default_factory=list)
    intervals: list[tuple[list[float], list[float]]] = field(default_factory=list)  # (low, high) per series
    log_scale: bool = False
    # Per series, the positions (in `categories`) of partial periods: a month the history covers only
    # in part, drawn with a distinct marker and a dashed segment so its lower total is not read as a fall.
    partial_points: list[list[int]] = field(default_factory=list)
    figure: str = ""  # a "number" slide's one figure ("411 of 2,251"); `sentence` says what it counts
    flagged_series: bool = False  # the last series holds flagged points only: drawn as markers, not a line
    # A second chart under the first, sharing the slide (a technology: survey share by wave, then pulls per week).
    panel: Slide | None = None
    # The first and last day of a date axis shared by a slide's charts, so a point sits above its time in each.
    date_span: tuple | None = None
    # Each point of the first series named on the chart ("2019", "1H 2020"), its value after: a date axis says
    # when a wave sits, not which wave it is.
    point_names: list[str] = field(default_factory=list)


def short_title(text: str, limit: int = TITLE_CHARS) -> str:
    """A title of at most about `limit` characters from `text`: its first clause, else whole words and "…".

    Never cuts inside a word: the full text is meant to be shown beside it (a subtitle or a note).
    """
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    for mark in ("? ", ": ", "; ", ". ", " – ", " — ", " (", ", "):
        head = flat.split(mark, 1)[0].rstrip(" ,;:")
        if 12 <= len(head) <= limit:
            return head + ("?" if mark == "? " else "…" if mark in (", ", " (") else "")
    return whole_words(flat, limit)


def whole_words(text: str, limit: int) -> str:
    """Return `text` kept to whole words within `limit` characters, "…" where some were left off."""
    if len(text) <= limit:
        return text
    kept = ""
    # Only words within the first `limit` characters can be kept (the one cut there never fits): splitting
    # just those keeps this linear in `limit`, not in the text, which may be a 30,000-word question.
    for word in text[:limit].split(" "):
        if len(kept) + len(word) + 1 > limit - 1:
            break
        kept = f"{kept} {word}".strip()
    return (kept or text.split(" ", 1)[0]) + "…"
