"""Collect now: the Docker Hub collector run in-process, one collection at a time per store, told in plain words."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from settings import ENV_ALLOW_COLLECT, collect_allowed

ENV_ALLOW = ENV_ALLOW_COLLECT
# The whole collection ends by then: a person waits at the page for it.
DEADLINE_SECONDS = 120.0
WORKERS = 8
# Past this a wait is told in words ("more than a week"), not as a time of day the clock may not reach.
LONGEST_TOLD_WAIT = 7 * 86_400

Progress = Callable[[int, int | None, str], None]


@dataclass(frozen=True)
class CollectReport:
    """How a collection from the dashboard ended: counts, each failure's reason and the error behind it."""

    requested: int
    collected: int
    failures: dict[str, str] = field(default_factory=dict)
    errors: dict[str, Exception] = field(default_factory=dict)
    unanswered: int = 0
    deadline_seconds: float = DEADLINE_SECONDS
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    problem: str | None = None  # set when the collection could not start (a bad watchlist, a refused login)


class CollectionRunning(Exception):
    """Another session is collecting into the same store."""

    def __init__(self, started_at: datetime) -> None:
        super().__init__(f"a collection is running, started at {started_at:%H:%M:%S} UTC")
        self.started_at = started_at


@dataclass
class _Guard:
    lock: threading.Lock = field(default_factory=threading.Lock)
    started_at: datetime | None = None


@functools.cache
def _guard(db_url: str) -> _Guard:
    # One guard per store for the life of the server process, which all sessions share.
    return _Guard()


def allowed() -> bool:
    """False when $ADOPTION_ALLOW_COLLECT is 0 (or false/no/off): the button is then disabled."""
    return collect_allowed()


def running_since(db_url: str) -> datetime | None:
    """When the collection running on this store started, or None when none is running."""
    guard = _guard(db_url)
    return guard.started_at if guard.lock.locked() else None


def run_collection(
    images: Sequence[str],
    db_url: str,
    on_progress: Progress | None = None,
    deadline_seconds: float = DEADLINE_SECONDS,
) -> CollectReport:
    """Collect `images` (the default watchlist when empty) into the store; raise CollectionRunning if one is on."""
    guard = _guard(db_url)
    if not guard.lock.acquire(blocking=False):
        raise CollectionRunning(guard.started_at or datetime.now(UTC))
    guard.started_at = datetime.now(UTC)
    try:
        return _collect(images, db_url, on_progress, deadline_seconds)
    finally:
        guard.started_at = None
        guard.lock.release()


def _collect(
    images: Sequence[str], db_url: str, on_progress: Progress | None, deadline_seconds: float
) -> CollectReport:
    from collectors.dockerhub.api import DockerHubError
    from collectors.dockerhub.run import collect
    from store import open_store
    from store.errors import StoreError

    started = time.monotonic()
    try:
        request, client = _request(images, deadline_seconds)
        store = open_store(db_url)
    except (DockerHubError, StoreError, ValueError) as error:
        return CollectReport(0, 0, problem=str(error))
    outcome = collect(
        client,
        store,
        request,
        workers=WORKERS,
        resume_within=0,
        on_progress=on_progress,
        deadline=started + deadline_seconds,
    )
    return CollectReport(
        requested=outcome.requested + outcome.unanswered,
        collected=outcome.collected,
        failures=dict(outcome.failures),
        errors=dict(outcome.errors),
        unanswered=outcome.unanswered,
        deadline_seconds=deadline_seconds,
    )


def _request(images: Sequence[str], deadline_seconds: float):  # noqa: ANN202 - (Request, HubClient)
    from collectors.dockerhub.api import HubClient, check_name_part, resolve_api_url
    from collectors.dockerhub.http import RetrySettings
    from collectors.dockerhub.run import Request
    from collectors.dockerhub.watchlist import RUN_KIND, read_watchlist
    from settings import WATCHLIST, hub_credentials
    from store.values import split_image

    pairs = [split_image(image) for image in images] or read_watchlist(WATCHLIST)
    pairs = list(dict.fromkeys((check_name_part(ns), check_name_part(name)) for ns, name in pairs))
    base = RetrySettings.from_env()
    # Asked to wait longer than ADOPTION_HTTP_RETRY_AFTER_MAX or a third of the deadline: stop and say so.
    retry = RetrySettings(base.retries, base.backoff, base.retry_after_max, wait_limit=deadline_seconds / 3)
    api_url = resolve_api_url()
    client = HubClient(api_url, timeout=min(30.0, deadline_seconds / 2), retry=retry)
    username, token = hub_credentials()
    if username and token:
        client.login(username, token)
    return Request(api_url=api_url, images=pairs, kind=RUN_KIND), client


def plain_words(report: CollectReport) -> tuple[str, str]:
    """Return (success|warning|error, one sentence a person understands) for how a collection ended."""
    from collectors.dockerhub.api import RateLimitedError, UnreachableError

    saved = "No pull counts were saved." if not report.collected else ""
    if report.problem:
        return "error", f"The collection could not start: {report.problem}. Nothing was changed."
    limited = [error for error in report.errors.values() if isinstance(error, RateLimitedError)]
    if limited:
        wait = max(error.wait_seconds for error in limited)
        if wait > LONGEST_TOLD_WAIT:
            asked = "more than a week"
        else:
            asked = f"{_duration(wait)} (until about {report.finished_at + timedelta(seconds=wait):%H:%M} UTC)"
        return "error", (
            f"Docker Hub is limiting requests from this server and asked it to wait {asked}. "
            f"{_counted(report)} {saved}".strip()
        )
    failed = len(report.failures)
    unreachable = failed and all(isinstance(report.errors.get(label), UnreachableError) for label in report.failures)
    if unreachable and not report.collected:
        return "error", (
            "Docker Hub could not be reached from this server: no network, or a wrong address. Nothing was changed."
        )
    if report.unanswered:
        return "warning", (
            f"The collection stopped at its {report.deadline_seconds:.0f}-second limit: {_counted(report)} "
            "Click again to collect the rest."
        )
    if not failed:
        return "success", f"Collected all {report.collected} images; the charts now include the new counts."
    if not report.collected:
        return "error", f"None of the {report.requested} images could be collected (the reasons are below). {saved}"
    return "warning", f"{_counted(report)} The others could not be collected (the reasons are below)."


def _counted(report: CollectReport) -> str:
    return f"{report.collected} of {report.requested} images collected."


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} seconds"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.1f} hours"


def progress_text(done: int, total: int | None, image: str) -> str:
    """The progress line: "12 of 30: library/nginx"."""
    return f"{done} of {total}: {image}" if total else f"{done}: {image}"
