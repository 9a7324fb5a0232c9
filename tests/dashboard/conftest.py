"""Fixtures for the dashboard tests: a store seeded with the bundled histories, copied for each test."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from collectors.bundled import ensure_bundled_history
from store import open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the histories bundled in data/pull_history (built once per session)."""
    path = tmp_path_factory.mktemp("seed") / "adoption.db"
    engine = open_store(f"sqlite:///{path}")
    ensure_bundled_history(engine)
    engine.close()
    return path


@pytest.fixture(scope="session")
def survey_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One parsed-survey cache for the session, so each embedded survey is parsed once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def store_copy(seeded_store: Path, survey_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the seeded store, which the app reads through $ADOPTION_DB."""
    path = tmp_path / "adoption.db"
    shutil.copy(seeded_store, path)
    monkeypatch.setenv("ADOPTION_DB", str(path))
    monkeypatch.delenv("ADOPTION_DB_URL", raising=False)
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(survey_cache))
    return path


@pytest.fixture
def app(store_copy: Path) -> AppTest:
    """The app, not yet run, on a private store."""
    return AppTest.from_file(APP, default_timeout=120)


def _decode(value: object) -> object:
    """Plotly's JSON keeps numeric arrays as {"dtype", "bdata"} (base64): turn them back into numpy arrays."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            return array.reshape(value["shape"]) if "shape" in value and isinstance(value["shape"], list) else array
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _chart_specs(at: AppTest) -> list[dict]:
    return [_decode(json.loads(element.proto.spec)) for element in at.get("plotly_chart")]


@pytest.fixture
def charts_of():
    """A function returning the plotly figures on an AppTest's current page, as dicts."""
    return _chart_specs
