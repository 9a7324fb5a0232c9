"""The snapshot history store: one interface (store.interface.Store), backends under it (store/sql/)."""

from store.config import resolve_db_url
from store.errors import StoreError
from store.interface import DataVersion, Store
from store.open import open_store

__all__ = ["DataVersion", "Store", "StoreError", "open_store", "resolve_db_url"]
