"""Growth windows on ClickHouse: each image's counts at the end of its window's days, from the daily views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from store.clickhouse.db import Db, chunks
from store.clickhouse.pulls import IMAGES
from store.clickhouse.schema import SECONDS_PER_DAY
from store.values import CAP_PULL_COUNT

# Days before a window's edge searched in the by-day view; an image without a count in them is read whole.
LOOKBACK_DAYS = 3


def window_counts(
    db: Db,
    offsets: Sequence[int],
    until: int | None = None,
    namespace: str | None = None,
    image_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Return per image its last good observation and the last good one at the end of each earlier day.

    The same figures as the SQL backend's (store.sql.pull_queries.window_counts). Ending on the newest
    data, every image's end is one row of `pulls_last`, and the counts at each window edge of the images
    ending on the newest day are one range read of `pulls_by_day` (LOOKBACK_DAYS + 1 days of rows);
    images ending earlier, or without a count near an edge though older than it, are read whole.
    """
    if image_ids is not None:
        return window_counts_by_image(db, offsets, until, namespace, image_ids)
    ends = _ends(db, namespace)
    # Ending before the newest good count, each image ends on its own day: read whole.
    if ends.empty or (until is not None and until < ends["end_at"].max()):
        return window_counts_by_image(db, offsets, until, namespace, image_ids)
    last_day = int(ends["end_at"].max() // SECONDS_PER_DAY)
    first_day = ends["first_at"] // SECONDS_PER_DAY
    whole = ends["end_at"] // SECONDS_PER_DAY != last_day
    cutoffs = {int(offset): last_day - int(offset) for offset in offsets}
    edges = _edge_counts(db, sorted(set(cutoffs.values())))
    for offset, cutoff in cutoffs.items():
        found = edges[edges["edge"] == cutoff].drop(columns="edge")
        edge = ends[["image_id"]].merge(found, on="image_id", how="left")
        ends[f"at_{offset}"] = edge["at"].array
        ends[f"count_{offset}"] = edge["count"].array
        whole |= ends[f"at_{offset}"].isna() & (first_day <= cutoff)
    names = ["image_id", "namespace", "name", "end_at", "end_count", "first_at", "first_count"]
    names += [f"{kind}_{offset}" for offset in offsets for kind in ("at", "count")]
    parts = [ends[~whole].reindex(columns=names)]
    ids = ends.loc[whole, "image_id"].tolist()
    parts += [window_counts_by_image(db, offsets, None, None, chunk) for chunk in chunks(ids)]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    frame = frame.sort_values(["namespace", "name"], ignore_index=True)
    frame = frame.astype({"image_id": "int64", "namespace": "str", "name": "str"})
    for column in names[3:]:
        frame[column] = frame[column].astype("Int64")
    return frame


def _ends(db: Db, namespace: str | None) -> pd.DataFrame:
    where = "WHERE i.namespace = {namespace:String}" if namespace else ""
    frame = db.query(
        "SELECT i.image_id AS image_id, i.namespace AS namespace, i.name AS name, l.end_at AS end_at, "
        "l.end_count AS end_count, f.first_at AS first_at, f.first_count AS first_count FROM "
        "(SELECT image_id, max(last_at) AS end_at, argMaxMerge(last_count) AS end_count FROM pulls_last "
        "GROUP BY image_id) AS l INNER JOIN (SELECT image_id, min(first_at) AS first_at, "
        "argMinMerge(first_count) AS first_count FROM pulls_first GROUP BY image_id) AS f ON f.image_id = l.image_id "
        f"INNER JOIN {IMAGES} AS i ON i.image_id = l.image_id {where}",
        **({"namespace": namespace} if namespace else {}),
    )
    return frame.astype(
        {"image_id": "int64", "end_at": "int64", "end_count": "int64", "first_at": "int64", "first_count": "int64"}
    )


def _edge_counts(db: Db, cutoffs: list[int]) -> pd.DataFrame:
    # Per image and edge day the newest daily row on or before it among the few days before (unmerged repeats too);
    # one read of a few narrow day ranges, a row near two edges counted for both.
    ranges = " OR ".join(f"day BETWEEN {cutoff - LOOKBACK_DAYS} AND {cutoff}" for cutoff in cutoffs)
    return db.query(
        "SELECT image_id, arrayJoin(arrayFilter(c -> day BETWEEN c - {lookback:Int32} AND c, {cutoffs:Array(Int32)})) "
        f"AS edge, max(last_at) AS at, argMax(last_count, last_at) AS count FROM pulls_by_day WHERE {ranges} "
        "GROUP BY image_id, edge",
        lookback=LOOKBACK_DAYS,
        cutoffs=cutoffs,
    ).astype({"image_id": "int64", "edge": "int64", "at": "Int64", "count": "Int64"})


def window_counts_by_image(
    db: Db,
    offsets: Sequence[int],
    until: int | None = None,
    namespace: str | None = None,
    image_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Return per image its last good observation and the last good one at the end of each earlier day.

    Reads each image's whole daily series: the path for chosen images and past ends. Read from the
    daily view in one pass: each image's days become one sorted array of (last_at, last_count), and each
    window picks the last element on or before its day. Only the day `until` falls in is read from raw
    snapshots (a day's last count may be later than `until`).
    """
    params: dict[str, Any] = {}
    chosen = ""
    if image_ids is not None:
        chosen = " AND image_id IN {ids:Array(UInt32)}"
        params["ids"] = [int(i) for i in image_ids]
    day = f"intDiv(x.1, {SECONDS_PER_DAY})"
    # Sorted by instant, a day not merged yet (two rows) still gives its latest count last.
    series = (
        "SELECT d.image_id AS image_id, d.days AS days, f.start_at AS start_at, f.start_count AS start_count FROM "
        "(SELECT image_id, arraySort(groupArray((last_at, last_count))) AS days "
        f"FROM pulls_daily WHERE 1{chosen} GROUP BY image_id) AS d INNER JOIN "
        "(SELECT image_id, min(first_at) AS start_at, argMinMerge(first_count) AS start_count "
        f"FROM pulls_first WHERE 1{chosen} GROUP BY image_id) AS f ON f.image_id = d.image_id"
    )
    if until is None:
        ends = "SELECT image_id, days, start_at AS first_at, start_count AS first_count, days[-1].1 AS end_at, "
        ends += "days[-1].2 AS end_count "
        ends += f"FROM ({series})"
    else:
        params |= {"until": until, "until_day": until // SECONDS_PER_DAY}
        before = f"arrayFilter(x -> {day} < {{until_day:Int64}}, s.days)"
        ends = (
            "SELECT s.image_id AS image_id, s.days AS days, s.start_at AS first_at, s.start_count AS first_count, "
            f"if(r.at IS NOT NULL, r.at, if(empty({before}), NULL, {before}[-1].1)) AS end_at, "
            f"if(r.at IS NOT NULL, r.count, if(empty({before}), NULL, {before}[-1].2)) AS end_count "
            f"FROM ({series}) AS s LEFT JOIN (SELECT image_id, max(observed_at) AS at, "
            "argMax(pull_count, observed_at) AS count FROM snapshots "
            f"WHERE observed_at >= {{until_day:Int64}} * {SECONDS_PER_DAY} AND observed_at <= {{until:Int64}} "
            f"AND pull_count != {CAP_PULL_COUNT}{chosen} GROUP BY image_id) AS r ON r.image_id = s.image_id "
        )
    windows = ""
    for offset in (int(offset) for offset in offsets):
        cutoff = f"intDiv(e.end_at, {SECONDS_PER_DAY}) - {offset}"
        found = f"intDiv(e.days[1].1, {SECONDS_PER_DAY}) <= {cutoff}"
        pick = f"arrayLast(x -> {day} <= {cutoff}, e.days)"
        windows += f", if({found}, {pick}.1, NULL) AS at_{offset}, if({found}, {pick}.2, NULL) AS count_{offset}"
    where = " AND i.namespace = {namespace:String}" if namespace else ""
    if namespace:
        params["namespace"] = namespace
    frame = db.query(
        "SELECT i.image_id AS image_id, i.namespace AS namespace, i.name AS name, e.end_at AS end_at, "
        f"e.end_count AS end_count, e.first_at AS first_at, e.first_count AS first_count{windows} "
        f"FROM ({ends}) AS e INNER JOIN {IMAGES} AS i ON i.image_id = e.image_id "
        f"WHERE e.end_at IS NOT NULL{where} ORDER BY namespace, name SETTINGS join_use_nulls = 1",
        **params,
    )
    names = ["image_id", "namespace", "name", "end_at", "end_count", "first_at", "first_count"]
    names += [f"{kind}_{offset}" for offset in offsets for kind in ("at", "count")]
    frame = frame.reindex(columns=names).astype({"image_id": "int64", "namespace": "str", "name": "str"})
    for column in names[3:]:
        frame[column] = frame[column].astype("Int64")
    return frame
