"""A store knows itself: its schema version is stored and checked on opening, on SQLite and on PostgreSQL.

Another program's database (even one with an `images` table of its own) and a store of a newer version
are refused in one line and left as they were; a store from before the version was kept is upgraded.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, inspect, text

from store import Store, StoreError, open_store
from store.sql.recognise import SCHEMA_VERSION

RECORD = {
    "namespace": "library",
    "name": "nginx",
    "observed_at": datetime(2024, 5, 1, tzinfo=UTC),
    "pull_count": 1000,
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # noqa: ANN001
    """SQL databases only: these cases write another program's tables in SQL (ClickHouse: its own module)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'adoption.db'}"
    return request.getfixturevalue("pg_schema_url")


def _run(db_url: str, *statements: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _contents(db_url: str) -> dict[str, list[tuple]]:
    """Every table with its rows, sorted: what 'left as it was' compares."""
    engine = create_engine(db_url)
    with engine.connect() as connection:
        names = sorted(inspect(connection).get_table_names())
        found = {name: sorted(map(tuple, connection.execute(text(f'SELECT * FROM "{name}"')))) for name in names}
    engine.dispose()
    return found


def _one_line(error: pytest.ExceptionInfo[StoreError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_a_new_store_records_its_schema_version(db_url: str) -> None:
    store = open_store(db_url)
    assert isinstance(store, Store)
    store.close()
    assert _contents(db_url)["store_meta"] == [("schema_version", str(SCHEMA_VERSION))]


def test_reopening_a_current_store_writes_nothing(db_url: str) -> None:
    open_store(db_url).close()
    before = _contents(db_url)
    store = open_store(db_url)
    assert store.version() == (0, 0, 0)
    store.close()
    assert _contents(db_url) == before


def test_another_programs_images_table_is_refused_and_left_as_it_was(db_url: str) -> None:
    _run(
        db_url,
        "CREATE TABLE images (id INTEGER PRIMARY KEY, url TEXT NOT NULL, width INTEGER)",
        "INSERT INTO images (id, url, width) VALUES (1, 'https://example.org/cat.png', 640)",
    )
    before = _contents(db_url)
    with pytest.raises(StoreError) as refused:
        open_store(db_url)
    assert "another program's" in _one_line(refused) and "images" in str(refused.value)
    assert _contents(db_url) == before == {"images": [(1, "https://example.org/cat.png", 640)]}


def test_another_programs_tables_are_refused_and_left_as_they_were(db_url: str) -> None:
    _run(db_url, "CREATE TABLE moz_places (url TEXT)", "INSERT INTO moz_places VALUES ('https://example.org')")
    before = _contents(db_url)
    with pytest.raises(StoreError) as refused:
        open_store(db_url)
    assert "another program's" in _one_line(refused) and "moz_places" in str(refused.value)
    assert _contents(db_url) == before


def test_a_store_of_a_newer_version_is_refused_and_left_as_it_was(db_url: str) -> None:
    store = open_store(db_url)
    store.save_snapshots([RECORD])
    store.close()
    _run(db_url, f"UPDATE store_meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    before = _contents(db_url)
    with pytest.raises(StoreError) as refused:
        open_store(db_url)
    message = _one_line(refused)
    assert "newer version" in message and f"store version {SCHEMA_VERSION + 1}" in message
    assert _contents(db_url) == before


def test_an_unreadable_version_is_refused(db_url: str) -> None:
    open_store(db_url).close()
    _run(db_url, "UPDATE store_meta SET value = 'v2-beta' WHERE key = 'schema_version'")
    with pytest.raises(StoreError) as refused:
        open_store(db_url)
    assert "unreadable store version" in _one_line(refused)


def test_a_store_from_before_the_version_is_upgraded_keeping_its_rows(db_url: str) -> None:
    store = open_store(db_url)
    store.save_snapshots([RECORD])
    store.close()
    _run(db_url, "DROP TABLE store_meta", "DROP TABLE catalog_entries", "DROP TABLE catalog_snapshots")
    store = open_store(db_url)
    assert store.read_snapshots()[["namespace", "name", "pull_count"]].values.tolist() == [["library", "nginx", 1000]]
    assert store.read_catalog_snapshots().empty
    store.close()
    contents = _contents(db_url)
    assert contents["store_meta"] == [("schema_version", str(SCHEMA_VERSION))]
    assert {"catalog_entries", "catalog_snapshots"} <= set(contents)


def test_a_store_missing_a_column_of_its_tables_is_not_taken_for_this_tools(db_url: str) -> None:
    _run(
        db_url,
        "CREATE TABLE images (image_id INTEGER PRIMARY KEY, namespace TEXT, name TEXT)",
        "CREATE TABLE snapshots (image_id INTEGER, observed_at BIGINT)",
    )
    with pytest.raises(StoreError) as refused:
        open_store(db_url)
    assert "another program's" in _one_line(refused)


def test_a_url_of_an_unknown_backend_is_one_line() -> None:
    with pytest.raises(StoreError) as refused:
        open_store("mysql://alice:s3cret@127.0.0.1:9/adoption")
    message = _one_line(refused)
    assert "no store backend for 'mysql'" in message and "s3cret" not in message
