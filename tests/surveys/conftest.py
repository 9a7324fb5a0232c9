"""Fixtures of the survey ingestion tests: every test caches into its own folder."""

from __future__ import annotations

import pytest

from collectors.surveys import loader


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test caches into its own folder, never into data/cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def parse_calls(monkeypatch):
    """The files parse_survey was called with (not taken from the cache), in order."""
    calls = []
    original = loader.parse_survey

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(loader, "parse_survey", counting)
    return calls
