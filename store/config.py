"""Where the store lives: a flag, then the settings (environment variables), then the bundled default."""

from __future__ import annotations

from pathlib import Path

import settings

# psycopg (version 3) is the driver installed; a bare postgres:// URL would ask for psycopg2.
_POSTGRES_SCHEMES = ("postgres", "postgresql")


def _as_url(location: str) -> str:
    if "://" in location:
        scheme, rest = location.split("://", 1)
        return f"postgresql+psycopg://{rest}" if scheme in _POSTGRES_SCHEMES else location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def resolve_db_url(db: str | None = None) -> str:
    """Return the store URL from `db` (path or URL), $ADOPTION_DB_URL, $ADOPTION_DB, or data/adoption.db."""
    return _as_url(db or settings.db_location())


def default_db_url() -> str:
    """Return the URL of the bundled default store, data/adoption.db."""
    return _as_url(str(settings.DEFAULT_DB_PATH))
