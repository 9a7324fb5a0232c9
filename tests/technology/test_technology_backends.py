"""The technology figures read through the Store interface: the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd

from analysis.technology.evidence import technology_evidence
from analysis.technology.recipes import read_recipes
from collectors.bundled import ensure_bundled_history
from store import open_store


def test_falco_is_the_same_on_every_backend(db_url: str, bundled_surveys: dict, store) -> None:
    recipe = read_recipes()["falco"]
    expected = technology_evidence(recipe, bundled_surveys, store)
    other = open_store(db_url)
    try:
        ensure_bundled_history(other)
        found = technology_evidence(recipe, bundled_surveys, other)
    finally:
        other.close()
    assert found.sentence == expected.sentence
    assert found.images == expected.images
    pd.testing.assert_frame_equal(found.weeks, expected.weeks)
    pd.testing.assert_frame_equal(found.growth, expected.growth)
    pd.testing.assert_frame_equal(found.catalog, expected.catalog)
