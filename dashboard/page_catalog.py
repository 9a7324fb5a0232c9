"""Docker Hub catalog: how many images pass a pull threshold, how pulls are spread, and published claims beside them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.catalog.stats import (
    DEFAULT_THRESHOLD,
    by_source,
    concentration,
    distribution,
    parse_pulls,
    pulls_label,
    threshold_count,
    threshold_ladder,
)
from analysis.errors import InvalidInput
from analysis.reproduce import catalog as commands
from analysis.views.catalog import base_words
from dashboard import catalog_charts, catalog_loaders, catalog_tables, charts, deck_panel, state, table_display, widgets
from dashboard import pull_loaders as loaders
from dashboard.markup import literal
from dashboard.table_display import Headers
from dashboard.talkpack import Exhibit

RANGES_NOTE = (
    'Counts from Docker Hub\'s search are buckets: "10M+" is at least 10,000,000 and under 50,000,000; '
    '"1B+" has no upper bound; "7.9K" is 7,850 to 7,950. Counts from namespace listings are exact. '
    'An image counts as "at least X" only when its lower bound is; a sum with any bucket in it is "at least".'
)
CONCENTRATION_TITLE = "Concentration: share of all catalog pulls held by the top images"
CONCENTRATION_NOTE = (
    '"Share, at least" to "at most" bound the true share (an open-ended "1B+" leaves it open up to 100%); '
    '"Share of pulls (lower bounds)" is the top images\' lower bounds over all lower bounds: a figure, not a bound.'
)
SOURCES_NOTE = (
    '"Pulls (at least)" is a lower bound unless "Pulls exact" is ticked; "Pulls (at most)" is empty where a '
    "count has no upper bound. The CSV keeps the analysis' column names and unrounded shares."
)
CLAIMS_TITLE = "Published claims beside what the store measures"
CLAIMS_NOTE = (
    "Each claim in its own words, with what it counts; the measured figure counts only this snapshot's images. "
    'Claims marked "unverified here" could not be checked against their source.'
)
HISTORY_NOTE = (
    "Each snapshot counts the images whose lower bound reaches the threshold: a floor, snapshot by snapshot. "
    "Exact counts are checked for the counters' known faults: stuck at the int32 cap 2,147,483,647 (nginx, "
    "redis and traefik until early 2021), a count that went down (a reset), a count that stalled."
)
CLAIM_COLUMNS = ["who", "words", "date", "counts", "measured", "difference", "verified", "url"]


def _pick_snapshot(url: str, version: tuple) -> pd.Series | None:
    snapshots = catalog_loaders.catalog_snapshots(url, version)
    if snapshots.empty:
        return None
    ids = [int(i) for i in snapshots["snapshot_id"]]
    labels = {
        int(row.snapshot_id): f"{row.observed} · {row.source} ({row.entries:,} images)"
        for row in snapshots.itertuples()
    }
    if "catalog_snapshot" not in st.session_state:
        chosen = state.read_param("snapshot", state.whole_number(1, 10**9), allowed=set(ids))
        st.session_state["catalog_snapshot"] = chosen or ids[-1]
    if len(ids) > 1:
        st.selectbox("Catalog snapshot", ids, key="catalog_snapshot", format_func=labels.get)
    snapshot_id = st.session_state["catalog_snapshot"]
    return snapshots[snapshots["snapshot_id"] == snapshot_id].iloc[0]


def _threshold() -> int:
    if "catalog_pulls" not in st.session_state:
        seeded = state.read_param("pulls", _pulls_param, max_chars=20)
        st.session_state["catalog_pulls"] = seeded or pulls_label(DEFAULT_THRESHOLD)
    text = st.text_input("How many images have at least … pulls?", key="catalog_pulls", max_chars=20, width=240)
    try:
        return parse_pulls(text)
    except InvalidInput:
        # The text is not quoted back: it may have come from the link's `pulls` parameter.
        st.warning("That is not a number of pulls (write e.g. 10M, 1.5B, 500K or 10000000); showing 10M.")
        return DEFAULT_THRESHOLD


def _pulls_param(raw: str) -> str:
    try:
        parse_pulls(raw)
    except InvalidInput:
        raise state.BadParam("not a number of pulls such as 10M") from None
    return raw


def _card(entries: pd.DataFrame, snapshot: pd.Series, pulls: int) -> None:
    row = threshold_count(entries, pulls).iloc[0]
    widgets.card(
        f"Images with at least {row['label'].rstrip('+')} pulls",
        f"{row['images']:,} of {row['base']:,}",
        [
            f"Base: {base_words(entries, snapshot)}",
            f"Counts: {row['bounds']:,} known as a bucket whose lower bound is at or above {pulls:,}, "
            f"{row['exact']:,} exact; {row['straddling']:,} more have a range that straddles it (not counted)",
            f"Date: {snapshot['observed']}",
            f"Source: {snapshot['source']}",
            "Method: an image counts when its lower bound reaches the threshold, so the number is a floor",
        ],
    )
    with st.container(horizontal=True, gap="small"):
        deck_panel.add_button("threshold", "catalog-threshold", "Catalog images past a pull threshold")
        widgets.reproduce(commands.threshold_command(pulls, int(snapshot["snapshot_id"])))


def _history(url: str, version: tuple, pulls: int) -> None:
    """The threshold at each snapshot, when the store holds more than one; counter faults counted beside it."""
    table = catalog_loaders.threshold_history(url, version, pulls)
    if len(table) < 2:
        return
    title = f"Images with at least {pulls_label(pulls)} pulls, snapshot by snapshot"
    command = commands.threshold_history_command(pulls)
    footer = [HISTORY_NOTE, charts.footer_text("Docker Hub catalog snapshots in the store", table["observed"].iloc[-1])]
    figure = catalog_charts.threshold_history_line(table, title, footer, slide=widgets.slide_mode())
    widgets.show_chart(
        Exhibit(
            key="catalog-history",
            title=title,
            source="Docker Hub catalog snapshots in the store",
            as_of=str(table["observed"].iloc[-1]),
            figure=figure,
            table=table,
            notes=[HISTORY_NOTE, f"Reproduce: {command}"],
        ),
        height=420,
    )
    _table("catalog-history-table", "Each snapshot, with the counter faults flagged", table,
           pd.Series({"source": "Docker Hub catalog snapshots in the store", "observed": table["observed"].iloc[-1]}),
           command, HISTORY_NOTE, catalog_tables.HISTORY_HEADERS)  # fmt: skip


def _distribution(entries: pd.DataFrame, snapshot: pd.Series) -> None:
    table = distribution(entries)
    footer = [RANGES_NOTE, charts.footer_text(snapshot["source"], snapshot["observed"])]
    figure = catalog_charts.distribution_bars(
        table, f"Catalog images by pulls ({len(entries):,} images)", footer, slide=widgets.slide_mode()
    )
    command = commands.view_command("distribution", int(snapshot["snapshot_id"]))
    widgets.show_chart(
        Exhibit(
            deck_chart="distribution",
            key="catalog-distribution",
            title="Catalog images by pulls",
            source=str(snapshot["source"]),
            as_of=str(snapshot["observed"]),
            figure=figure,
            table=table,
            notes=[RANGES_NOTE, f"Reproduce: {command}"],
        ),
        height=480,
    )
    widgets.reproduce(command)


def _view(view: str, snapshot_id: int) -> str:
    return commands.view_command(view, snapshot_id)


def _table(
    key: str, title: str, table: pd.DataFrame, snapshot: pd.Series, command: str, note: str, headers: Headers
) -> None:
    st.subheader(literal(title))
    st.caption(literal(note))
    exhibit = Exhibit(key=key, title=title, source=str(snapshot["source"]), as_of=str(snapshot["observed"]),
                      table=table, notes=[note, f"Reproduce: {command}"])  # fmt: skip
    shown = table_display.shown_table(table, headers)
    widgets.show_table(exhibit, column_config=table_display.column_config(shown, headers), shown=shown)
    widgets.reproduce(command)


def render() -> None:
    """Lay out the page."""
    st.title("Docker Hub catalog")
    url, version = loaders.store_url(), loaders.current_version()
    snapshot = _pick_snapshot(url, version)
    if snapshot is None:
        st.warning("The store holds no catalog snapshot: run `python -m collectors dockerhub-catalog`.")
        return
    entries = catalog_loaders.catalog_entries(url, version, int(snapshot["snapshot_id"]))
    pulls = _threshold()
    _card(entries, snapshot, pulls)
    _history(url, version, pulls)
    sid = int(snapshot["snapshot_id"])
    ladder = threshold_ladder(entries)
    _table(
        "catalog-thresholds",
        "At or above each bucket",
        ladder,
        snapshot,
        commands.ladder_command(sid),
        RANGES_NOTE,
        catalog_tables.LADDER_HEADERS,
    )
    _distribution(entries, snapshot)
    concentrated = concentration(entries)
    _table(
        "catalog-concentration",
        CONCENTRATION_TITLE,
        concentrated,
        snapshot,
        _view("concentration", sid),
        CONCENTRATION_NOTE,
        catalog_tables.CONCENTRATION_HEADERS,
    )
    sources = by_source(entries, pulls)
    _table(
        "catalog-by-source",
        "By publisher type",
        sources,
        snapshot,
        _view("by-source", sid),
        SOURCES_NOTE,
        catalog_tables.source_headers(pulls),
    )
    claims = catalog_loaders.claims_table(url, version, sid)[CLAIM_COLUMNS]
    _table(
        "catalog-claims",
        CLAIMS_TITLE,
        claims,
        snapshot,
        _view("claims", sid),
        CLAIMS_NOTE,
        catalog_tables.CLAIM_HEADERS,
    )
    several = len(catalog_loaders.catalog_snapshots(url, version)) > 1
    state.publish(
        {
            "pulls": pulls_label(pulls) if pulls != DEFAULT_THRESHOLD else None,
            "snapshot": int(snapshot["snapshot_id"]) if several else None,
        }
    )
