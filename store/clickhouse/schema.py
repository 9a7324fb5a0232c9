"""Tables of the ClickHouse store, and how an existing database is recognised before anything is written.

Rows that change (an image's details, a run's totals, a catalog snapshot's flags, a catalog entry, a
failure's reason) live in ReplacingMergeTree tables with a `version` column and are read with FINAL:
a change is a new row with a larger version. Snapshots never change: a MergeTree ordered by
(image_id, observed_at), so one image's series is one contiguous range; saving checks the keys already
stored first, so the rows-added count is exact and nothing is stored twice (ReplacingMergeTree merges
away what two writers racing on one key might still add). Two materialized views fill at insert time
what growth and rankings read instead of every snapshot: `pulls_daily`, each image's last good count of
each UTC day (a ReplacingMergeTree on the day, the latest observation kept), and `pulls_first`, each
image's first good count.
"""

from __future__ import annotations

import pandas as pd

from store.clickhouse.db import Db
from store.errors import StoreError
from store.sql.recognise import CURRENT, SCHEMA_VERSION, VERSION_KEY, verdict
from store.values import CAP_PULL_COUNT

SECONDS_PER_DAY = 86_400
TABLES = {
    "store_meta": """(key String, value String, version UInt64)
        ENGINE = ReplacingMergeTree(version) ORDER BY key""",
    "images": """(image_id UInt32, namespace String, name String, repository_type Nullable(String),
        is_private Nullable(Bool), description Nullable(String), date_registered Nullable(String), version UInt64)
        ENGINE = ReplacingMergeTree(version) ORDER BY (namespace, name)""",
    "runs": """(run_id UInt32, kind String, started_at Int64, finished_at Nullable(Int64), images_requested Int32,
        images_collected Int32, images_failed Int32, source Nullable(String), version UInt64)
        ENGINE = ReplacingMergeTree(version) ORDER BY run_id""",
    "run_failures": """(run_id UInt32, image String, reason String, failed_at Int64, version UInt64)
        ENGINE = ReplacingMergeTree(version) ORDER BY (run_id, image)""",
    "snapshots": """(image_id UInt32, observed_at Int64, pull_count Int64, star_count Nullable(Int32),
        last_updated Nullable(String), run_id Nullable(UInt32))
        ENGINE = ReplacingMergeTree ORDER BY (image_id, observed_at)""",
    "imported_files": """(sha256 String, path String, imported_at Int64, rows_read Int64, rows_added Int64,
        version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY sha256""",
    "catalog_snapshots": """(snapshot_id UInt32, source String, attribution Nullable(String), observed_from Int64,
        observed_to Int64, run_id Nullable(UInt32), sha256 Nullable(String), discovered Bool, complete Bool,
        version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY snapshot_id""",
    "catalog_entries": """(snapshot_id UInt32, namespace String, name String, publisher String, pull_low Int64,
        pull_high Nullable(Int64), exact Bool, pull_text String, star_count Nullable(Int32), method String,
        rank Nullable(Int32), observed_at Int64, version UInt64)
        ENGINE = ReplacingMergeTree(version) ORDER BY (snapshot_id, namespace, name)""",
    "pulls_daily": """(image_id UInt32, day Int32, last_at Int64, last_count Int64)
        ENGINE = ReplacingMergeTree(last_at) ORDER BY (image_id, day)""",
    "pulls_first": """(image_id UInt32, first_at SimpleAggregateFunction(min, Int64),
        first_count AggregateFunction(argMin, Int64, Int64)) ENGINE = AggregatingMergeTree ORDER BY image_id""",
}
VIEWS = {
    "pulls_daily_mv": f"""TO pulls_daily AS
        SELECT image_id, toInt32(intDiv(observed_at, {SECONDS_PER_DAY})) AS day, max(observed_at) AS last_at,
               argMax(pull_count, observed_at) AS last_count
        FROM snapshots WHERE pull_count != {CAP_PULL_COUNT} GROUP BY image_id, day""",
    "pulls_first_mv": f"""TO pulls_first AS
        SELECT image_id, min(observed_at) AS first_at, argMinState(pull_count, observed_at) AS first_count
        FROM snapshots WHERE pull_count != {CAP_PULL_COUNT} GROUP BY image_id""",
}


def _identity(db: Db) -> tuple[dict[str, set[str]], str | None]:
    columns = db.query(
        "SELECT t.name AS table_name, c.name AS column_name FROM system.tables AS t "
        "LEFT JOIN system.columns AS c ON c.database = t.database AND c.table = t.name "
        "WHERE t.database = currentDatabase()"
    )
    tables: dict[str, set[str]] = {}
    for table, column in zip(columns["table_name"], columns["column_name"], strict=True):
        tables.setdefault(str(table), set())
        if isinstance(column, str) and column:
            tables[str(table)].add(column)
    version = None
    if "store_meta" in tables:
        version = db.scalar("SELECT value FROM store_meta FINAL WHERE key = {key:String}", key=VERSION_KEY)
    return tables, version


def ensure_schema(db: Db, shown: str) -> None:
    """Recognise the database (another program's, or a newer store, is refused) and create what is missing."""
    tables, version = _identity(db)
    views = {name for name in VIEWS if name in tables}
    # The views are ours; a database holding only other tables is another program's.
    state = verdict(shown, {k: v for k, v in tables.items() if k not in VIEWS}, version, "ClickHouse database")
    if state == CURRENT and set(TABLES) <= set(tables) and views == set(VIEWS):
        return
    for name, body in TABLES.items():
        db.command(f"CREATE TABLE IF NOT EXISTS {name} {body}")
    for name, body in VIEWS.items():
        db.command(f"CREATE MATERIALIZED VIEW IF NOT EXISTS {name} {body}")
    meta = pd.DataFrame({"key": [VERSION_KEY], "value": [str(SCHEMA_VERSION)], "version": [db.stamp()]})
    db.insert("store_meta", meta)


def refuse_unknown(shown: str, error: Exception) -> StoreError:
    """Return the one-line StoreError for an engine failure while opening."""
    return StoreError(f"cannot open the store {shown}: {error}")
