"""Docker Hub listings: every repository of a namespace, page by page, on the current endpoint or the old one."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from collectors.dockerhub.api import CURRENT, DEPRECATED, DockerHubError, HubClient, NotFoundError, to_record
from collectors.snapshot_check import check_name_part
from store.values import shown

log = logging.getLogger("collectors.dockerhub.api")

PAGE_SIZE = 100
# A listing may run this many pages past what its first page's `count` implies (items added meanwhile).
PAGE_SLACK = 2
MAX_PAGES = 1_000  # whatever the count says: 100,000 repositories, far past any real namespace


def paginate(client: HubClient, url: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Yield every item of a listing, following `next` until it is null.

    Links are kept on the API host; the pages read are capped by what the first page's `count`
    implies (plus PAGE_SLACK, at most MAX_PAGES); a page read twice, by URL or by content, stops it.
    """
    urls: set[str] = set()
    contents: set[bytes] = set()
    limit = MAX_PAGES
    while url:
        if url in urls:
            raise DockerHubError(f"listing loops back to a page already read ({len(urls)} pages read)")
        if len(urls) >= limit:
            raise DockerHubError(f"listing goes on past the {limit} pages its count implies: stopped")
        urls.add(url)
        page = client.get_json(url, params=params if len(urls) == 1 else None)
        results = page.get("results")
        if not isinstance(results, list):
            raise DockerHubError(f"listing page {len(urls)} has no 'results' list")
        if len(urls) == 1:
            limit = _page_limit(page.get("count"), len(results))
        content = page_fingerprint(results)
        if content in contents:
            raise DockerHubError(f"listing page {len(urls)} repeats an earlier page: stopped")
        contents.add(content)
        yield from results
        url = _on_api_host(client, page.get("next"))


def page_fingerprint(results: list[Any]) -> bytes:
    """What identifies a page's content: a server that serves the same page again is stopped by it."""
    return hashlib.sha256(json.dumps(results, sort_keys=True, default=repr).encode()).digest()


def _page_limit(count: Any, first_page_items: int) -> int:
    """Return how many pages a listing of `count` items, served `first_page_items` a page, may take."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return MAX_PAGES
    return min(MAX_PAGES, -(-count // max(first_page_items, 1)) + PAGE_SLACK)  # ceil, in ints: no float overflow


def _on_api_host(client: HubClient, next_url: Any) -> str | None:
    """Return `next_url` rebased on the API host, so a bearer token never travels elsewhere."""
    if not next_url or not isinstance(next_url, str):
        return None
    base, link = urlsplit(client.api_url), urlsplit(next_url)
    if link.scheme and (link.scheme, link.netloc) != (base.scheme, base.netloc):
        link = link._replace(scheme=base.scheme, netloc=base.netloc)
    if not link.scheme:
        return client.url(next_url) if next_url.startswith("/") else None
    return urlunsplit(link)


class SkippedEntry(DockerHubError):
    """A listing entry that is not kept: `label` names it safely, the message says why."""

    def __init__(self, label: str, reason: str) -> None:
        super().__init__(reason)
        self.label = label


def listing_record(item: Any, namespace: str, position: int) -> dict[str, Any]:
    """Return the record of entry `position` of `namespace`'s listing, or raise SkippedEntry saying why not."""
    entry = f"{namespace}/* entry {position}"
    if not isinstance(item, dict):
        raise SkippedEntry(entry, f"not a repository object (a {type(item).__name__})")
    owner = item.get("namespace")
    if owner is not None and (not isinstance(owner, str) or owner.casefold() != namespace.casefold()):
        raise SkippedEntry(entry, f"belongs to namespace {shown(owner)}, not {namespace}: not kept")
    name = item.get("name")
    try:
        check_name_part(name)
    except ValueError as error:
        raise SkippedEntry(entry, f"{error}: not kept") from None
    try:
        return to_record({**item, "namespace": namespace}, datetime.now(UTC))
    except DockerHubError as error:
        raise SkippedEntry(f"{namespace}/{name}", str(error)) from None


def _log_skip(label: str, reason: str) -> None:
    log.warning("%s: %s", label, reason)


def namespace_items(client: HubClient, namespace: str, params: dict[str, Any] | None = None) -> Iterator[Any]:
    """Yield the raw entries of `namespace`'s repository listing, page by page (`params` added to the query)."""
    params = {"page_size": PAGE_SIZE, **(params or {})}
    items = paginate(client, client.url(f"/v2/namespaces/{check_name_part(namespace)}/repositories"), params)
    endpoint = CURRENT
    try:
        first = next(items, None)
    except NotFoundError:
        # Older deployments list a namespace only under /v2/repositories/{ns}/ (a 404 or a 410 from the new one).
        items = paginate(client, client.url(f"/v2/repositories/{namespace}/"), params)
        first = next(items, None)
        endpoint = DEPRECATED
    client.answered_by(endpoint)
    if first is not None:
        yield from itertools.chain([first], items)


def fetch_namespace(
    client: HubClient,
    namespace: str,
    on_skip: Callable[[str, str], None] = _log_skip,
    params: dict[str, Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield a record for every repository of `namespace`, page by page; tell `on_skip` of each entry not kept.

    Only entries of `namespace` itself with a valid name and values are kept: a listing cannot
    write another namespace's images, nor a name `--image` would refuse. `params` go with each page's
    request (e.g. an ordering); pages are fetched only as far as the caller reads.
    """
    # A repository listed twice (pages shift while a listing is read) is kept once, the first time, by
    # the collector and the catalog alike; a second count that differs is said, never silently kept.
    first_counts: dict[str, int] = {}
    for position, item in enumerate(namespace_items(client, namespace, params), start=1):
        try:
            record = listing_record(item, namespace, position)
        except SkippedEntry as skipped:
            on_skip(skipped.label, str(skipped))
            continue
        name, count = record["name"], record["pull_count"]
        if name in first_counts:
            if count != first_counts[name]:
                on_skip(
                    f"{namespace}/{name}",
                    f"listed again at entry {position} with pull count {count:,}; "
                    f"the first entry's {first_counts[name]:,} was kept",
                )
            continue
        first_counts[name] = count
        yield record
