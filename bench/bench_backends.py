"""SQLite, PostgreSQL and chDB side by side on the same generated data; prints figures, asserts nothing.

    python bench/bench_backends.py                         # 1,000,000 snapshot rows (365 days of 2,740 repositories)
    python bench/bench_backends.py --rows 1000000 --rows 10000000   # two sizes, and the slope between them
    python bench/bench_backends.py --quick                 # 20,000 rows
    python bench/bench_backends.py --backends chdb,sqlite  # some of them

Each backend gets a new store (SQLite and chDB in a temp folder, PostgreSQL in a scratch schema of
$ADOPTION_TEST_PG_URL, dropped afterwards), filled through the Store interface with the same daily
histories, then asked what the pages and commands ask, through the same analysis functions:
the top 100 by 30-day growth, the daily series of 5 images, and how many images were at or above
10M pulls in each of many daily catalog snapshots. With two sizes or more, the slope between the two
largest (ms per million rows) extrapolates each query to 100 M and 1 B rows. Last, the arithmetic of a
daily census of 750,000 repositories on Docker Hub's listing API.
"""

from __future__ import annotations

import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from _figures import bench_parser, report

from analysis.catalog.over_time import over_time
from analysis.catalog.read import read_all_catalogs
from analysis.pulls.periods import daily_pulls
from analysis.pulls.rank import rank_images, window_growth, window_offsets
from analysis.pulls.read import read_pull_history, read_window_counts
from store import Store, StoreError, open_store
from store.sql.scratch import scratch_bytes, scratch_pg_schema
from store.timeutil import SECONDS_PER_DAY

BACKENDS = ("sqlite", "postgresql", "chdb")
DEFAULT_PG_URL = "postgresql+psycopg://adoption:adoption@127.0.0.1:5432/adoption_test"
LAST_DAY = 20_673  # 2026-08-08
DAYS = 365
BATCH_ROWS = 50_000
SEED = 11
CENSUS_REPOSITORIES = 750_000
PAGE_SIZE = 100
REQUESTS_PER_MINUTE = 180
THRESHOLD = 10_000_000


def _images(count: int) -> list[tuple[str, str]]:
    # A hundred repositories per namespace, as an organisation's listing would hold them.
    return [(f"org{index // 100:05d}", f"repo{index:07d}") for index in range(count)]


def _batches(images: list[tuple[str, str]], days: int, seed: int) -> Iterator[list[dict]]:
    """Daily snapshots (06:00 UTC) of every image, counts growing at a drifting rate, in batches of rows."""
    rng = np.random.default_rng(seed)
    per_batch = max(1, BATCH_ROWS // days)
    seconds = (np.arange(LAST_DAY - days + 1, LAST_DAY + 1) * SECONDS_PER_DAY + 6 * 3600).tolist()
    for start in range(0, len(images), per_batch):
        chunk = images[start : start + per_batch]
        rates = rng.lognormal(6.0, 2.5, size=(len(chunk), 1))
        counts = rng.integers(0, 50_000_000, size=(len(chunk), 1)) + np.cumsum(
            rng.poisson(rates * np.exp(rng.normal(0, 0.05, size=(len(chunk), days)))), axis=1
        )
        yield [
            {"namespace": ns, "name": name, "observed_at": moment, "pull_count": count}
            for (ns, name), row in zip(chunk, counts.tolist(), strict=True)
            for moment, count in zip(seconds, row, strict=True)
        ]


def _catalog_entries(images: list[tuple[str, str]], day: int, rng: np.random.Generator) -> list[dict]:
    lows = rng.lognormal(14.0, 2.5, size=len(images)).astype("int64")
    return [
        {"namespace": ns, "name": name, "publisher": "community", "pull_low": int(low), "pull_high": int(low),
         "exact": True, "pull_text": str(int(low)), "star_count": None, "method": "listing", "rank": None,
         "observed_at": day * SECONDS_PER_DAY}
        for (ns, name), low in zip(images, lows, strict=True)
    ]  # fmt: skip


def _median_ms(work: Callable[[], object], repeats: int) -> float:
    work()  # warm: the first run pays for caches every later reader shares
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _folder_bytes(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


@contextmanager
def _store_url(backend: str, folder: Path, pg_url: str) -> Iterator[str | None]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
    elif backend == "chdb":
        yield f"chdb://{folder / 'bench-chdb'}"
    else:
        with scratch_pg_schema(pg_url, "bench_backends") as url:
            yield url


def _bytes_on_disk(backend: str, url: str, folder: Path) -> int | None:
    if backend == "sqlite":
        return _folder_bytes(folder) if folder.exists() else None
    if backend == "chdb":
        # The engine's own data: table parts and metadata, not its logs.
        return _folder_bytes(folder / "bench-chdb" / "store") or _folder_bytes(folder / "bench-chdb")
    return scratch_bytes(url)


def _fill(store: Store, rows: int, catalog_snapshots: int) -> tuple[int, float, list[tuple[str, str]]]:
    images = _images(max(5, rows // DAYS))
    started = time.perf_counter()
    saved = sum(store.save_snapshots(batch) for batch in _batches(images, DAYS, SEED))
    rate = saved / (time.perf_counter() - started)
    rng = np.random.default_rng(SEED)
    for number in range(catalog_snapshots):
        day = LAST_DAY - catalog_snapshots + 1 + number
        snapshot = store.create_catalog_snapshot("bench", day * SECONDS_PER_DAY)
        store.save_catalog_entries(snapshot, _catalog_entries(images, day, rng))
        store.update_catalog_snapshot(snapshot, discovered=True, complete=True)
    return saved, rate, images


def _measure(backend: str, url: str, folder: Path, rows: int, catalog: int, repeats: int) -> dict[str, float]:
    store = open_store(url)
    try:
        saved, rate, images = _fill(store, rows, catalog)
        figures = {"snapshots": saved, "insert_rate": rate}
        size = _bytes_on_disk(backend, url, folder)
        if size is not None:
            figures["bytes_per_snapshot"] = size / saved

        def top_100_growth() -> object:
            counts = read_window_counts(store, window_offsets(30))
            return rank_images(window_growth(counts, 30), "growth", top=100)

        def daily_series_5() -> object:
            observations, failures = read_pull_history(store, images[:5])
            return daily_pulls(observations, "spread", failures)

        def catalog_threshold() -> object:
            entries, snapshots = read_all_catalogs(store)
            return over_time(entries, snapshots, THRESHOLD)

        figures["top100_growth_30d"] = _median_ms(top_100_growth, repeats)
        figures["daily_series_5_images"] = _median_ms(daily_series_5, repeats)
        if catalog:
            figures["catalog_threshold_over_snapshots"] = _median_ms(catalog_threshold, repeats)
    finally:
        store.close()
    return figures


UNITS = {"snapshots": "rows", "insert_rate": "rows/s", "bytes_per_snapshot": "bytes"}


def _census() -> None:
    pages = math.ceil(CENSUS_REPOSITORIES / PAGE_SIZE)
    report("census.requests_per_day_full_pages", pages, "requests")
    report("census.hours_full_pages", pages / REQUESTS_PER_MINUTE / 60, "h")
    # The other bound: every repository alone in its namespace, one listing request each.
    report("census.requests_per_day_one_per_repository", CENSUS_REPOSITORIES, "requests")
    report("census.hours_one_per_repository", CENSUS_REPOSITORIES / REQUESTS_PER_MINUTE / 60, "h")


def _slopes(results: dict[tuple[str, int], dict[str, float]], backends: list[str], sizes: list[int]) -> None:
    if len(sizes) < 2:
        return
    small, large = sizes[-2], sizes[-1]
    for backend in backends:
        low, high = results.get((backend, small)), results.get((backend, large))
        if not low or not high:
            continue
        # The daily series reads 5 x 365 rows whatever the size: it has no slope to extrapolate.
        for query in ("top100_growth_30d", "catalog_threshold_over_snapshots"):
            if query in low and query in high:
                slope = (high[query] - low[query]) / ((large - small) / 1e6)
                report(f"backends.{backend}.{query}.ms_per_million_rows", slope, "ms")
                if slope <= 0:
                    print(f"{backend} {query}: no growth between the two sizes (load noise); not extrapolated")
                    continue
                for target, label in ((100_000_000, "100M"), (1_000_000_000, "1B")):
                    report(f"backends.{backend}.{query}.at_{label}", high[query] + slope * (target - large) / 1e6, "ms")


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print one FIGURE line per figure."""
    parser = bench_parser(__doc__)
    parser.add_argument("--rows", type=int, action="append", help="snapshot rows (repeat for several sizes)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated: sqlite,postgresql,chdb")
    parser.add_argument("--catalog-snapshots", type=int, default=None, help="daily catalog snapshots (default 30)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per query (median)")
    parser.add_argument("--pg-url", default=os.environ.get("ADOPTION_TEST_PG_URL") or DEFAULT_PG_URL)
    args = parser.parse_args(argv)
    sizes = sorted(args.rows or ([20_000] if args.quick else [1_000_000]))
    catalog = args.catalog_snapshots if args.catalog_snapshots is not None else (3 if args.quick else 30)
    backends = [name for name in args.backends.split(",") if name]
    results: dict[tuple[str, int], dict[str, float]] = {}
    for rows in sizes:
        for backend in backends:
            with (
                tempfile.TemporaryDirectory(prefix="bench-backends-") as temp,
                _store_url(backend, Path(temp), args.pg_url) as url,
            ):
                if url is None:
                    continue
                try:
                    figures = _measure(backend, url, Path(temp), rows, catalog, args.repeats)
                except StoreError as error:
                    print(f"{backend} not measured: {error}")
                    continue
            results[(backend, rows)] = figures
            for name, value in figures.items():
                report(f"backends.{backend}.{rows}.{name}", value, UNITS.get(name, "ms"))
    _slopes(results, backends, sizes)
    _census()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
