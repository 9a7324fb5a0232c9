"""Tables of the store, described once with SQLAlchemy Core.

`observed_at` is kept as integer seconds since the Unix epoch (UTC): it is compact, sorts and
buckets by day with plain integer arithmetic, and means the same in SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from store.values import DATE_TEXT_MAX, METHOD_MAX, NAME_MAX, PUBLISHER_MAX, PULL_TEXT_MAX, REPOSITORY_TYPE_MAX

metadata = MetaData()

# What this store is and which version of the schema wrote it (store.sql.recognise reads it before any query).
store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

images = Table(
    "images",
    metadata,
    Column("image_id", Integer, primary_key=True, autoincrement=True),
    Column("namespace", String(NAME_MAX), nullable=False),
    Column("name", String(NAME_MAX), nullable=False),
    Column("repository_type", String(REPOSITORY_TYPE_MAX)),
    Column("is_private", Boolean),
    Column("description", Text),
    Column("date_registered", String(DATE_TEXT_MAX)),
    UniqueConstraint("namespace", "name", name="uq_images_namespace_name"),
)

runs = Table(
    "runs",
    metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),  # "collect" or "import"
    Column("started_at", BigInteger, nullable=False),
    # NULL while the run is going on; a run that never sets it was interrupted.
    Column("finished_at", BigInteger),
    Column("images_requested", Integer, nullable=False, default=0),
    Column("images_collected", Integer, nullable=False, default=0),
    Column("images_failed", Integer, nullable=False, default=0),
    Column("source", Text),
)

run_failures = Table(
    "run_failures",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.run_id"), nullable=False),
    Column("image", String(512), nullable=False),
    Column("reason", Text, nullable=False),
    Column("failed_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("run_id", "image", name="pk_run_failures"),
)

# Clustered on (image_id, observed_at): a series is one contiguous range of the table.
snapshots = Table(
    "snapshots",
    metadata,
    Column("image_id", Integer, ForeignKey("images.image_id"), nullable=False),
    Column("observed_at", BigInteger, nullable=False),
    Column("pull_count", BigInteger, nullable=False),
    Column("star_count", Integer),
    Column("last_updated", String(DATE_TEXT_MAX)),
    Column("run_id", Integer),
    PrimaryKeyConstraint("image_id", "observed_at", name="pk_snapshots"),
    sqlite_with_rowid=False,
)
Index("ix_snapshots_observed_at", snapshots.c.observed_at, snapshots.c.image_id)

imported_files = Table(
    "imported_files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("path", Text, nullable=False),
    Column("imported_at", BigInteger, nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rows_added", Integer, nullable=False),
)

# A catalog snapshot: one observation of many repositories (a search, namespace listings, a bundled file).
catalog_snapshots = Table(
    "catalog_snapshots",
    metadata,
    Column("snapshot_id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),  # who recorded it and how
    Column("attribution", Text),
    Column("observed_from", BigInteger, nullable=False),
    Column("observed_to", BigInteger, nullable=False),
    Column("run_id", Integer),  # the collection run that took it; NULL for an imported file
    Column("sha256", String(64), unique=True),  # the imported file's hash, so it is read once
    Column("discovered", Boolean, nullable=False, default=False),  # the run's search is complete
    Column("complete", Boolean, nullable=False, default=False),
)

# One repository in a catalog snapshot. A bucketed count ("10M+") is a range: pull_low is its lower
# bound, pull_high its upper bound (NULL: none), exact False. An exact count has pull_low = pull_high.
catalog_entries = Table(
    "catalog_entries",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("catalog_snapshots.snapshot_id"), nullable=False),
    Column("namespace", String(NAME_MAX), nullable=False),
    Column("name", String(NAME_MAX), nullable=False),
    Column("publisher", String(PUBLISHER_MAX), nullable=False),  # official, verified, open_source, community, unknown
    Column("pull_low", BigInteger, nullable=False),
    Column("pull_high", BigInteger),
    Column("exact", Boolean, nullable=False),
    Column("pull_text", String(PULL_TEXT_MAX), nullable=False),  # the count as Docker Hub gave it
    Column("star_count", Integer),
    Column("method", String(METHOD_MAX), nullable=False),  # search, listing or file
    Column("rank", Integer),  # place in the search that found it
    Column("observed_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("snapshot_id", "namespace", "name", name="pk_catalog_entries"),
    sqlite_with_rowid=False,
)
