"""A daily catalog snapshot of the top 100,000 repositories against a loopback hub, inside a request limit.

The synthetic hub holds about three times as many repositories as the top N, in namespaces of
realistic sizes: a few huge ones (thousands of repositories), a few dozen large, many small, and a
long tail of one-repository namespaces; pulls are heavy-tailed and unrelated to the namespace. It
answers the v4 search and sorted namespace listings, enforces a fixed-window limit, advertises it
in X-RateLimit-* and answers 429 past it.

Time is compressed: the hub's window (and the collector's budget) is 60 s / --speedup, so 180
requests a minute become 180 per second at the default speedup of 60. The wall time at the real
180/min is then requests / 180 minutes, which holds whenever pacing, not the network, is the bound.

    python bench/bench_catalog.py [--quick] [--top N] [--limit N] [--speedup X]
"""

from __future__ import annotations

import json
import math
import random
import tempfile
import threading
import time
from collections import Counter, defaultdict
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
from _figures import bench_parser, report
from _loopback import QuietHandler

from collectors.catalog.run import CatalogRequest, collect_catalog
from collectors.dockerhub.api import HubClient
from collectors.dockerhub.http import RateLimiter, RequestBudget, RetrySettings
from store import Store, open_store

FULL_TOP, QUICK_TOP = 100_000, 10_000
HUB_FACTOR = 3  # the hub holds this many times the top N
SNAPSHOTS_A_YEAR = 365
COPIES = 3  # extra snapshots stored to measure what each adds to the store


def namespace_sizes(total: int, rng: random.Random) -> list[int]:
    """Return namespace sizes summing to about `total`: 3 huge, 40 large, Pareto-distributed small, many of 1."""
    scale = total / 300_000
    sizes = [int(n * scale) or 1 for n in (8_000, 5_000, 3_000)]
    sizes += [int(rng.uniform(200, 1_500) * scale) or 1 for _ in range(40)]
    while sum(sizes) < total:
        sizes.append(min(int(rng.paretovariate(1.3)), 150))
    return sizes


def build_hub(top: int, seed: int = 7) -> tuple[list[tuple[str, str, int]], dict[str, list[tuple[str, int]]]]:
    """Return (every repository ranked by pulls, {namespace: its repositories ranked})."""
    rng = random.Random(seed)
    repos = []
    for number, size in enumerate(namespace_sizes(top * HUB_FACTOR, rng)):
        for index in range(size):
            repos.append((f"ns{number:06d}", f"repo{index:05d}", int(math.exp(rng.gauss(11, 3.2)))))
    repos.sort(key=lambda repo: (-repo[2], repo[0], repo[1]))
    by_namespace: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for namespace, name, pulls in repos:
        by_namespace[namespace].append((name, pulls))
    return repos, dict(by_namespace)


def humanised(count: int) -> str:
    """Return `count` as the search shows it ("10M+", "7.9K")."""
    for step, text in ((10**9, "1B+"), (5 * 10**8, "500M+"), (10**8, "100M+"), (5 * 10**7, "50M+"), (10**7, "10M+"),
                       (5 * 10**6, "5M+"), (10**6, "1M+"), (5 * 10**5, "500K+"), (10**5, "100K+"), (5 * 10**4, "50K+"),
                       (10**4, "10K+")):  # fmt: skip
        if count >= step:
            return text
    return f"{count / 1000:.1f}K" if count >= 1000 else str(count)


class Hub(QuietHandler):
    """The loopback hub: v4 search, sorted namespace listings, a fixed-window limit with 429s past it."""

    repos: list[tuple[str, str, int]] = []
    by_namespace: dict[str, list[tuple[str, int]]] = {}
    limit = 180
    window = 1.0
    lock = threading.Lock()
    served: Counter[int] = Counter()
    refused = 0
    kinds: Counter[str] = Counter()

    def do_GET(self) -> None:  # noqa: N802
        """Answer one request, or 429 when the window's allowance is spent."""
        now = time.time()
        slot = math.floor(now / self.window)
        with Hub.lock:
            if Hub.served[slot] >= self.limit:
                Hub.refused += 1
                self._reply(429, b"Too Many Requests", {"Retry-After": f"{max(1, math.ceil(self.window))}"})
                return
            Hub.served[slot] += 1
            remaining = self.limit - Hub.served[slot]
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{(slot + 1) * self.window:.3f}",
            "Content-Type": "application/json",
        }
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if parts.path == "/api/search/v4":
            body = self._search(query)
        else:
            body = self._listing(parts.path.split("/")[3], query)
        self._reply(200, json.dumps(body).encode(), headers)

    def _search(self, query: dict[str, str]) -> dict:
        with Hub.lock:
            Hub.kinds["search"] += 1
        start, size = int(query.get("from", 0)), int(query.get("size", 25))
        results = [{"name": f"{ns}/{name}", "badge": None, "pull_count": humanised(pulls), "star_count": 0}
                   for ns, name, pulls in self.repos[start : start + size]]  # fmt: skip
        return {"total": len(self.repos), "results": results}

    def _listing(self, namespace: str, query: dict[str, str]) -> dict:
        with Hub.lock:
            Hub.kinds["listing"] += 1
        rows = self.by_namespace.get(namespace, [])
        page, size = int(query.get("page", 1)), min(int(query.get("page_size", 10)), 100)
        chunk = rows[(page - 1) * size : page * size]  # already ranked by pulls: ordering=-pull_count
        more = page * size < len(rows)
        following = f"/v2/namespaces/{namespace}/repositories?page={page + 1}&page_size={size}&ordering=-pull_count"
        results = [
            {"namespace": namespace, "name": name, "pull_count": pulls, "star_count": 0} for name, pulls in chunk
        ]
        return {"count": len(rows), "next": following if more else None, "results": results}


def minimal_listing_requests(repos: list[tuple[str, str, int]], top: int) -> tuple[int, int]:
    """Return (namespaces in the top N, the fewest listing requests that reach each one's top repositories)."""
    wanted = Counter(namespace for namespace, _, _ in repos[:top])
    return len(wanted), sum(math.ceil(count / 100) for count in wanted.values())


def store_growth(store: Store, folder: Path, snapshot_id: int) -> float:
    """Store COPIES more snapshots of the same entries; return the bytes each added to the SQLite file."""
    path = folder / "bench.db"
    entries = [_entry(row) for row in store.read_catalog_entries([snapshot_id]).to_dict("records")]
    store.close()  # the last connection's close folds the WAL into the file, so its size is the store's
    before = path.stat().st_size
    store = open_store(f"sqlite:///{path}")
    for copy in range(COPIES):
        store.save_catalog_file(f"copy-{copy}", f"copy {copy}", 0, 0, None, entries)
    store.close()
    return (path.stat().st_size - before) / COPIES


def _entry(row: dict) -> dict:
    """A read entry as the store takes it back: missing values as None, the instant as epoch seconds."""
    entry = {key: None if pd.isna(value) else value for key, value in row.items() if key != "snapshot_id"}
    entry["observed_at"] = int(row["observed_at"].timestamp())
    return {key: int(value) if isinstance(value, np.integer) else value for key, value in entry.items()}


def run(top: int, limit: int, speedup: float, workers: int) -> dict[str, float]:
    """Take one catalog snapshot of the top `top` from a fresh hub and store; return the figures."""
    Hub.repos, Hub.by_namespace = build_hub(top)
    Hub.limit, Hub.window, Hub.served, Hub.refused, Hub.kinds = limit, 60.0 / speedup, Counter(), 0, Counter()
    namespaces, minimal = minimal_listing_requests(Hub.repos, top)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api_url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = open_store(f"sqlite:///{folder / 'bench.db'}")
        limiter = RateLimiter(budget=RequestBudget(limit, window=Hub.window))
        client = HubClient(api_url, timeout=30, retry=RetrySettings(retries=5, backoff=0.1), limiter=limiter)
        started = time.perf_counter()
        outcome = collect_catalog(client, store, CatalogRequest(api_url, top=top), workers, resume_within=0)
        seconds = time.perf_counter() - started
        per_snapshot = store_growth(store, folder, outcome.snapshot_id)
    server.shutdown()
    requests = Hub.kinds["search"] + Hub.kinds["listing"]
    return {"seconds": seconds, "namespaces": namespaces, "minimal": minimal, "listing": Hub.kinds["listing"],
            "search": Hub.kinds["search"], "requests": requests, "refused": Hub.refused, "exact": outcome.exact,
            "failed": len(outcome.failures), "bytes_per_snapshot": per_snapshot}  # fmt: skip


def main() -> None:
    """Print the figures of one catalog snapshot and what a year of them takes."""
    parser = bench_parser(__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, help=f"repositories (default {FULL_TOP:,}; {QUICK_TOP:,} with --quick)")
    parser.add_argument("--limit", type=int, default=180, help="requests per (compressed) minute (default 180)")
    parser.add_argument("--speedup", type=float, default=60.0, help="time compression (default 60: a minute is 1 s)")
    parser.add_argument("--workers", type=int, default=4, help="listings in flight (default 4)")
    args = parser.parse_args()
    top = args.top or (QUICK_TOP if args.quick else FULL_TOP)
    figures = run(top, args.limit, args.speedup, args.workers)
    hours_at_180 = figures["requests"] / 180 / 60  # the real anonymous limit, whatever --limit compressed
    print(f"top {top:,} repositories in {figures['namespaces']:,} namespaces; {figures['requests']:,} requests "
          f"({figures['search']:,} search, {figures['listing']:,} listing; fewest listing: {figures['minimal']:,}); "
          f"{figures['refused']} refused; loopback run {figures['seconds']:.0f} s")  # fmt: skip
    report("catalog.top", top, "repositories")
    report("catalog.namespaces", figures["namespaces"], "namespaces")
    report("catalog.requests", figures["requests"], "requests")
    report("catalog.listing_requests", figures["listing"], "requests")
    report("catalog.listing_vs_minimal", figures["listing"] / figures["minimal"], "x")
    report("catalog.over_limit", figures["refused"], "requests")
    report("catalog.exact_counts", figures["exact"], "repositories")
    report("catalog.failed", figures["failed"], "repositories")
    report("catalog.loopback_seconds", figures["seconds"], "s")
    report("catalog.hours_at_180_per_min", hours_at_180, "h")
    report("catalog.store_per_snapshot", figures["bytes_per_snapshot"] / 1e6, "MB")
    report("catalog.store_365_snapshots", figures["bytes_per_snapshot"] * SNAPSHOTS_A_YEAR / 1e9, "GB")


if __name__ == "__main__":
    main()
