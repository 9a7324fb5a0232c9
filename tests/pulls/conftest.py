"""Shared fixtures: temporary stores, and the real histories recorded by docker-pulls-scraper."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from store import open_store
from store.snapshots import save_snapshots
from tests.pulls.pulls_fixtures import image_files, scraper_records


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    """A fresh, empty SQLite store in a temporary file."""
    return open_store(f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A SQLite store holding every per-image scraper history."""
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.db'}")
    for path in image_files():
        save_snapshots(engine, scraper_records(path))
    return engine
