"""Fixtures of the survey ingestion tests: every test caches into its own folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test caches into its own folder, never into data/cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(folder))
    return folder
