"""Fixtures for the deck tests: a store seeded with the bundled histories, and a deck built from views."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.bundled_history import ensure_bundled_history
from store import open_store


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the histories bundled in data/pull_history (built once per session)."""
    path = tmp_path_factory.mktemp("deck-store") / "adoption.db"
    engine = open_store(f"sqlite:///{path}")
    ensure_bundled_history(engine)
    engine.dispose()
    return str(path)


@pytest.fixture(scope="session")
def survey_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One parsed-survey cache for the session."""
    return tmp_path_factory.mktemp("deck-cache")


@pytest.fixture(autouse=True)
def private_cache(survey_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsed surveys go to a temporary cache, never to data/cache."""
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(survey_cache))
