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
from sqlalchemy.engine import Engine

SCHEMA_VERSION = 1

metadata = MetaData()

images = Table(
    "images",
    metadata,
    Column("image_id", Integer, primary_key=True, autoincrement=True),
    Column("namespace", String(255), nullable=False),
    Column("name", String(255), nullable=False),
    Column("repository_type", String(64)),
    Column("is_private", Boolean),
    Column("description", Text),
    Column("date_registered", String(40)),
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
    Column("last_updated", String(40)),
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


def ensure_schema(engine: Engine) -> None:
    """Create any missing table or index; a no-op on a store that has them all."""
    metadata.create_all(engine, checkfirst=True)
