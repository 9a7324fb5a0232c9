"""The talk pack: one zip with the charts of a view, the CSVs behind them and a sources.md citing each number."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from exports.tables import to_csv_text


@dataclass
class Exhibit:
    """One chart or table of a view, with where its numbers come from and the sentences to quote."""

    key: str
    title: str
    source: str
    as_of: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    slot: str | None = None  # where it sits on the page; a redraw there replaces it (defaults to key)
    deck_chart: str | None = None  # its name in a deck view (`analysis.views.spec.PAGE_CHARTS`), if it makes a slide


def slug(text: str) -> str:
    """Return a file-name-safe form of `text`."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return cleaned[:60] or "chart"


def sources_markdown(exhibits: Sequence[Exhibit], view: str, link: str) -> str:
    """Return sources.md: for each exhibit its files, source, date and quotable numbers."""
    lines = [f"# Sources: {view}", "", f"View: {link}", ""]
    for exhibit in exhibits:
        lines += [f"## {exhibit.title}", ""]
        if exhibit.figure is not None:
            lines.append(f"- Chart: charts/{exhibit.key}.png, charts/{exhibit.key}.svg")
        if exhibit.table is not None:
            lines.append(f"- Table: tables/{exhibit.key}.csv ({len(exhibit.table)} rows)")
        lines += [f"- Source: {exhibit.source}", f"- Data as of: {exhibit.as_of}"]
        lines += [f"- {note}" for note in exhibit.notes]
        lines.append("")
    return "\n".join(lines)


def build_zip(
    exhibits: Sequence[Exhibit],
    view: str,
    link: str,
    render: Callable[[go.Figure, str], bytes] | None,
    deck: bytes | None = None,
) -> bytes:
    """Return the zip bytes; charts are rendered with `render(fig, fmt)` unless it is None; `deck` is deck.pptx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for exhibit in exhibits:
            if exhibit.figure is not None and render is not None:
                for fmt in ("png", "svg"):
                    archive.writestr(f"charts/{exhibit.key}.{fmt}", render(exhibit.figure, fmt))
            if exhibit.table is not None:
                archive.writestr(f"tables/{exhibit.key}.csv", to_csv_text(exhibit.table))
        if deck is not None:
            archive.writestr("deck.pptx", deck)
        archive.writestr(
            "sources.md", sources_markdown(exhibits, view, link) + ("\n- Deck: deck.pptx\n" if deck else "")
        )
    return buffer.getvalue()
