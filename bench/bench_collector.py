"""Collector throughput against a loopback Docker Hub, with and without a rate limit.

Prints images per second and, under a limit, the share of the allowance used and the requests
refused. Run from the repository root:

    python bench/bench_collector.py [--quick] [--images N] [--limit N]

Each figure is also printed as a FIGURE line (see bench/_figures.py).
"""

from __future__ import annotations

import json
import math
import tempfile
import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer

from _figures import bench_parser, report
from _loopback import QuietHandler

from collectors.dockerhub.api import HubClient
from collectors.dockerhub.http import RetrySettings
from collectors.dockerhub.run import Request, collect
from store import open_store

FULL_IMAGES = 300
QUICK_IMAGES = 150


class LoopbackHub(QuietHandler):
    """Answers /v2/repositories/NS/NAME/; with a limit, counts requests per one-second window."""

    limit: int | None = None
    lock = threading.Lock()
    served: Counter[int] = Counter()
    refused = 0

    def do_GET(self) -> None:  # noqa: N802
        """Answer one repository request, or 429 when the window's allowance is spent."""
        window = math.floor(time.time())
        headers = {}
        with LoopbackHub.lock:
            if self.limit is not None:
                if LoopbackHub.served[window] >= self.limit:
                    LoopbackHub.refused += 1
                    self._reply(429, b"Too Many Requests", {"Retry-After": "1"})
                    return
                remaining = self.limit - LoopbackHub.served[window] - 1
                headers = {
                    "X-RateLimit-Limit": str(self.limit),
                    "X-RateLimit-Remaining": str(remaining),
                    "X-RateLimit-Reset": str(window + 1),
                }
            LoopbackHub.served[window] += 1
        namespace, name = self.path.strip("/").split("/")[-2:]
        body = json.dumps({"namespace": namespace, "name": name, "pull_count": 12_981_954_060, "star_count": 1})
        self._reply(200, body.encode(), {"Content-Type": "application/json", **headers})


def run_once(images: int, workers: int, limit: int | None) -> dict[str, float]:
    """Collect `images` images from a fresh loopback hub and store; return the figures."""
    LoopbackHub.limit, LoopbackHub.served, LoopbackHub.refused = limit, Counter(), 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), LoopbackHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api_url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/bench.db")
        client = HubClient(api_url, timeout=10, retry=RetrySettings(retries=5, backoff=0.1))
        request = Request(api_url=api_url, images=[("bench", f"image{n:05d}") for n in range(images)])
        started = time.perf_counter()
        outcome = collect(client, store, request, workers=workers, resume_within=0)
        seconds = time.perf_counter() - started
        store.close()
    server.shutdown()
    windows = [LoopbackHub.served[w] for w in sorted(LoopbackHub.served)]
    between = windows[1:-1]  # the first window began before the run, the last is where work ran out
    share = sum(between) / (len(between) * limit) if limit and between else float("nan")
    return {"images_per_s": outcome.collected / seconds, "share": share, "refused": LoopbackHub.refused,
            "failed": len(outcome.failures), "seconds": seconds}  # fmt: skip


def _report(limit: int | None, workers: int, figures: dict[str, float]) -> None:
    prefix = f"collector.{'unlimited' if limit is None else 'limited'}.workers_{workers}"
    report(f"{prefix}.throughput", figures["images_per_s"], "images/s")
    if limit is not None:
        report(f"{prefix}.allowance_used", 100 * figures["share"], "%")
        report(f"{prefix}.refused", figures["refused"], "requests")
    report(f"{prefix}.failed", figures["failed"], "images")


def main() -> None:
    """Print collector throughput with no limit and under a limit."""
    parser = bench_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "--images", type=int, help=f"images per scenario (default {FULL_IMAGES}; {QUICK_IMAGES} with --quick)"
    )
    parser.add_argument("--limit", type=int, default=50, help="requests allowed per second (default 50)")
    args = parser.parse_args()
    images = args.images or (QUICK_IMAGES if args.quick else FULL_IMAGES)
    print(f"{images} images per scenario")
    print(f"{'scenario':<34} {'workers':>7} {'images/s':>9} {'allowance used':>15} {'429s':>5} {'failed':>6}")
    measured = []
    for limit in (None, args.limit):
        for workers in (1, 8):
            figures = run_once(images, workers, limit)
            label = "no rate limit" if limit is None else f"limit {limit}/s (X-RateLimit-*)"
            used = "-" if limit is None else f"{figures['share']:.1%}"
            print(
                f"{label:<34} {workers:>7} {figures['images_per_s']:>9.1f} {used:>15} "
                f"{figures['refused']:>5} {figures['failed']:>6}"
            )
            measured.append((limit, workers, figures))
    report("collector.rate_limit", args.limit, "req/s")
    for limit, workers, figures in measured:
        _report(limit, workers, figures)


if __name__ == "__main__":
    main()
