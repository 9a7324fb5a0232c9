"""Collection runs: when they started and finished, what they collected, what failed and why."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from store.sql.schema import run_failures, runs
from store.sql.upsert import upsert
from store.timeutil import epoch_to_utc, now_epoch


def start_run(engine: Engine, kind: str, images_requested: int, source: str | None = None) -> int:
    """Record that a run has started and return its id; it stays incomplete until finish_run."""
    with engine.begin() as connection:
        result = connection.execute(
            insert(runs).values(
                kind=kind,
                started_at=now_epoch(),
                images_requested=images_requested,
                images_collected=0,
                images_failed=0,
                source=source,
            )
        )
        return int(result.inserted_primary_key[0])


def record_failure(engine: Engine, run_id: int, image: str, reason: str) -> None:
    """Record that `image` could not be collected in `run_id`, and why."""
    row = {"run_id": run_id, "image": image, "reason": reason, "failed_at": now_epoch()}
    with engine.begin() as connection:
        upsert(connection, run_failures, [row], ["run_id", "image"], ["reason", "failed_at"])


def finish_run(
    engine: Engine, run_id: int, images_collected: int, images_failed: int, images_requested: int | None = None
) -> None:
    """Mark `run_id` as finished with its totals (and the number requested, where it was known only later)."""
    values = {"finished_at": now_epoch(), "images_collected": images_collected, "images_failed": images_failed}
    if images_requested is not None:
        values["images_requested"] = images_requested
    with engine.begin() as connection:
        connection.execute(update(runs).where(runs.c.run_id == run_id).values(**values))


def read_runs(engine: Engine, limit: int = 20) -> pd.DataFrame:
    """Return the latest runs, newest first; `complete` is False for a run that never finished."""
    query = select(runs).order_by(runs.c.run_id.desc()).limit(limit)
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=runs.c.keys())
    frame["complete"] = frame["finished_at"].notna()
    frame["started_at"] = epoch_to_utc(frame["started_at"])
    frame["finished_at"] = pd.to_datetime(frame["finished_at"], unit="s", utc=True)
    return frame


def read_failures(engine: Engine, run_id: int) -> pd.DataFrame:
    """Return the images that failed in `run_id` with the reason for each."""
    query = (
        select(run_failures.c.image, run_failures.c.reason, run_failures.c.failed_at)
        .where(run_failures.c.run_id == run_id)
        .order_by(run_failures.c.image)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=["image", "reason", "failed_at"])
    frame["failed_at"] = epoch_to_utc(frame["failed_at"])
    return frame


def find_unfinished_run(engine: Engine, kind: str, source: str, started_since: int) -> int | None:
    """Return the latest run of `kind` and `source` started at or after `started_since` that never finished."""
    query = (
        select(runs.c.run_id)
        .where(runs.c.kind == kind, runs.c.source == source, runs.c.finished_at.is_(None))
        .where(runs.c.started_at >= started_since)
        .order_by(runs.c.run_id.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        found = connection.execute(query).scalar()
    return None if found is None else int(found)


def clear_failures(engine: Engine, run_id: int) -> None:
    """Forget the failures recorded in `run_id` (before its images are tried again)."""
    with engine.begin() as connection:
        connection.execute(delete(run_failures).where(run_failures.c.run_id == run_id))
