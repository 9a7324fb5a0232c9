"""A catalog run: search for the top repositories, then take their exact counts by namespace listing.

Every search page and every namespace's listing is saved in a transaction of its own, as soon as it
arrives, into the run's catalog snapshot: a run killed halfway keeps them, and the same command
resumes it (repositories still known only from the search are listed; a search cut short goes on
where it stopped). A repository whose exact count could not be taken keeps the search's range and
is named as a failure, never stored as 0.

A crawl (`crawl=True`) lists every namespace whole: the seed namespaces and every namespace the
search found (the search stops near 2,500 results; namespaces go much further). A namespace listed
whole is saved in one transaction when its listing ends, so a resumed run skips the namespaces it
finished (those with exact counts, no listing failure and no search entry still waiting).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from collectors.catalog.listing import list_namespace, listing_entry
from collectors.catalog.search import SHAPES, search_catalog
from collectors.dockerhub.api import DockerHubError, HubClient, shown_api_url
from collectors.dockerhub.listing import PAGE_SIZE
from store.interface import Store
from store.timeutil import now_epoch

log = logging.getLogger("collectors.dockerhub.api")
RUN_KIND = "catalog"


@dataclass(frozen=True)
class CatalogRequest:
    """What a catalog run covers: the search's top N of a source, and whole namespaces."""

    api_url: str
    top: int = 0
    namespaces: tuple[str, ...] = ()
    source: str = "all"
    shape: str = "v4"
    crawl: bool = False  # list every namespace whole, those the search found included

    @property
    def run_source(self) -> str:
        """Return the text naming this request in the runs table (same request, same text)."""
        words = f"top={self.top} source={self.source} shape={self.shape} ns={','.join(sorted(self.namespaces))}"
        words += " crawl" if self.crawl else ""
        digest = hashlib.sha256(words.encode()).hexdigest()[:16]
        return f"dockerhub-catalog {shown_api_url(self.api_url)} request={digest}"


@dataclass
class CatalogOutcome:
    """What a catalog run achieved."""

    run_id: int
    snapshot_id: int
    found: int = 0  # repositories the search named
    exact: int = 0  # exact counts saved from listings
    namespaces: int = 0  # listings read
    failures: dict[str, str] = field(default_factory=dict)
    resumed: bool = False
    whole: int = 0  # namespaces to list whole (a crawl's seeds and found ones, or --namespace)
    whole_skipped: int = 0  # of them, finished by the interrupted run this one resumed
    repositories: int = 0  # exact counts in the snapshot, from listings

    def coverage(self) -> str:
        """Return "N repositories in M namespaces; K namespaces failed"."""
        failed = sum(1 for label in self.failures if label.endswith("/*"))
        return f"{self.repositories:,} repositories in {self.whole:,} namespaces; {failed:,} namespaces failed"

    def summary(self, seconds: float, requests: int, store: str) -> str:
        """Return the paragraph printed at the end of a run."""
        text = (
            f"catalog snapshot {self.snapshot_id}: {self.found:,} repositories from the search, {self.exact:,} exact "
            f"counts from {self.namespaces:,} namespace listings, {requests:,} requests in {seconds:.1f} s "
            f"(run {self.run_id}{', resumed' if self.resumed else ''})"
        )
        if self.whole:
            skipped = f" ({self.whole_skipped:,} finished before the resume)" if self.whole_skipped else ""
            text += f"; coverage: {self.coverage()}{skipped}"
        if self.failures:
            text += f"; {len(self.failures)} failed (named on stderr; their counts stay ranges)"
        return f"{text}; store: {store}"


@dataclass(frozen=True)
class _Batch:
    namespace: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    failure: tuple[str, str] | None = None
    done: bool = False
    repositories: int = 0  # how many the namespace's listing gave


# Told after each namespace listed: (namespaces done, namespaces to list, the namespace, its repositories).
Progress = Callable[[int, int, str, int], None]


def collect_catalog(
    client: HubClient,
    store: Store,
    request: CatalogRequest,
    workers: int,
    resume_within: float,
    on_progress: Progress | None = None,
) -> CatalogOutcome:
    """Take the catalog snapshot `request` asks for; resume the same request's recent interrupted run."""
    outcome, failed_before = _start_or_resume(store, request, resume_within)
    snapshot = store.snapshot_of_run(outcome.run_id)
    if request.top and not snapshot["discovered"]:
        _discover(client, store, request, outcome)
    stored = store.entries_by_method(outcome.snapshot_id)
    outcome.found = len(stored.get("search", set()) | stored.get("listing", set()))
    publishers = _publishers(store, outcome.snapshot_id)
    pending = stored.get("search", set())
    if request.crawl:  # namespaces an interrupted crawl already listed are targets too (skipped below, counted)
        pending = pending | stored.get("listing", set())
    targets = _targets(pending, request.namespaces, request.crawl)
    finished = _finished_namespaces(stored, failed_before)
    outcome.whole = sum(1 for wanted in targets.values() if wanted is None)
    targets = {ns: wanted for ns, wanted in targets.items() if wanted is not None or ns not in finished}
    outcome.whole_skipped = outcome.whole - sum(1 for wanted in targets.values() if wanted is None)
    _list_all(client, store, targets, publishers, workers, outcome, on_progress)
    outcome.exact = outcome.repositories = len(store.entries_by_method(outcome.snapshot_id).get("listing", set()))
    complete = not outcome.failures
    store.update_catalog_snapshot(outcome.snapshot_id, observed_to=now_epoch(), complete=complete)
    store.finish_run(outcome.run_id, outcome.exact, len(outcome.failures), outcome.found or outcome.exact)
    return outcome


def _start_or_resume(store: Store, request: CatalogRequest, resume_within: float) -> tuple[CatalogOutcome, set[str]]:
    """Return the run's outcome so far and the failure labels the interrupted run had recorded (none if new)."""
    if resume_within > 0:
        run_id = store.find_unfinished_run(RUN_KIND, request.run_source, now_epoch() - int(resume_within))
        snapshot = None if run_id is None else store.snapshot_of_run(run_id)
        if snapshot is not None:
            failed = set(store.read_failures(run_id)["image"])
            store.clear_failures(run_id)
            log.info("resuming interrupted catalog run %d", run_id)
            return CatalogOutcome(run_id, snapshot["snapshot_id"], resumed=True), failed
    run_id = store.start_run(RUN_KIND, request.top, source=request.run_source)
    where = shown_api_url(request.api_url)
    source = f"Docker Hub {where}: {request.shape} search (top {request.top:,}, {request.source}) "
    source += "and namespace listings" if request.top else "namespace listings"
    snapshot_id = store.create_catalog_snapshot(source, now_epoch(), run_id=run_id)
    return CatalogOutcome(run_id, snapshot_id), set()


def _finished_namespaces(stored: dict[str, set[tuple[str, str]]], failed_before: set[str]) -> set[str]:
    """Return the namespaces an interrupted run listed whole: exact counts saved, no failure, no search entry left."""
    listed = {namespace for namespace, _ in stored.get("listing", set())}
    waiting = {namespace for namespace, _ in stored.get("search", set())}
    failed = {label[:-2] for label in failed_before if label.endswith("/*")}
    return listed - waiting - failed


def _discover(client: HubClient, store: Store, request: CatalogRequest, outcome: CatalogOutcome) -> None:
    """Save the search's entries page by page, going on from the places a killed run already saved."""
    done = store.entries_by_method(outcome.snapshot_id)
    start = len(done.get("search", set()) | done.get("listing", set()))
    skipped = lambda label, why: _fail(store, outcome, label, why)  # noqa: E731
    try:
        for entries in search_catalog(client, SHAPES[request.shape], request.top, request.source, start, skipped):
            stamp = now_epoch()
            rows = [{**entry, "method": "search", "observed_at": stamp} for entry in entries]
            store.save_catalog_entries(outcome.snapshot_id, rows, replace=False)
    except DockerHubError as error:
        _fail(store, outcome, "search", f"search stopped: {error}")
        return
    store.update_catalog_snapshot(outcome.snapshot_id, discovered=True)


def _publishers(store: Store, snapshot_id: int) -> dict[tuple[str, str], str]:
    frame = store.read_catalog_entries([snapshot_id])
    return dict(zip(zip(frame["namespace"], frame["name"], strict=True), frame["publisher"], strict=True))


def _targets(
    pending: set[tuple[str, str]], namespaces: tuple[str, ...], crawl: bool = False
) -> dict[str, set[str] | None]:
    """Return {namespace: names still wanted, or None for the whole namespace}; a crawl lists every one whole."""
    targets: dict[str, set[str] | None] = {namespace: None for namespace in namespaces}
    for namespace, name in sorted(pending):
        if crawl:
            targets.setdefault(namespace, None)
        elif namespace not in namespaces:
            targets.setdefault(namespace, set()).add(name)
    return targets


def _list_all(
    client: HubClient,
    store: Store,
    targets: dict[str, set[str] | None],
    publishers: dict[tuple[str, str], str],
    workers: int,
    outcome: CatalogOutcome,
    on_progress: Progress | None = None,
) -> None:
    batches: queue.Queue[_Batch] = queue.Queue()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="catalog")
    try:
        futures = [pool.submit(_list_task(client, ns, wanted, publishers, batches)) for ns, wanted in targets.items()]
        finished = 0
        with tqdm(total=len(futures), unit="namespace", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
            while finished < len(futures):
                batch = batches.get()
                # The failure first: a run killed between the two never takes a failed listing for a finished one.
                if batch.failure is not None:
                    _fail(store, outcome, *batch.failure)
                if batch.entries:
                    store.save_catalog_entries(outcome.snapshot_id, batch.entries)
                if batch.done:
                    finished += 1
                    outcome.namespaces += 1
                    bar.update(1)
                    if on_progress is not None:
                        on_progress(finished, len(futures), batch.namespace, batch.repositories)
        for future in futures:
            future.result()  # an unexpected exception in a worker is raised, not lost
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _list_task(
    client: HubClient,
    namespace: str,
    wanted: set[str] | None,
    publishers: dict[tuple[str, str], str],
    batches: queue.Queue,
) -> Callable[[], None]:
    fallback = "official" if namespace == "library" else "unknown"

    def task() -> None:
        pending: list[dict[str, Any]] = []
        seen: set[str] = set()
        skip = lambda label, why: batches.put(_Batch(namespace, failure=(label, why)))  # noqa: E731
        try:
            for record in list_namespace(client, namespace, wanted, skip):
                seen.add(record["name"])
                publisher = publishers.get((namespace, record["name"]), fallback)
                pending.append(listing_entry(record, publisher))
                # A whole namespace is saved at once when its listing ends: saved means finished, for a resume.
                if wanted is not None and len(pending) >= PAGE_SIZE:
                    batches.put(_Batch(namespace, pending))
                    pending = []
        except DockerHubError as error:
            where = f"listing stopped after {len(seen)} repositories: " if seen else "listing failed: "
            batches.put(_Batch(namespace, pending, failure=(f"{namespace}/*", where + str(error))))
            pending = []
            wanted_left: set[str] = set()
        else:
            wanted_left = (wanted or set()) - seen
        for name in sorted(wanted_left):
            reason = "not in its namespace's listing (deleted, renamed or private?): the search's range is kept"
            batches.put(_Batch(namespace, failure=(f"{namespace}/{name}", reason)))
        batches.put(_Batch(namespace, pending, done=True, repositories=len(seen)))

    return task


def _fail(store: Store, outcome: CatalogOutcome, label: str, reason: str) -> None:
    outcome.failures[label] = reason
    store.record_failure(outcome.run_id, label, reason)
