"""A collection run: fetch with a bounded pool of workers, save each image as soon as it arrives.

Workers only fetch; every answer goes through one queue to the calling thread, which saves it in a
transaction of its own, so a run killed halfway keeps every image it finished. A failure is recorded
with its reason, never as a count.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from collectors.dockerhub.api import DockerHubError, HubClient, fetch_repository, shown_api_url
from collectors.dockerhub.listing import fetch_namespace
from store.interface import Store
from store.timeutil import now_epoch
from store.values import IMAGE_FIELDS, StoreValueError

log = logging.getLogger("collectors.dockerhub.api")


@dataclass(frozen=True)
class Request:
    """What to collect: single images and whole namespaces, from one API."""

    api_url: str
    images: list[tuple[str, str]]
    namespaces: list[str] = field(default_factory=list)
    kind: str = "collect"

    @property
    def source(self) -> str:
        """Return the text that names this request in the runs table (same request, same text)."""
        listed = sorted(f"{ns}/{name}" for ns, name in self.images) + sorted(f"{ns}/*" for ns in self.namespaces)
        digest = hashlib.sha256("\n".join(listed).encode()).hexdigest()[:16]
        return f"dockerhub {shown_api_url(self.api_url)} request={digest}"


@dataclass
class Outcome:
    """What a run achieved: its id, how many images were saved, which failed and why."""

    run_id: int
    collected: int = 0
    already: int = 0
    listed: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    resumed: bool = False
    errors: dict[str, DockerHubError] = field(default_factory=dict)  # the error behind each fetch failure
    unanswered: int = 0  # images still being fetched when the deadline came

    @property
    def requested(self) -> int:
        """Return how many images the run was after (namespace listings counted image by image)."""
        return self.collected + self.already + len(self.failures)

    def summary(self, seconds: float, store: str) -> str:
        """Return the one-paragraph report printed at the end of a run."""
        text = f"collected {self.collected} of {self.requested} images in {seconds:.1f} s (run {self.run_id}"
        text += f", resumed: {self.already} were already collected)" if self.resumed else ")"
        if self.failures:
            text += f"; {len(self.failures)} failed (named on stderr)"
        return f"{text}; store: {store}"


@dataclass(frozen=True)
class _Answer:
    label: str
    record: dict[str, Any] | None = None
    reason: str | None = None
    error: DockerHubError | None = None


_DONE = _Answer("")
# Told after each image: (images done, images planned or None for a namespace listing, the image's label).
Progress = Callable[[int, int | None, str], None]


def collect(
    client: HubClient,
    store: Store,
    request: Request,
    workers: int,
    resume_within: float,
    on_progress: Progress | None = None,
    deadline: float | None = None,
) -> Outcome:
    """Fetch everything `request` asks for and save it; resume the same request's recent interrupted run.

    `deadline` (a time.monotonic() value) ends the run there: what was saved stays, the images still
    being fetched are counted in `Outcome.unanswered`.
    """
    run_id, done, resumed = _start_or_resume(store, request, resume_within)
    outcome = Outcome(run_id=run_id, already=len(done), resumed=resumed)
    answers: queue.Queue[_Answer] = queue.Queue()
    tasks: list[Callable[[], None]] = [
        _image_task(client, ns, name, answers) for ns, name in request.images if (ns, name) not in done
    ]
    tasks += [_namespace_task(client, ns, answers) for ns in request.namespaces]
    total = None if request.namespaces else len(tasks)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dockerhub")
    try:
        futures = [pool.submit(task) for task in tasks]
        with tqdm(total=total, unit="image", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
            tell = _progress(bar, total, on_progress)
            outcome.unanswered = _save_answers(store, answers, len(futures), outcome, done, tell, deadline)
        _raise_worker_bugs(futures, wait=not outcome.unanswered)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    store.finish_run(run_id, outcome.collected + outcome.already, len(outcome.failures), outcome.requested)
    return outcome


def _start_or_resume(store: Store, request: Request, resume_within: float) -> tuple[int, set[tuple[str, str]], bool]:
    if resume_within > 0:
        run_id = store.find_unfinished_run(request.kind, request.source, now_epoch() - int(resume_within))
        if run_id is not None:
            store.clear_failures(run_id)
            done = store.images_in_run(run_id)
            log.info("resuming interrupted run %d: %d images already collected", run_id, len(done))
            return run_id, done, True
    return store.start_run(request.kind, len(request.images), source=request.source), set(), False


def _progress(bar: tqdm, total: int | None, on_progress: Progress | None) -> Callable[[str], None]:
    count = 0

    def tell(label: str) -> None:
        nonlocal count
        count += 1
        bar.update(1)
        if on_progress is not None:
            on_progress(count, total, label)

    return tell


def _save_answers(
    store: Store,
    answers: queue.Queue,
    tasks: int,
    outcome: Outcome,
    done: set[tuple[str, str]],
    tell: Callable[[str], None],
    deadline: float | None,
) -> int:
    """Save answers as they come until every task is done or the deadline passes; return the tasks left."""
    finished = 0
    while finished < tasks:
        try:
            answer = answers.get(timeout=None if deadline is None else max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            log.warning("deadline reached: %d images still being fetched are left for the next run", tasks - finished)
            return tasks - finished
        if answer is _DONE:
            finished += 1
            continue
        if answer.record is None:
            _fail(store, outcome, answer.label, answer.reason or "unknown failure")
            if answer.error is not None:
                outcome.errors[answer.label] = answer.error
        elif (answer.record["namespace"], answer.record["name"]) in done:
            continue  # already saved by the interrupted run, or named twice in the request
        else:
            _save_one(store, outcome, answer, done)
        tell(answer.label)
    return 0


def _fail(store: Store, outcome: Outcome, label: str, reason: str) -> None:
    outcome.failures[label] = reason
    store.record_failure(outcome.run_id, label, reason)


def _save_one(store: Store, outcome: Outcome, answer: _Answer, done: set[tuple[str, str]]) -> None:
    """Save one image's record; a value the store refuses is that image's failure, not the run's end."""
    try:
        store.save_snapshots([_without_unknown_details(answer.record)], run_id=outcome.run_id)
    except StoreValueError as error:
        _fail(store, outcome, answer.label, f"answer refused by the store: {error}")
        return
    done.add((answer.record["namespace"], answer.record["name"]))
    outcome.collected += 1
    log.info("%s: %d pulls", answer.label, answer.record["pull_count"])


def _without_unknown_details(record: dict[str, Any]) -> dict[str, Any]:
    """Drop image details the answer did not carry, so they do not blank what an earlier answer said."""
    return {key: value for key, value in record.items() if value is not None or key not in IMAGE_FIELDS}


def _image_task(client: HubClient, namespace: str, name: str, answers: queue.Queue) -> Callable[[], None]:
    def task() -> None:
        label = f"{namespace}/{name}"
        try:
            answers.put(_Answer(label, record=fetch_repository(client, namespace, name)))
        except DockerHubError as error:
            answers.put(_Answer(label, reason=str(error), error=error))
        finally:
            answers.put(_DONE)

    return task


def _namespace_task(client: HubClient, namespace: str, answers: queue.Queue) -> Callable[[], None]:
    def task() -> None:
        count = 0
        try:
            for record in fetch_namespace(
                client, namespace, on_skip=lambda label, why: answers.put(_Answer(label, reason=why))
            ):
                count += 1
                answers.put(_Answer(f"{record['namespace']}/{record['name']}", record=record))
        except DockerHubError as error:
            where = f"listing stopped after {count} images: " if count else "listing failed: "
            answers.put(_Answer(f"{namespace}/*", reason=where + str(error), error=error))
        finally:
            answers.put(_DONE)

    return task


def _raise_worker_bugs(futures: Iterable[Future], wait: bool) -> None:
    """Re-raise an unexpected exception from a worker rather than letting it vanish (past a deadline: ended ones)."""
    for future in futures:
        if wait or (future.done() and not future.cancelled()):
            future.result()
