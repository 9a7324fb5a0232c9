"""What every page shares: charts and tables with their downloads, the slide switch and the talk pack."""

from __future__ import annotations

import html
import re
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import deck_panel, images
from dashboard.markup import label_literal, literal
from dashboard.talkpack import Exhibit, build_zip, slug
from exports.tables import to_csv_text

EXHIBITS_KEY = "_exhibits"
SLIDE_KEY = "slide"


def slide_mode() -> bool:
    """True when the slide theme is on."""
    return bool(st.session_state.get(SLIDE_KEY, False))


def reset_exhibits() -> None:
    """Start a new run's exhibits (the charts and tables of the current view), by their place on the page."""
    st.session_state[EXHIBITS_KEY] = {}


def current_exhibits() -> list[Exhibit]:
    """Return the charts and tables shown in this run."""
    return list(st.session_state.get(EXHIBITS_KEY, {}).values())


def _register(exhibit: Exhibit) -> None:
    # A fragment's rerun replaces its own exhibits in the same dict, which the talk pack reads when clicked.
    st.session_state.setdefault(EXHIBITS_KEY, {})[exhibit.slot or exhibit.key] = exhibit


def _talk_pack(registry: dict[str, Exhibit], view: str, link: str, deck: list[str]) -> bytes:
    renderer = images.render if images.chromium_path() is not None else None
    return build_zip(list(registry.values()), view, link, renderer, deck_panel.deck_bytes(deck) if deck else None)


def _csv_bytes(table: pd.DataFrame) -> bytes:
    return to_csv_text(table).encode("utf-8")


def _image_bytes(exhibit: Exhibit, fmt: str) -> bytes:
    return images.render(exhibit.figure, fmt)


def csv_button(table: pd.DataFrame, key: str, label: str = "CSV") -> None:
    """A download button that writes `table` as CSV (formulas made inert) when clicked."""
    st.download_button(
        literal(label),
        data=partial(_csv_bytes, table),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
        icon=":material/download:",
    )


def show_chart(exhibit: Exhibit, height: int | None = None) -> None:
    """Draw the exhibit's chart (built in the current theme), with CSV, PNG and SVG downloads under it."""
    exhibit.key = slug(exhibit.key)
    if height:
        # A figure made taller to fit its type (slide theme) keeps that height: a smaller one would overlap.
        exhibit.figure.update_layout(height=max(height, exhibit.figure.layout.height or 0))
    # theme=None: the figure carries its own theme, so the browser is spared merging Streamlit's on each redraw.
    st.plotly_chart(exhibit.figure, theme=None, config=images.toolbar_config(exhibit.key), key=f"chart-{exhibit.key}")
    # One horizontal row rather than columns: fewer elements for the browser to lay out on every rerun.
    with st.container(horizontal=True, gap="small"):
        if exhibit.table is not None:
            csv_button(exhibit.table, exhibit.key)
        if images.chromium_path() is not None:
            for fmt in ("png", "svg"):
                st.download_button(
                    literal(fmt.upper()),
                    data=partial(_image_bytes, exhibit, fmt),
                    file_name=f"{exhibit.key}.{fmt}",
                    mime=images.FORMATS[fmt],
                    key=f"{fmt}-{exhibit.key}",
                    on_click="ignore",
                    icon=":material/image:",
                    help="1920x1080, slide theme, title, source and date inside",
                )
        else:
            st.caption("Images: use the chart's camera button (1920x1080 PNG); no Chromium on this server.")
        if exhibit.deck_chart:
            deck_panel.add_button(exhibit.deck_chart, exhibit.key, chart_title(exhibit))
    _register(exhibit)


def chart_title(exhibit: Exhibit) -> str:
    """The title drawn on the exhibit's chart as plain one-line text (its line breaks and entities undone)."""
    drawn = exhibit.figure.layout.title.text if exhibit.figure is not None else None
    if not drawn:
        return exhibit.title
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", drawn)).split())


def show_table(exhibit: Exhibit, column_config: dict | None = None, shown: pd.DataFrame | None = None) -> None:
    """Show the exhibit's table (or `shown`, its rounded form) with a CSV download of the table under it."""
    exhibit.key = slug(exhibit.key)
    table = exhibit.table if shown is None else shown
    st.dataframe(table, hide_index=True, column_config=column_config, key=f"table-{exhibit.key}")
    csv_button(exhibit.table, exhibit.key)
    _register(exhibit)


def talk_pack_button(view: str, link: str) -> None:
    """Sidebar button: one zip with this view's charts, the CSVs behind them and sources.md."""
    exhibits = current_exhibits()
    registry = st.session_state.setdefault(EXHIBITS_KEY, {})
    # The deck in the pack: the session's deck, else this view's charts, one slide each.
    shown = [deck_panel.current_view(exhibit.deck_chart) for exhibit in exhibits if exhibit.deck_chart]
    deck = deck_panel.deck_views() or [view for view in shown if view]
    st.download_button(
        "Talk pack (zip)",
        data=partial(_talk_pack, registry, view, link, deck),
        file_name=f"talk-pack-{slug(view)}.zip",
        mime="application/zip",
        key="talk-pack",
        on_click="ignore",
        disabled=not exhibits,
        icon=":material/folder_zip:",
        help=f"{len(exhibits)} charts and tables of this view, PNG + SVG + CSV, sources.md and deck.pptx",
    )


def card(label: str, value: str, lines: list[str]) -> None:
    """A bordered headline card: a big number and the lines that qualify it (base, n, interval, source, date)."""
    with st.container(border=True):
        st.metric(label_literal(label), value)
        # One caption with line breaks: a card is then two elements for the browser to render, not six.
        st.caption(literal("  \n".join(str(line) for line in lines)))


def reproduce(command: str | None, why_not: str = "") -> None:
    """A small "Reproduce" popover holding the `python -m analysis` command that prints the figure above it."""
    # A popover, not an expander: its content is built only when opened, so a first visit does not load
    # the code block's syntax highlighter (1.5 MB of JavaScript) alongside plotly.
    with st.popover("Reproduce", icon=":material/terminal:", type="tertiary"):
        if command:
            st.caption("Run from the project folder; it prints the same number.")
            st.code(command, language="bash", wrap_lines=True)
        else:
            st.caption(literal(why_not) if why_not else "No single command prints this figure.")
