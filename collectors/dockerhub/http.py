"""HTTP plumbing for Docker Hub: one session, retries through urllib3, pacing to the advertised rate limit.

Everything that decides *when* a request may be sent lives here: urllib3's `Retry` (extended to read
the older `X-Retry-After` header) and a small limiter that follows `X-RateLimit-*`. Nothing here knows
what a repository is; `collectors.dockerhub.api` builds on it.
"""

from __future__ import annotations

import collections
import email.utils
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

import settings
from collectors.dockerhub.guard import WATCHED_POOLS, GuardedSession, end_attempt

log = logging.getLogger("collectors.dockerhub.api")

DEFAULT_BACKOFF = 0.5
DEFAULT_RETRIES = 5
DEFAULT_RETRY_AFTER_MAX = 900
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "adoption-dashboard-collector/1.0 (python-requests)"
# Bounds of the settings: past them a setting is a mistake (2,000 retries, a backoff of hours), not a wish.
MAX_RETRIES = 20
MAX_BACKOFF = 60.0
MAX_RETRY_AFTER = 86_400
MAX_STAMP = 1e11  # a unix time in the year 5138: past it, a header's number is nonsense, not a time
# Waits longer than this are announced, so a paced run does not look hung.
ANNOUNCE_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class RetrySettings:
    """How often and how patiently a failed request is tried again."""

    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    retry_after_max: int = DEFAULT_RETRY_AFTER_MAX
    # The longest wait asked by a server that this run accepts; a longer one ends the request at once.
    wait_limit: float | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RetrySettings:
        """Read ADOPTION_HTTP_RETRIES, _BACKOFF and _RETRY_AFTER_MAX; BadNumber when one is not a number in range."""
        return cls(
            retries=settings.number_setting(settings.ENV_RETRIES, DEFAULT_RETRIES, 0, MAX_RETRIES, True, environ),
            backoff=settings.number_setting(settings.ENV_BACKOFF, DEFAULT_BACKOFF, 0, MAX_BACKOFF, environ=environ),
            retry_after_max=settings.number_setting(
                settings.ENV_RETRY_AFTER_MAX, DEFAULT_RETRY_AFTER_MAX, 0, MAX_RETRY_AFTER, True, environ
            ),
        )

    @property
    def longest_wait(self) -> float:
        """Return the longest wait a server may announce that this run sits through."""
        return float(self.retry_after_max if self.wait_limit is None else min(self.retry_after_max, self.wait_limit))


def pause(seconds: float) -> None:
    """Sleep for a wait the server asked for (one place, so tests can watch the waits)."""
    time.sleep(seconds)


class RequestBudget:
    """At most `limit` requests in any `window` seconds, counted when each is let out (retries too).

    The window is kept a little longer than the server's (`guard`, a share of it), so requests that
    leave at the end of one of its windows and arrive late still fall in the window they were counted in.
    """

    def __init__(self, limit: int, window: float = 60.0, guard: float = 1 / 60) -> None:
        if limit < 1 or window <= 0:
            raise ValueError(f"a request budget needs a limit of 1 or more and a window above 0, not {limit}/{window}")
        self.limit = limit
        self.window = window * (1 + guard)
        self._sent: collections.deque[float] = collections.deque()

    def wait(self, now: float) -> float | None:
        """Return None when one more request fits now, else how long until one does."""
        while self._sent and self._sent[0] <= now - self.window:
            self._sent.popleft()
        if len(self._sent) < self.limit:
            return None
        return max(self._sent[0] + self.window - now, 0.001)

    def record(self, now: float) -> None:
        """Count one request let out at `now`."""
        self._sent.append(now)


class RateLimiter:
    """Paces requests to the allowance a server advertises in X-RateLimit-Limit/Remaining/Reset.

    Until the first answer arrives only one request is let out (the allowance is unknown); an
    answer without the headers switches pacing off. Each request takes one unit of the allowance
    before it is sent, so our own use is counted exactly; an answer's Remaining can only lower the
    count (another client may share the allowance).
    When the window's reset time passes, the full limit minus the requests still in flight (they
    may land in the new window) becomes available again.
    """

    def __init__(self, clock: Callable[[], float] = time.time, budget: RequestBudget | None = None) -> None:
        self._clock = clock
        self.budget = budget  # our own ceiling, kept whatever the server advertises
        self._cond = threading.Condition()
        self._local = threading.local()
        self.limit: int | None = None
        self.remaining: int | None = None
        self.reset_at: float | None = None
        self._known = False  # whether any answer has told us if there is a limit
        self._in_flight = 0
        self._issued = 0  # requests let out so far; each holds its number as a ticket
        # The longest wait for an advertised reset this run sits through (set from RetrySettings by build_session).
        self.max_wait: float | None = None

    def acquire(self) -> int:
        """Block until one more request fits in the advertised allowance, take it, return its ticket."""
        with self._cond:
            while True:
                wait = self._wait_needed()
                if wait is None:
                    break
                if self.max_wait is not None and self._waiting_for_reset():
                    allowed_wait(self.reset_at - self._clock(), self.max_wait)  # raises WaitRefused past the cap
                if wait > ANNOUNCE_WAIT_SECONDS:
                    log.warning("rate limit reached: waiting %.0f s for the allowance to reset", wait)
                self._cond.wait(timeout=wait)
            if self.remaining is not None:
                self.remaining -= 1
            if self.budget is not None:
                self.budget.record(self._clock())
            self._in_flight += 1
            self._issued += 1
            return self._issued

    def _waiting_for_reset(self) -> bool:
        return self.reset_at is not None and self.remaining is not None and self.remaining <= 0

    @property
    def issued(self) -> int:
        """Return how many requests (retries included) have been let out."""
        return self._issued

    def _wait_needed(self) -> float | None:
        """Return None when a request may go now, else how long to wait before looking again."""
        wait = self._advertised_wait()
        if wait is None and self.budget is not None:
            wait = self.budget.wait(self._clock())
        return wait

    def _advertised_wait(self) -> float | None:
        if not self._known:
            return None if self._in_flight == 0 else 1.0
        if self.limit is None:
            return None
        now = self._clock()
        if self.reset_at is not None and now >= self.reset_at:
            self.remaining = self.limit - self._in_flight
            self.reset_at = None
        if self.remaining is None or self.remaining > 0:
            return None
        if self.reset_at is None:
            return 0.05  # the window rolled but requests still in flight use it up
        return max(self.reset_at - now, 0.001)

    def release(self, ticket: int, headers: Mapping[str, str] | None) -> None:
        """Give back the in-flight slot of request `ticket` and learn from its answer's headers (None: no answer)."""
        with self._cond:
            self._in_flight -= 1
            advertised = _parse_rate_headers(headers) if headers is not None else None
            if headers is not None and not self._known:
                self._known = True
            if advertised is not None:
                self._learn(*advertised, sent_since=self._issued - ticket)
            self._cond.notify_all()

    def take(self) -> None:
        """Acquire a slot for the request this thread is about to send."""
        self._local.ticket = self.acquire()

    def give_back(self, headers: Mapping[str, str] | None) -> None:
        """Release this thread's slot, if it holds one (a no-op otherwise)."""
        ticket = getattr(self._local, "ticket", None)
        if ticket is not None:
            self._local.ticket = None
            self.release(ticket, headers)

    def _learn(self, limit: int, remaining: int, reset_at: float, sent_since: int) -> None:
        self.limit = limit
        if reset_at < 1e9:  # some servers give seconds until the reset rather than a timestamp
            reset_at += self._clock()
        if reset_at <= self._clock():
            return  # an answer about a window that is already over
        if self.reset_at is not None and reset_at < self.reset_at:
            return  # an answer overtaken by a newer one
        if self.reset_at == reset_at or (self.reset_at is None and self.remaining is not None):
            # A window we are counting in: our own requests are counted exactly, so the server's
            # figure matters only when it is lower (someone else shares the allowance).
            self.remaining = remaining if self.remaining is None else min(self.remaining, remaining)
        else:
            # A window we know nothing of: the server's count cannot include the requests let out
            # after this one, so take them off.
            self.remaining = remaining - sent_since
        self.reset_at = reset_at


def _parse_rate_headers(headers: Mapping[str, str]) -> tuple[int, int, float] | None:
    """Return (limit, remaining, reset) from X-RateLimit-*, or None when any is absent or not a sane number."""
    try:
        limit = settings.parse_number(headers["X-RateLimit-Limit"], "X-RateLimit-Limit", 1, 10**9, whole=True)
        remaining = settings.parse_number(
            headers["X-RateLimit-Remaining"], "X-RateLimit-Remaining", -(10**9), 10**9, whole=True
        )
        # Seconds until the reset, or a unix time up to the year 5138: both finite, anything else unread.
        reset_at = settings.parse_number(headers["X-RateLimit-Reset"], "X-RateLimit-Reset", 0, MAX_STAMP)
    except (KeyError, TypeError, ValueError):
        return None
    return int(limit), max(int(remaining), 0), reset_at


class WaitRefused(Exception):
    """The server asked for a wait longer than the run's wait limit: the request ends without waiting."""

    def __init__(self, seconds: float, longest: float | None = None) -> None:
        super().__init__(f"asked to wait {seconds:.0f} s")
        self.seconds = seconds
        self.longest = longest


def announced_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Return the wait an answer asks for, in finite seconds from 0: Retry-After, else X-Retry-After; None if unread.

    Retry-After holds seconds or an HTTP date; X-Retry-After, the older header, a unix time. A value that is
    not a finite number or a date (nan, inf, 10^400, text) is not read, so the usual backoff applies.
    """
    raw = headers.get("Retry-After")
    if raw is not None:
        seconds = _seconds_or_date(raw, now)
        if seconds is not None:
            return seconds
    stamp = headers.get("X-Retry-After")
    if stamp is None:
        return None
    try:
        return max(settings.parse_number(stamp, "X-Retry-After", 0, MAX_STAMP) - now, 0.0)
    except ValueError:
        return None


def _seconds_or_date(raw: str, now: float) -> float | None:
    try:
        return settings.parse_number(raw, "Retry-After", 0, MAX_STAMP)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        return None
    try:
        return max(moment.timestamp() - now, 0.0)
    except (OverflowError, OSError, ValueError):
        return None


def allowed_wait(seconds: float, longest: float) -> float:
    """Return `seconds` when the run sits through a wait that long; raise WaitRefused when it is longer than `longest`.

    The one policy for every wait a server announces (Retry-After, X-Retry-After, X-RateLimit-Reset): capped by
    ADOPTION_HTTP_RETRY_AFTER_MAX and, in the dashboard, by Collect now's deadline.
    """
    if not 0 <= seconds <= longest:  # also refuses nan
        raise WaitRefused(seconds, longest)
    return seconds


class HubRetry(Retry):
    """urllib3's Retry that also honours `X-Retry-After` (a unix timestamp) and paces each new attempt."""

    limiter: RateLimiter | None = None
    longest_wait: float = float(DEFAULT_RETRY_AFTER_MAX)

    def new(self, **kw: Any) -> HubRetry:
        """Return a copy for the next attempt, keeping the limiter and the longest wait."""
        retry = super().new(**kw)
        retry.limiter = self.limiter
        retry.longest_wait = self.longest_wait
        return retry

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """Return the wait asked for by `Retry-After` (seconds or date) or `X-Retry-After` (unix time)."""
        return announced_wait(response.headers, time.time())

    def sleep_for_retry(self, response: BaseHTTPResponse) -> bool:
        """Sleep as long as the answer asked (WaitRefused past the longest wait); True when it asked at all."""
        seconds = self.get_retry_after(response)
        if seconds is None:
            return False
        allowed_wait(seconds, self.longest_wait)
        if seconds > ANNOUNCE_WAIT_SECONDS:
            log.warning("server asked to retry later: waiting %.0f s", seconds)
        pause(seconds)
        return True

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> HubRetry:
        """Count a failed attempt (ending its deadline, freeing its pacing slot) before deciding whether to retry."""
        end_attempt()
        if self.limiter is not None:
            self.limiter.give_back(response.headers if response is not None else None)
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """Wait before the next attempt, then take a pacing slot for it."""
        super().sleep(response)
        if self.limiter is not None:
            self.limiter.take()


class PacedAdapter(HTTPAdapter):
    """HTTPAdapter whose every attempt takes a slot from the rate limiter first, and is read under a deadline."""

    def __init__(self, limiter: RateLimiter, max_retries: HubRetry) -> None:
        self.limiter = limiter
        super().__init__(max_retries=max_retries)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Build the pool manager with connections that arm the thread's deadline watch."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:  # noqa: ANN401
        """Return the proxy manager for `proxy`, its connections watched too."""
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS managers bring pools of their own
            manager.pool_classes_by_scheme = WATCHED_POOLS
        return manager

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Send `request` once the allowance permits, and learn from the answer's rate headers."""
        self.limiter.take()
        response = None
        try:
            response = super().send(request, **kwargs)
            return response
        finally:
            self.limiter.give_back(response.headers if response is not None else None)


def build_retry(settings: RetrySettings, limiter: RateLimiter | None) -> HubRetry:
    """Return the retry policy: 429, 5xx and connection errors, exponential backoff, Retry-After honoured."""
    retry = HubRetry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST"}),
        backoff_factor=settings.backoff,
        backoff_max=max(settings.backoff * 2**settings.retries, settings.backoff),
        respect_retry_after_header=True,
        retry_after_max=settings.retry_after_max,
        raise_on_status=False,
    )
    retry.limiter = limiter
    retry.longest_wait = settings.longest_wait
    return retry


def build_session(settings: RetrySettings, limiter: RateLimiter) -> requests.Session:
    """Return the one Session used for Docker Hub: paced retries for http and https, redirects kept on one origin."""
    session = GuardedSession()
    limiter.max_wait = settings.longest_wait
    adapter = PacedAdapter(limiter, build_retry(settings, limiter))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session
