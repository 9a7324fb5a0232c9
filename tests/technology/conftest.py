"""Fixtures for the technology tests: the bundled surveys (parsed once) and a store seeded with the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.bundled import ensure_bundled_history
from collectors.surveys import load_survey
from collectors.surveys.bundled import embedded_surveys
from store import open_store


@pytest.fixture(scope="session")
def bundled_surveys() -> dict:
    """Every bundled survey, by file stem, as the command line loads them."""
    return {path.stem: load_survey(path) for path in embedded_surveys()}


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the bundled pull histories and catalog snapshot (built once per session)."""
    path = tmp_path_factory.mktemp("seed") / "adoption.db"
    store = open_store(f"sqlite:///{path}")
    ensure_bundled_history(store)
    store.close()
    return str(path)


@pytest.fixture
def store(seeded_db: str):
    """The seeded store, opened for one test."""
    opened = open_store(f"sqlite:///{seeded_db}")
    yield opened
    opened.close()


@pytest.fixture
def recipes_file(tmp_path: Path):
    """Write a technologies CSV of the given rows (after the header) and return its path."""

    def write(*rows: str) -> Path:
        path = tmp_path / "technologies.csv"
        header = "technology,label,part,wave,question_id,item,answer,images,break,note"
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    return write
