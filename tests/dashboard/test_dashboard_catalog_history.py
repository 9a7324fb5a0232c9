"""The Catalog page with more than one catalog snapshot: the threshold snapshot by snapshot, faults counted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from store import open_store

CATALOG = "app_pages/catalog.py"
CAP = 2_147_483_647


def _second_snapshot(path: Path) -> None:
    """Add a later snapshot: the bundled entries again plus one exact count stuck at the int32 cap."""
    store = open_store(f"sqlite:///{path}")
    try:
        entries = store.read_rows("catalog_entries", None, 10_000)  # instants as epoch seconds, as saved
        rows = [
            {key: None if pd.isna(value) else getattr(value, "item", lambda v=value: v)() for key, value in row.items()}
            for row in entries.drop(columns="snapshot_id").to_dict("records")
        ]
        rows.append({"namespace": "acme", "name": "capped", "publisher": "community", "pull_low": CAP,
                     "pull_high": CAP, "exact": True, "pull_text": str(CAP), "star_count": None,
                     "method": "listing", "rank": None, "observed_at": 1_760_000_000})  # fmt: skip
        snapshot_id = store.create_catalog_snapshot("a later test snapshot", 1_760_000_000, 1_760_000_060)
        store.save_catalog_entries(snapshot_id, rows)
    finally:
        store.close()


def test_the_page_shows_the_threshold_at_each_snapshot_and_the_faults(app: AppTest, store_copy, charts_of) -> None:
    _second_snapshot(store_copy)
    app.run()
    app.switch_page(CATALOG).run()
    assert not app.exception, [e.value for e in app.exception]
    history = next(figure for figure in charts_of(app) if figure["data"][0].get("mode") == "lines+markers")
    assert list(history["data"][0]["y"]) == [411, 412]
    codes = [code.value for code in app.code]
    assert "python -m analysis catalog threshold --pulls 10M --over-time" in codes
    table = next(frame.value for frame in app.dataframe if "stall" in frame.value.columns)
    assert table[["images", "cap", "decrease", "stall"]].values.tolist() == [[411, 0, 0, 0], [412, 1, 0, 0]]
