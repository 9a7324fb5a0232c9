"""The dashboard's store: seeded with the bundled data when it is first opened, never while a page draws,
and a store it must not read (newer, or another program's) stops the page with one error."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import pull_loaders as loaders
from store.sql.backend import SqlStore

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ["app_pages/overview.py", "app_pages/pulls.py", "app_pages/catalog.py", "app_pages/surveys.py"]
# Every operation of the Store interface that writes.
WRITES = [
    "save_snapshots",
    "start_run",
    "record_failure",
    "finish_run",
    "clear_failures",
    "create_catalog_snapshot",
    "update_catalog_snapshot",
    "save_catalog_entries",
    "save_catalog_file",
    "save_history_file",
]


def _watch_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    called: list[str] = []
    for name in WRITES:
        original = getattr(SqlStore, name)

        def write(self, *args, _name=name, _original=original, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            called.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(SqlStore, name, write)
    return called


def _contents(path: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(path)) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"')) for name in sorted(names)}


def test_the_store_is_seeded_when_opened_and_drawing_pages_writes_nothing(
    tmp_path: Path, survey_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    path = tmp_path / "adoption.db"
    monkeypatch.setenv("ADOPTION_DB", str(path))
    monkeypatch.delenv("ADOPTION_DB_URL", raising=False)
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(survey_cache))
    st.cache_data.clear()
    st.cache_resource.clear()
    writes = _watch_writes(monkeypatch)

    loaders.store()  # what the warm-up does first: opening the store seeds it
    assert {"save_history_file", "save_catalog_file"} <= set(writes)
    writes.clear()
    before = _contents(path)
    assert before["snapshots"] and before["catalog_entries"]

    for page in PAGES:
        app = AppTest.from_file(APP, default_timeout=120)
        app.switch_page(page)
        app.run()
        assert not app.exception, (page, [item.value for item in app.exception])
    assert writes == []
    assert _contents(path) == before


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/pulls.py", "app_pages/catalog.py"])
def test_a_store_of_a_newer_version_stops_the_page_with_one_error(store_copy: Path, page: str) -> None:
    import streamlit as st

    with closing(sqlite3.connect(store_copy)) as connection:
        connection.execute("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'")
        connection.commit()
    before = store_copy.read_bytes()
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=120)
    app.switch_page(page)
    app.run()
    assert not app.exception, [item.value for item in app.exception]
    errors = [error.value for error in app.error]
    assert len(errors) == 1 and "newer version of this tool" in errors[0], errors
    assert store_copy.read_bytes() == before
