"""Benchmark of pull analytics on a large synthetic store; prints figures, asserts nothing.

    python bench/bench_pulls.py                       # 10,000 images x 1,000 days = 10 million snapshots
    python bench/bench_pulls.py --quick               # 1,000 images x 365 days
    python bench/bench_pulls.py --images 1000 --days 365

The store is a SQLite file built with the project's schema and kept in bench/out/, named by its size
and seed, so that a rerun reuses it (--rebuild makes it again; --store FILE keeps it elsewhere).
Histories are shaped like the real ones: counts from a handful to hundreds of millions, a daily
rate that drifts, weekly seasonality, about 1% of days missing, occasional stalls followed by a
catch-up, and a few images stuck at the 2020 cap value for some days.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from _figures import PROJECT_ROOT, bench_parser, report

from analysis.pulls.periods import daily_pulls
from analysis.pulls.rank import rank_images, window_growth, window_offsets
from analysis.pulls.read import read_pull_history, read_window_counts
from store import open_store
from store.timeutil import SECONDS_PER_DAY
from store.values import CAP_PULL_COUNT

LAST_DAY = 20_673  # 2026-08-08
BATCH_IMAGES = 200
SEED = 7
FULL_SIZE = (10_000, 1_000)
QUICK_SIZE = (1_000, 365)
OUT = PROJECT_ROOT / "bench" / "out"
# Part of the cached store's name: change it when the histories or the schema change, so a stale store is not reused.
STORE_VERSION = 1


def _histories(rng: np.random.Generator, first_id: int, images: int, days: int) -> list[tuple]:
    """Rows (image_id, observed_at, pull_count, star_count, last_updated, run_id) for a batch of images."""
    rates = rng.lognormal(mean=5.0, sigma=2.2, size=(images, 1))
    drift = np.exp(np.cumsum(rng.normal(0.0, 0.03, size=(images, days)), axis=1))
    weekly = 1.0 + 0.25 * np.sin(2 * np.pi * np.arange(days) / 7.0)
    daily = rng.poisson(rates * drift * weekly)
    stalls = rng.random((images, days)) < 0.002
    for lag in (1, 2):
        stalls[:, lag:] |= stalls[:, :-lag]
    counts = rng.integers(0, 10_000_000, size=(images, 1)) + np.cumsum(daily, axis=1)
    shown = np.where(stalls, np.maximum.accumulate(np.where(stalls, 0, counts), axis=1), counts)
    capped = (rng.random((images, 1)) < 0.01) & (rng.random((images, days)) < 0.02)
    shown = np.where(capped, CAP_PULL_COUNT, shown)
    kept = rng.random((images, days)) >= 0.01
    day_numbers = np.arange(LAST_DAY - days + 1, LAST_DAY + 1)
    image_idx, day_idx = np.nonzero(kept)
    seconds = day_numbers[day_idx] * SECONDS_PER_DAY + 3600 * 6
    return list(
        zip(
            (image_idx + first_id).tolist(),
            seconds.tolist(),
            shown[image_idx, day_idx].tolist(),
            [None] * len(seconds),
            [None] * len(seconds),
            [None] * len(seconds),
            strict=True,
        )
    )


def build_store(path: Path, images: int, days: int, seed: int = SEED) -> float:
    """Fill a new store at `path`; return the seconds it took."""
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    open_store(f"sqlite:///{path}").close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("DROP INDEX ix_snapshots_observed_at")
    connection.executemany(
        "INSERT INTO images (image_id, namespace, name) VALUES (?, ?, ?)",
        [(i + 1, f"ns{i % 500:03d}", f"image{i:05d}") for i in range(images)],
    )
    rng = np.random.default_rng(seed)
    for first in range(0, images, BATCH_IMAGES):
        batch = min(BATCH_IMAGES, images - first)
        rows = _histories(rng, first + 1, batch, days)
        connection.executemany("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?)", rows)
        connection.commit()
    connection.execute("CREATE INDEX ix_snapshots_observed_at ON snapshots (observed_at, image_id)")
    connection.execute("ANALYZE")
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
    return time.perf_counter() - started


def _timed(action, repeats: int) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def cached_store_path(images: int, days: int) -> Path:
    """Return where the store of this size is kept between runs."""
    return OUT / f"pulls_store_v{STORE_VERSION}_{images}x{days}_seed{SEED}.sqlite"


def ready_store(path: Path, images: int, days: int, rebuild: bool) -> float | None:
    """Build the store at `path` unless it is already there; return the build seconds, None when reused."""
    if path.exists() and not rebuild:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")  # an interrupted build never passes for a finished one
    seconds = build_store(partial, images, days)
    partial.replace(path)
    return seconds


def _parse_args() -> argparse.Namespace:
    parser = bench_parser(__doc__)
    parser.add_argument("--images", type=int, help=f"images (default {FULL_SIZE[0]:,}; {QUICK_SIZE[0]:,} with --quick)")
    parser.add_argument("--days", type=int, help=f"days (default {FULL_SIZE[1]:,}; {QUICK_SIZE[1]:,} with --quick)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each query; the median is kept (default 5)")
    parser.add_argument("--store", type=Path, help="keep the store in this file (reused when it exists)")
    parser.add_argument("--rebuild", action="store_true", help="build the store again even when it is kept")
    args = parser.parse_args()
    default_images, default_days = QUICK_SIZE if args.quick else FULL_SIZE
    args.images, args.days = args.images or default_images, args.days or default_days
    return args


def main() -> int:
    """Build the store (or reuse it), time the queries, print the figures."""
    args = _parse_args()
    path = args.store or cached_store_path(args.images, args.days)
    build_seconds = ready_store(path, args.images, args.days, args.rebuild)
    store = open_store(f"sqlite:///{path}")
    rows = store.version()[0]
    size = path.stat().st_size
    built = f"reused from {path}" if build_seconds is None else f"built in {build_seconds:.0f} s, kept in {path}"
    print(f"store: {rows:,} snapshots, {args.images:,} images x {args.days:,} days, {built}")
    print(f"bytes per snapshot on disk: {size / rows:.1f} (file {size / 2**20:.0f} MiB, both indexes included)")

    pairs = [(f"ns{i % 500:03d}", f"image{i:05d}") for i in range(0, args.images, max(args.images // 5, 1))][:5]
    sql_time, _ = _timed(lambda: read_pull_history(store, pairs), args.repeats)

    def series():  # noqa: ANN202
        observations, failures = read_pull_history(store, pairs)
        return daily_pulls(observations, "spread", failures)

    total_time, daily = _timed(series, args.repeats)
    print(
        f"daily series for 5 images ({len(daily):,} rows): {total_time * 1000:.0f} ms "
        f"(of which reading the store {sql_time * 1000:.0f} ms); goal < 200 ms"
    )

    def growth_top20():  # noqa: ANN202
        counts = read_window_counts(store, window_offsets(30))
        return rank_images(window_growth(counts, 30), "growth", top=20)

    rank_time, ranked = _timed(growth_top20, max(args.repeats // 2, 1))
    print(f"top-20 growth ranking over 30 days ({args.images:,} images): {rank_time * 1000:.0f} ms; goal < 2 s")
    print(ranked.head(3).to_string(index=False))
    store.close()

    report("pulls.snapshots", rows, "rows")
    if build_seconds is not None:
        report("pulls.build_store", build_seconds, "s")
    report("pulls.bytes_per_snapshot", size / rows, "B")
    report("pulls.daily_series_5_images", total_time * 1000, "ms")
    report("pulls.daily_series_5_images.store_read", sql_time * 1000, "ms")
    report("pulls.top20_growth_30d", rank_time * 1000, "ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
