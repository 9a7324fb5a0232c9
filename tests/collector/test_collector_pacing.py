"""Pacing to X-RateLimit-*: never over the limit, and at least 80% of what it allows."""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter

import pytest
from werkzeug.wrappers import Response

from collectors.dockerhub.http import RateLimiter

LIMIT = 10  # requests per one-second window, windows aligned on whole unix seconds


class FixedWindowLimit:
    """A server-side limit like Docker Hub's: LIMIT requests per window, 429 beyond it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self.served: Counter[int] = Counter()  # window -> requests answered 200
        self.refused = 0

    def __call__(self, request) -> Response:
        with self.lock:
            now = time.time()
            window = math.floor(now)
            if self.served[window] >= self.limit:
                self.refused += 1
                headers = {"Retry-After": "1", "X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": "0"}
                headers["X-RateLimit-Reset"] = str(window + 1)
                return Response("Too Many Requests", status=429, headers=headers)
            self.served[window] += 1
            remaining = self.limit - self.served[window]
        name = request.path.strip("/").split("/")[-1]
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(window + 1),
        }
        body = f'{{"namespace": "library", "name": "{name}", "pull_count": {len(name)}}}'
        return Response(body, headers=headers, content_type="application/json")


@pytest.mark.parametrize("workers", [1, 8])
def test_collection_stays_under_the_limit_and_uses_most_of_it(hub, run_cli, db_path, store, workers):
    limit = FixedWindowLimit(LIMIT)
    hub.expect_request(re.compile(r"^/v2/namespaces/library/repositories/[^/]+$")).respond_with_handler(limit)
    images = [f"image{number:02d}" for number in range(3 * LIMIT + 3)]
    flags = [arg for image in images for arg in ("--image", image)]
    code, _, err = run_cli(
        "dockerhub", *flags, "--db", str(db_path), "--api-url", hub.url_for(""), "--workers", str(workers)
    )
    assert (code, err) == (0, "")
    assert len(store.rows()) == len(images)
    assert limit.refused == 0
    windows = [limit.served[window] for window in sorted(limit.served)]
    assert sum(windows) == len(images)
    assert max(windows) <= LIMIT
    # The first window began before the run did and the last is where the work ran out; every
    # window in between is one the collector waited through, and it must use at least 80% of it.
    between = windows[1:-1]
    assert len(between) >= 2, windows
    assert all(count >= 0.8 * LIMIT for count in between), windows


class FakeClock:
    """A clock the test moves by hand; waiting on it is not needed because nothing blocks."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(reset)}


def test_the_first_answer_decides_whether_there_is_a_limit():
    limiter = RateLimiter(clock=FakeClock(1_000_000_000.0))
    ticket = limiter.acquire()
    assert limiter._wait_needed() == 1.0  # a second request waits for the first answer
    limiter.release(ticket, {"Content-Type": "application/json"})
    assert limiter._wait_needed() is None and limiter.limit is None


def test_a_request_without_an_answer_leaves_the_limit_unknown():
    limiter = RateLimiter(clock=FakeClock(1_000_000_000.0))
    limiter.release(limiter.acquire(), None)  # connection refused, say
    limiter.acquire()
    assert limiter._wait_needed() == 1.0


def test_the_allowance_is_counted_down_and_restored_at_the_reset():
    clock = FakeClock(1_000_000_000.0)
    limiter = RateLimiter(clock=clock)
    limiter.release(limiter.acquire(), headers(5, 3, 1_000_000_010))
    for _ in range(3):
        assert limiter._wait_needed() is None
        limiter.acquire()
    assert limiter._wait_needed() == pytest.approx(10.0)
    clock.now = 1_000_000_010.0
    assert limiter._wait_needed() is None
    assert limiter.remaining == 5 - 3  # the three requests still in flight may count in the new window


def test_our_own_requests_are_not_counted_twice():
    limiter = RateLimiter(clock=FakeClock(1_000_000_000.0))
    limiter.release(limiter.acquire(), headers(10, 9, 1_000_000_060))
    tickets = [limiter.acquire() for _ in range(4)]
    assert limiter.remaining == 5
    # The last one let out is answered first: the server has counted the other three already.
    limiter.release(tickets[3], headers(10, 5, 1_000_000_060))
    assert limiter.remaining == 5
    # The first one is answered last: Remaining 8 less the three let out after it.
    limiter.release(tickets[0], headers(10, 8, 1_000_000_060))
    assert limiter.remaining == 5


def test_another_client_using_the_allowance_lowers_ours():
    limiter = RateLimiter(clock=FakeClock(1_000_000_000.0))
    limiter.release(limiter.acquire(), headers(10, 9, 1_000_000_060))
    limiter.release(limiter.acquire(), headers(10, 2, 1_000_000_060))  # seven went elsewhere
    assert limiter.remaining == 2


def test_an_answer_about_a_window_that_is_over_is_ignored():
    clock = FakeClock(1_000_000_000.0)
    limiter = RateLimiter(clock=clock)
    limiter.release(limiter.acquire(), headers(10, 9, 1_000_000_001))
    late = limiter.acquire()
    clock.now = 1_000_000_001.5
    limiter.acquire()  # the window rolled: the full limit minus the one in flight
    limiter.release(late, headers(10, 0, 1_000_000_001))  # the late answer is about the old window
    assert limiter.remaining == 10 - 1 - 1


def test_seconds_until_the_reset_are_read_as_a_delay():
    limiter = RateLimiter(clock=FakeClock(1_000_000_000.0))
    limiter.release(limiter.acquire(), headers(10, 0, 30))
    assert limiter._wait_needed() == pytest.approx(30.0)
