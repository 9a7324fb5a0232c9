"""Exact pull counts of a namespace's repositories, 100 a request, busiest first where the API sorts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from collectors.dockerhub.api import HubClient
from collectors.dockerhub.listing import fetch_namespace
from store.timeutil import to_epoch

# Docker Hub's listing takes `ordering=-pull_count` (the Hub API reference lists name, last_updated
# and pull_count, each with '-' for descending): the repositories a catalog run wants come first.
ORDERING = "-pull_count"


def listing_entry(record: dict[str, Any], publisher: str) -> dict[str, Any]:
    """Return the catalog entry of one checked listing record: an exact count."""
    count = int(record["pull_count"])
    return {
        "namespace": record["namespace"],
        "name": record["name"],
        "publisher": publisher,
        "pull_low": count,
        "pull_high": count,
        "exact": True,
        "pull_text": str(count),
        "star_count": record.get("star_count"),
        "method": "listing",
        "observed_at": to_epoch(record["observed_at"]),
    }


def list_namespace(
    client: HubClient,
    namespace: str,
    wanted: set[str] | None,
    on_skip: Callable[[str, str], None],
) -> Iterator[dict[str, Any]]:
    """Yield a checked record per repository of `namespace`; stop once every name in `wanted` is seen.

    `wanted` None reads the whole namespace. Pages are read only as far as needed: sorted by pull
    count, the repositories a top-N run wants are on the first pages.
    """
    missing = None if wanted is None else set(wanted)
    if missing is not None and not missing:
        return
    for record in fetch_namespace(client, namespace, on_skip, {"ordering": ORDERING}):
        yield record
        if missing is not None:
            missing.discard(record["name"])
            if not missing:
                return
