"""The snapshot history store: every SQL statement of the project lives in this package."""

from store.config import resolve_db_url
from store.engine import open_store

__all__ = ["open_store", "resolve_db_url"]
