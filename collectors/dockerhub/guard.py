"""What no server may do to a request: hold it open past its deadline, or take its credentials elsewhere.

A per-read timeout does not bound a request: a server that sends one byte a second, or header lines
for ever, never lets a read time out. So each exchange (status line, headers and body) runs under a
watchdog that shuts its socket once the deadline passes; the blocked read then fails at once.

requests follows a 307 with the same method and body, so a login would carry the personal access
token to whatever host the answer names. The session here refuses any redirect that leaves the
origin (scheme, host and port) it was sent to, on every request.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from store.values import shown

MAX_REDIRECTS = 5
_CURRENT = threading.local()


class RedirectRefused(requests.exceptions.RequestException):
    """An answer redirected to another origin; it was not followed, so no credential went there."""


class AttemptWatch:
    """Shuts the socket of an exchange whose answer is not complete `seconds` after it was sent."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.attempts = 0  # exchanges watched so far (retries and redirects each start one)
        self.expired = 0  # exchanges cut at their deadline
        self.cut = False  # whether the latest exchange was cut: its answer, however it ended, is incomplete
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._sock: socket.socket | None = None

    def arm(self, sock: socket.socket) -> None:
        """Start the deadline of a new exchange on `sock`."""
        with self._lock:
            self._cancel()
            self.attempts += 1
            self.cut = False
            self._sock = sock
            self._timer = threading.Timer(self.seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()

    def disarm(self) -> None:
        """End the current exchange's deadline (its answer is complete, or the attempt is over)."""
        with self._lock:
            self._cancel()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._sock = None

    def _expire(self) -> None:
        with self._lock:
            if self._sock is None:
                return
            self.expired += 1
            self.cut = True
            try:
                # The plain socket's shutdown, also for TLS: it wakes a read blocked in another thread.
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the reader: the exchange is over either way
            self._sock = None


@contextmanager
def deadline(seconds: float) -> Iterator[AttemptWatch]:
    """Watch every exchange this thread makes inside the block, each against `seconds`."""
    watch = AttemptWatch(seconds)
    previous = getattr(_CURRENT, "watch", None)
    _CURRENT.watch = watch
    try:
        yield watch
    finally:
        watch.disarm()
        _CURRENT.watch = previous


def end_attempt() -> None:
    """Stop the deadline of this thread's current exchange (called when an attempt fails, before a retry waits)."""
    watch = getattr(_CURRENT, "watch", None)
    if watch is not None:
        watch.disarm()


class _Watched:
    """Connection mixin: arm the thread's watch as soon as the request is sent and the answer awaited."""

    sock: socket.socket | None

    def getresponse(self) -> Any:  # noqa: ANN401
        """Read the answer under the deadline of the thread's watch, if it has one."""
        watch = getattr(_CURRENT, "watch", None)
        if watch is not None and self.sock is not None:
            watch.arm(self.sock)
        return super().getresponse()  # type: ignore[misc]


class WatchedHTTPConnection(_Watched, HTTPConnection):
    """urllib3's HTTPConnection whose answers are read under a deadline."""


class WatchedHTTPSConnection(_Watched, HTTPSConnection):
    """urllib3's HTTPSConnection whose answers are read under a deadline."""


class WatchedHTTPPool(HTTPConnectionPool):
    """A pool of watched HTTP connections."""

    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    """A pool of watched HTTPS connections."""

    ConnectionCls = WatchedHTTPSConnection


WATCHED_POOLS = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}


def origin(url: str) -> tuple[str, str, int | None]:
    """Return (scheme, host, port) of `url`, the default port filled in."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port or default
    except ValueError:
        port = -1  # an unreadable port is an origin of its own
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class GuardedSession(requests.Session):
    """A Session that follows a redirect only within the origin the request was sent to."""

    def __init__(self) -> None:
        super().__init__()
        self.max_redirects = MAX_REDIRECTS

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        """Return where `resp` redirects to; raise RedirectRefused when that is another origin."""
        target = super().get_redirect_target(resp)
        if target is None:
            return None
        absolute = urljoin(resp.url, target)
        if origin(absolute) != origin(resp.url) or urlsplit(absolute).username is not None:
            resp.close()
            scheme, host, port = origin(absolute)
            raise RedirectRefused(
                f"answer redirects to another host ({shown(f'{scheme}://{host}:{port}')}): "
                "not followed, so no credential leaves the API host"
            )
        return target
