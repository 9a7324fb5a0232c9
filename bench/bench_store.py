"""The store on SQLite and on PostgreSQL: writing a history of snapshots, then the reads the tool makes.

    python bench/bench_store.py [--quick]

PostgreSQL comes from $ADOPTION_BENCH_PG_URL, else $ADOPTION_TEST_PG_URL, else the local test
database of `.ci/postgres.sh`; the benchmark works in a schema of its own and drops it. Where the
server does not answer, only SQLite is measured (and stderr says so).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from _figures import bench_arguments, report

from store import open_store
from store.sql.scratch import scratch_pg_schema

DEFAULT_PG_URL = "postgresql+psycopg://adoption:adoption@127.0.0.1:5432/adoption_test"
DAY = 86_400
START = 1_600_000_000
BATCH_DAYS = 50  # one save per 50 days of the whole watchlist, as a backfill would


def _history(images: int, days: int) -> Iterator[list[dict]]:
    for first_day in range(0, days, BATCH_DAYS):
        yield [
            {
                "namespace": f"ns{image % 50}",
                "name": f"image{image}",
                "observed_at": START + day * DAY,
                "pull_count": 1_000_000 * image + 1_000 * day,
                "star_count": image,
            }
            for day in range(first_day, min(first_day + BATCH_DAYS, days))
            for image in range(images)
        ]


def _timed(action: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def measure(label: str, url: str, images: int, days: int) -> None:
    """Write `images` x `days` snapshots to the store at `url`, then time its reads."""
    store = open_store(url)
    rows = images * days
    started = time.perf_counter()
    for batch in _history(images, days):
        store.save_snapshots(batch)
    written = time.perf_counter() - started
    report(f"store.{label}.snapshots", rows, "rows")
    report(f"store.{label}.write_rate", rows / written, "rows/s")
    report(
        f"store.{label}.resave_rate",
        rows / _timed(lambda: [store.save_snapshots(b) for b in _history(images, days)], 1),
        "rows/s",
    )  # noqa: E501
    report(f"store.{label}.read_one_image", 1000 * _timed(lambda: store.read_snapshots(["ns7/image7"])), "ms")
    report(
        f"store.{label}.read_ten_images",
        1000 * _timed(lambda: store.read_snapshots([f"ns{i % 50}/image{i}" for i in range(10)])),
        "ms",
    )  # noqa: E501
    report(f"store.{label}.list_images", 1000 * _timed(lambda: store.list_images()), "ms")
    report(f"store.{label}.read_all", _timed(lambda: store.read_snapshots(), 1), "s")
    store.close()


def main() -> int:
    """Measure SQLite, then PostgreSQL where a server answers."""
    args = bench_arguments("Store write and read times on SQLite and PostgreSQL.")
    images, days = (100, 200) if args.quick else (500, 730)
    print(f"{images} images x {days} days = {images * days} snapshots", file=sys.stderr)
    with tempfile.TemporaryDirectory() as directory:
        measure("sqlite", f"sqlite:///{Path(directory) / 'bench.db'}", images, days)
    pg_url = os.environ.get("ADOPTION_BENCH_PG_URL") or os.environ.get("ADOPTION_TEST_PG_URL") or DEFAULT_PG_URL
    with scratch_pg_schema(pg_url, "bench") as url:
        if url:
            measure("postgresql", url, images, days)
    return 0


if __name__ == "__main__":
    sys.exit(main())
