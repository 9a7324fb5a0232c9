"""The bundled pull histories in data/pull_history/ and catalog snapshot in data/catalog/, imported on first start."""

from __future__ import annotations

from pathlib import Path

import settings
from collectors.catalog.bundled import ensure_bundled_catalog
from collectors.history.importer import file_sha256, import_history_file
from store.config import default_db_url, resolve_db_url
from store.interface import Store
from store.open import open_store

# The wide docker-pulls-statistics file also tracks GitHub release downloads ("kwdb/release"),
# which are not Docker Hub pulls: only its image columns are imported.
BUNDLED_COLUMNS = {"stats.csv": ("kwdb/kwdb", "kwdb/kwdb_comp_env")}


def bundled_history_files(folder: Path | None = None) -> list[Path]:
    """Return the bundled history files, aggregates (SUM_*) left out."""
    folder = settings.BUNDLED_HISTORY_DIR if folder is None else folder
    return sorted(path for path in folder.rglob("*.csv") if not path.name.startswith("SUM_"))


def ensure_bundled_history(store: Store, folder: Path | None = None) -> int:
    """Import every bundled history file (and the bundled catalog snapshot) not imported yet; return snapshots added."""
    ensure_bundled_catalog(store)
    done = store.imported_hashes()
    added = 0
    for path in bundled_history_files(folder):
        if file_sha256(path) not in done:
            added += import_history_file(store, path, BUNDLED_COLUMNS.get(path.name, ())).rows_added
    return added


def open_store_with_bundled_history(db: str | None = None) -> Store:
    """Open the store `db` resolves to; the default store gets the bundled histories on first use.

    A store the user named (a path or URL) is left exactly as it is.
    """
    url = resolve_db_url(db)
    store = open_store(url)
    if url == default_db_url():
        ensure_bundled_history(store)
    return store
