"""Fixtures for the deck tests: a store seeded with the bundled histories, and a deck built from views."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from collectors.bundled import ensure_bundled_history
from store import open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the histories bundled in data/pull_history (built once per session)."""
    path = tmp_path_factory.mktemp("deck-store") / "adoption.db"
    engine = open_store(f"sqlite:///{path}")
    ensure_bundled_history(engine)
    engine.close()
    return str(path)


@pytest.fixture(scope="session")
def survey_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One parsed-survey cache for the session."""
    return tmp_path_factory.mktemp("deck-cache")


@pytest.fixture(autouse=True)
def private_cache(survey_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsed surveys go to a temporary cache, never to data/cache."""
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(survey_cache))


@pytest.fixture
def app(seeded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The dashboard on a copy of the seeded store (the Overview first)."""
    path = tmp_path / "adoption.db"
    shutil.copy(seeded_db, path)
    monkeypatch.setenv("ADOPTION_DB", str(path))
    monkeypatch.delenv("ADOPTION_DB_URL", raising=False)
    return AppTest.from_file(APP, default_timeout=120)
