"""Where the store lives: a flag, then environment variables, then the bundled default."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB_PATH = DATA_DIR / "adoption.db"
ENV_DB_URL = "ADOPTION_DB_URL"
ENV_DB_PATH = "ADOPTION_DB"


# psycopg (version 3) is the driver installed; a bare postgres:// URL would ask for psycopg2.
_POSTGRES_SCHEMES = ("postgres", "postgresql")


def _as_url(location: str) -> str:
    if "://" in location:
        scheme, rest = location.split("://", 1)
        return f"postgresql+psycopg://{rest}" if scheme in _POSTGRES_SCHEMES else location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def resolve_db_url(db: str | None = None) -> str:
    """Return the store URL from `db` (path or URL), $ADOPTION_DB_URL, $ADOPTION_DB, or data/adoption.db."""
    if db:
        return _as_url(db)
    if os.environ.get(ENV_DB_URL):
        return _as_url(os.environ[ENV_DB_URL])
    if os.environ.get(ENV_DB_PATH):
        return _as_url(os.environ[ENV_DB_PATH])
    return _as_url(str(DEFAULT_DB_PATH))
