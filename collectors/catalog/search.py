"""Docker Hub's search, behind one small interface: which repositories are the catalog's top N.

Three answer shapes are known; a changed endpoint is one `SearchShape` here:

- `v4`: `/api/search/v4?query=&from=&size=&sort=pull_count&order=desc&badges=...`, the search
  Docker's own Hub MCP server calls (docker/hub-mcp `src/search.ts`, 2025): `{total, results:
  [{name: "ns/repo", badge, pull_count: "10M+", star_count}]}`.
- `v3`: `/api/search/v3/catalog/search?from=&size=`, recorded 2024-08 by imrealq/4fun-dockerhub:
  entries with `source` (store, verified_publisher, open_source) and `rate_plans[].repositories[]`
  holding namespace, name and a humanised `pull_count`.
- `v2`: `/v2/search/repositories/?query=&page_size=&page=`: `{count, next, results: [{repo_name,
  repo_owner, pull_count (a whole number), star_count, is_official}]}`, the only shape with exact counts.

Every shape yields plain entries (namespace, name, publisher, the parsed count, stars, rank).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from collectors.catalog.buckets import PullCountError, parse_pull_count
from collectors.dockerhub.api import DockerHubError, HubClient
from collectors.dockerhub.listing import page_fingerprint
from collectors.snapshot_check import check_name_part
from store.values import shown

SEARCH_PAGE = 100
SOURCES = ("official", "verified", "open_source", "all")
# Search answers name publisher types in several ways; the store keeps one vocabulary.
PUBLISHER_WORDS = {
    "store": "official",
    "official": "official",
    "verified_publisher": "verified",
    "open_source": "open_source",
    "none": "community",
    "community": "community",
    "": "community",
}
V4_BADGES = {"official": "official", "verified": "verified_publisher", "open_source": "open_source"}
V3_SOURCES = {"official": "store", "verified": "verified_publisher", "open_source": "open_source"}


class SearchEntryError(DockerHubError):
    """A search result that is not kept; the message says why."""


def _publisher(word: Any) -> str:
    if word is None:
        return "community"
    return PUBLISHER_WORDS.get(str(word).lower(), "unknown")


def _entry(namespace: Any, name: Any, publisher: str, pull_count: Any, stars: Any) -> dict[str, Any]:
    try:
        namespace, name = check_name_part(namespace), check_name_part(name)
        count = parse_pull_count(pull_count)
    except (ValueError, PullCountError) as error:
        raise SearchEntryError(str(error)) from None
    star_count = stars if isinstance(stars, int) and not isinstance(stars, bool) and 0 <= stars < 2**31 else None
    return {
        "namespace": namespace,
        "name": name,
        "publisher": publisher,
        "pull_low": count.low,
        "pull_high": count.high,
        "exact": count.exact,
        "pull_text": count.text,
        "star_count": star_count,
    }


def v3_entry(item: Any) -> dict[str, Any]:
    """Return the entry of one v3 catalog result (also the bundled file's shape)."""
    if not isinstance(item, dict):
        raise SearchEntryError(f"not a catalog entry (a {type(item).__name__})")
    plans = item.get("rate_plans") or [{}]
    repos = plans[0].get("repositories") if isinstance(plans[0], dict) else None
    repo = repos[0] if isinstance(repos, list) and repos and isinstance(repos[0], dict) else {}
    namespace, _, name = str(item.get("id") or "").partition("/")
    publisher = "official" if repo.get("is_official") is True else _publisher(item.get("source"))
    return _entry(
        repo.get("namespace", namespace),
        repo.get("name", name),
        publisher,
        repo.get("pull_count", item.get("pull_count")),
        item.get("star_count"),
    )


def v4_entry(item: Any) -> dict[str, Any]:
    """Return the entry of one v4 search result."""
    if not isinstance(item, dict):
        raise SearchEntryError(f"not a search result (a {type(item).__name__})")
    full = str(item.get("name") or item.get("id") or "")
    namespace, _, name = full.partition("/") if "/" in full else ("library", "", full)
    return _entry(namespace, name, _publisher(item.get("badge")), item.get("pull_count"), item.get("star_count"))


def v2_entry(item: Any) -> dict[str, Any]:
    """Return the entry of one /v2/search/repositories/ result (an exact count)."""
    if not isinstance(item, dict):
        raise SearchEntryError(f"not a search result (a {type(item).__name__})")
    full = str(item.get("repo_name") or "")
    namespace, _, name = full.partition("/") if "/" in full else ("library", "", full)
    publisher = "official" if item.get("is_official") is True else "community"
    if isinstance(item.get("pull_count"), str):
        raise SearchEntryError(f"pull_count {shown(item['pull_count'])} is text where this search gives numbers")
    return _entry(namespace, name, publisher, item.get("pull_count"), item.get("star_count"))


@dataclass(frozen=True)
class SearchShape:
    """One search endpoint: its path, how to ask for a page, where the results are, how to read one."""

    name: str
    path: str
    params: Callable[[int, int, str], dict[str, Any]]
    entry: Callable[[Any], dict[str, Any]]
    result_keys: tuple[str, ...] = ("results",)
    filters_source: bool = True  # False: the source is picked out of the results here

    def results(self, page: dict[str, Any]) -> list[Any]:
        """Return the results list of an answer, or raise DockerHubError."""
        for key in self.result_keys:
            if isinstance(page.get(key), list):
                return page[key]
        raise DockerHubError(f"search answer has no {' or '.join(repr(k) for k in self.result_keys)} list")


def _v4_params(offset: int, size: int, source: str) -> dict[str, Any]:
    params: dict[str, Any] = {"query": "", "from": offset, "size": size, "sort": "pull_count", "order": "desc"}
    if source != "all":
        params["badges"] = V4_BADGES[source]
    return params


def _v3_params(offset: int, size: int, source: str) -> dict[str, Any]:
    params: dict[str, Any] = {"query": "", "from": offset, "size": size, "sort": "pull_count", "order": "desc"}
    if source != "all":
        params["source"] = V3_SOURCES[source]
    return params


def _v2_params(offset: int, size: int, source: str) -> dict[str, Any]:
    params: dict[str, Any] = {"query": "", "page_size": size, "page": offset // size + 1, "ordering": "-pull_count"}
    if source == "official":
        params["is_official"] = "true"
    return params


SHAPES = {
    "v4": SearchShape("v4", "/api/search/v4", _v4_params, v4_entry),
    "v3": SearchShape("v3", "/api/search/v3/catalog/search", _v3_params, v3_entry, ("results", "summaries")),
    "v2": SearchShape("v2", "/v2/search/repositories/", _v2_params, v2_entry, filters_source=False),
}
DEFAULT_SHAPE = "v4"


def search_catalog(
    client: HubClient,
    shape: SearchShape,
    top: int,
    source: str = "all",
    start: int = 0,
    on_skip: Callable[[str, str], None] | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Yield the search's entries page by page, from place `start` until `top` places are read or it runs out.

    Each entry carries `rank`, its place in the search (1 = first). A result that cannot be read is
    told to `on_skip` and left out; it still takes its place.
    """
    offset = start
    pages: set[bytes] = set()
    while offset < top:
        size = min(SEARCH_PAGE, top - offset) if shape.name != "v2" else SEARCH_PAGE
        page = client.get_json(client.url(shape.path), params=shape.params(offset, size, source))
        results = shape.results(page)[: top - offset]
        content = page_fingerprint(results)
        if results and content in pages:
            # A server that ignores the offset serves page one for ever: it was asked 30 times for it.
            raise DockerHubError(f"the page at place {offset + 1:,} repeats an earlier page: stopped")
        pages.add(content)
        entries = []
        for place, item in enumerate(results, start=offset + 1):
            try:
                entry = shape.entry(item)
            except SearchEntryError as error:
                if on_skip is not None:
                    on_skip(f"search result {place}", str(error))
                continue
            if shape.filters_source or source == "all" or entry["publisher"] == source:
                entries.append({**entry, "rank": place})
        yield entries
        offset += len(results)
        if len(results) < size:
            return
