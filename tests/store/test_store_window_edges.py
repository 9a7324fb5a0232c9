"""Growth window counts at their edges, on every backend, against counts worked out from the records by hand.

ClickHouse reads the images that end on the newest day from a view ordered by (day, image_id), a few
days before each edge; images ending earlier, or with no count near an edge though older than it, are
read whole. These cases sit on each side of that split.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from store import open_store
from store.values import CAP_PULL_COUNT

DAY = 86_400
LAST_DAY = 20_600
OFFSETS = (7, 9, 30, 60)  # 7 and 9: edges whose look-back days overlap


def _series(name: str, days: list[int], counts: list[int], hour: int = 6) -> list[dict]:
    return [
        {"namespace": "edges", "name": name, "observed_at": (LAST_DAY - day) * DAY + hour * 3600, "pull_count": count}
        for day, count in zip(days, counts, strict=True)
    ]


def _records() -> list[dict]:
    every_day = list(range(90, -1, -1))
    records = _series("steady", every_day, [1_000 + 10 * i for i in range(91)])
    records += _series("young", list(range(20, -1, -1)), [5 * i for i in range(21)])  # first count after 2 edges
    gap = [day for day in every_day if not 25 <= day <= 40]  # nothing for 16 days around the 30-day edge
    records += _series("gap", gap, [100 * i for i in range(len(gap))])
    records += _series("stale", list(range(90, 4, -1)), [7 * i for i in range(86)])  # ends 5 days before the others
    capped = [CAP_PULL_COUNT if 28 <= day <= 33 or day == 0 else 3_000 + i for i, day in enumerate(every_day)]
    records += _series("capped", every_day, capped)  # the int32 cap on the 30-day edge and on the last day
    reset = [50_000 + i if day > 45 else i for i, day in enumerate(every_day)]
    records += _series("reset", every_day, reset)
    records += _series("twice", every_day, list(range(0, 182, 2)), hour=3)  # two counts a day: the later one counts
    records += _series("twice", every_day, list(range(1, 183, 2)), hour=20)
    rng = np.random.default_rng(5)
    for number in range(6):
        days = sorted(rng.choice(91, size=int(rng.integers(3, 60)), replace=False).tolist(), reverse=True)
        records += _series(f"sparse{number}", days, np.cumsum(rng.integers(0, 99, size=len(days))).tolist())
    return records


def _by_hand(records: list[dict], until: int | None) -> pd.DataFrame:
    """The window counts' definition, one image at a time: the last good count at or before each edge."""
    rows = []
    frame = pd.DataFrame(records)
    for name, image in frame.groupby("name"):
        good = image[image["pull_count"] != CAP_PULL_COUNT].sort_values("observed_at")
        ended = good if until is None else good[good["observed_at"] <= until]
        if ended.empty:
            continue
        end = ended.iloc[-1]
        row = {"name": name, "end_at": end["observed_at"], "end_count": end["pull_count"]}
        row |= {"first_at": good.iloc[0]["observed_at"], "first_count": good.iloc[0]["pull_count"]}
        for offset in OFFSETS:
            edge = (end["observed_at"] // DAY - offset + 1) * DAY - 1
            before = good[good["observed_at"] <= edge]
            row[f"at_{offset}"] = before.iloc[-1]["observed_at"] if len(before) else None
            row[f"count_{offset}"] = before.iloc[-1]["pull_count"] if len(before) else None
        rows.append(row)
    return pd.DataFrame(rows).sort_values("name", ignore_index=True)


def _stored(url: str, records: list[dict], until: int | None) -> pd.DataFrame:
    store = open_store(url)
    try:
        store.save_snapshots(records)
        frame = store.window_counts(OFFSETS, until)
    finally:
        store.close()
    return frame.drop(columns=["image_id", "namespace"])


def _comparable(frame: pd.DataFrame) -> list[dict]:
    return [{key: (None if pd.isna(value) else int(value) if key != "name" else value) for key, value in row.items()}
            for row in frame.astype(object).to_dict("records")]  # fmt: skip


def test_window_counts_at_the_edges_are_the_last_good_count_on_or_before_each_edge(db_url: str) -> None:
    records = _records()
    assert _comparable(_stored(db_url, records, None)) == _comparable(_by_hand(records, None))


def test_window_counts_ending_in_the_past_are_the_same_definition(db_url: str) -> None:
    records = _records()
    until = (LAST_DAY - 10) * DAY + DAY - 1
    assert _comparable(_stored(db_url, records, until)) == _comparable(_by_hand(records, until))


def test_views_added_to_an_existing_chdb_store_are_filled_from_its_snapshots(chdb_url: str) -> None:
    records = _records()
    store = open_store(chdb_url)
    try:
        store.save_snapshots(records)
        for view in ("pulls_by_day", "pulls_last"):  # a store made before these views existed
            store.db.command(f"DROP TABLE {view}_mv")
            store.db.command(f"DROP TABLE {view}")
    finally:
        store.close()
    reopened = open_store(chdb_url)
    try:
        frame = reopened.window_counts(OFFSETS).drop(columns=["image_id", "namespace"])
        assert int(reopened.db.scalar("SELECT count() FROM pulls_by_day FINAL")) == len(
            {(r["name"], r["observed_at"] // DAY) for r in records if r["pull_count"] != CAP_PULL_COUNT}
        )
    finally:
        reopened.close()
    assert _comparable(frame) == _comparable(_by_hand(records, None))
