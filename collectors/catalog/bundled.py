"""The bundled catalog snapshot (data/catalog/): 2,251 catalog-search entries recorded 2024-08-17..20.

The file is imrealq/4fun-dockerhub's `docker_hub_images_info.json`, answers of Docker Hub's v3
catalog search whose `pull_count` is humanised ("1B+", "7.9K"): every count is stored as the range
it is. It is imported once per store (by its sha256), in one transaction.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import settings
from collectors.errors import CollectorError
from collectors.history.importer import file_sha256
from store.interface import Store
from store.timeutil import to_epoch
from user_files import HISTORY_MAX_BYTES, read_user_bytes

SOURCE = "Docker Hub catalog search (v3), recorded by imrealq/4fun-dockerhub"
ATTRIBUTION = (
    "github.com/imrealq/4fun-dockerhub, commit bfac43c0bf3add52e9395bb686cc3e6641e015ad, "
    "docker_hub_images_info.json (no licence stated; redistributed as factual measurements with attribution)"
)
# The repository's data commits are dated 2024-08-17 and 2024-08-20: the entries were recorded between them.
OBSERVED_FROM = datetime(2024, 8, 17, tzinfo=UTC)
OBSERVED_TO = datetime(2024, 8, 20, 23, 59, 59, tzinfo=UTC)


class CatalogFileError(CollectorError, ValueError):
    """A catalog file that cannot be imported; the message names the file and the entry."""


def read_catalog_file(path: Path) -> list[dict[str, Any]]:
    """Return the entries of a v3 catalog file ({"images": {"1": {...}, ...}}), ranked as listed."""
    # Imported here: the search module brings the HTTP stack, which a store already seeded never needs.
    from collectors.catalog.search import SearchEntryError, v3_entry

    try:
        payload = json.loads(read_user_bytes(path, HISTORY_MAX_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise CatalogFileError(f"{path}: cannot read a catalog file: {error}") from None
    images = payload.get("images") if isinstance(payload, dict) else None
    if not isinstance(images, dict):
        raise CatalogFileError(f"{path}: no 'images' object")
    entries = []
    for rank, (key, item) in enumerate(images.items(), start=1):
        try:
            entry = v3_entry(item)
        except SearchEntryError as error:
            raise CatalogFileError(f"{path}: entry {key}: {error}") from None
        entries.append({**entry, "rank": rank, "method": "file", "observed_at": to_epoch(OBSERVED_TO)})
    return entries


def import_catalog_file(store: Store, path: Path) -> int:
    """Import the bundled catalog file as one snapshot (once per store); return entries added."""
    digest = file_sha256(path)
    if digest in store.catalog_hashes():
        return 0
    entries = read_catalog_file(path)
    return store.save_catalog_file(digest, SOURCE, to_epoch(OBSERVED_FROM), to_epoch(OBSERVED_TO), ATTRIBUTION, entries)


def ensure_bundled_catalog(store: Store, path: Path | None = None) -> int:
    """Import the bundled catalog snapshot if the store does not hold it yet; return entries added."""
    return import_catalog_file(store, settings.BUNDLED_CATALOG if path is None else path)
