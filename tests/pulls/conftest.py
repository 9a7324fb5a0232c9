"""Shared fixtures: temporary stores, and the real histories recorded by docker-pulls-scraper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store, open_store
from tests.pulls.pulls_fixtures import image_files, scraper_records


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh, empty SQLite store in a temporary file."""
    return open_store(f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A SQLite store holding every per-image scraper history."""
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.db'}")
    for path in image_files():
        engine.save_snapshots(scraper_records(path))
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store on SQLite, and on PostgreSQL (its tables dropped afterwards)."""
    if request.param == "sqlite":
        yield open_store(f"sqlite:///{tmp_path / 'store.db'}")
        return
    engine = open_store(request.getfixturevalue("pg_schema_url"))
    yield engine
    engine.close()
