"""Cached catalog loaders: snapshots and entries by store version, figures from analysis/ only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.catalog.claims import claims_beside_measures, read_claims
from analysis.catalog.read import pick_snapshot, snapshot_span
from analysis.errors import AnalysisError
from analysis.views.catalog import threshold_history as history_table
from dashboard.pull_loaders import store_at
from settings import CLAIMS_FILE


@st.cache_data(show_spinner=False, max_entries=8)
def catalog_snapshots(url: str, version: tuple[int, int, int]) -> pd.DataFrame:
    """Every catalog snapshot with entries, oldest first."""
    frame = store_at(url).read_catalog_snapshots()
    frame = frame[frame["entries"] > 0].reset_index(drop=True)
    return frame.assign(observed=[snapshot_span(row) for _, row in frame.iterrows()])


@st.cache_data(show_spinner=False, max_entries=8)
def catalog_entries(url: str, version: tuple[int, int, int], snapshot_id: int) -> pd.DataFrame:
    """The entries of one catalog snapshot."""
    return store_at(url).read_catalog_entries([snapshot_id])


def chosen_snapshot(url: str, version: tuple[int, int, int], snapshot_id: int | None) -> pd.Series | None:
    """The snapshot `snapshot_id` (None: the latest), or None when the store holds none."""
    try:
        return pick_snapshot(catalog_snapshots(url, version), snapshot_id)
    except AnalysisError:
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def claims_table(url: str, version: tuple[int, int, int], snapshot_id: int) -> pd.DataFrame:
    """The claims register beside the snapshot's measured figures (analysis.catalog.claims)."""
    snapshot = pick_snapshot(catalog_snapshots(url, version), snapshot_id)
    return claims_beside_measures(read_claims(CLAIMS_FILE), catalog_entries(url, version, snapshot_id), snapshot)


@st.cache_data(show_spinner=False, max_entries=8)
def threshold_history(url: str, version: tuple[int, int, int], pulls: int) -> pd.DataFrame:
    """Per catalog snapshot: the images at or above `pulls` (floors) and the counter faults flagged."""
    return history_table(store_at(url), pulls)
