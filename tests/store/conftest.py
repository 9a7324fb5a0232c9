"""Store fixtures: every test that asks for `db_url` or `engine` runs on every backend.

SQLite (a temp file), PostgreSQL ($ADOPTION_TEST_PG_URL, a schema of its own per case), chDB (a temp
folder) and a ClickHouse server when $ADOPTION_TEST_CLICKHOUSE_URL names one. PostgreSQL and chDB cases
are skipped when missing, or fail where ADOPTION_REQUIRE_PG=1 (CI). `raw_rows` reads a table exactly
as the database holds it, on each backend, so the same assertions hold on all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from store import Store, open_store
from tests.store.backends import raw_rows

SNAPSHOT_ROWS = """
    SELECT i.namespace, i.name, s.observed_at, s.pull_count, s.star_count, s.last_updated, s.run_id
    FROM snapshots s JOIN images i ON i.image_id = s.image_id
    ORDER BY i.namespace, i.name, s.observed_at
"""
IMAGE_ROWS = """
    SELECT namespace, name, repository_type, is_private, description, date_registered
    FROM images ORDER BY namespace, name
"""


@pytest.fixture
def db_url(store_url: str) -> str:
    """The URL of an empty store, on every backend."""
    return store_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Store]:
    """Return an opened store on `db_url`, closed after the test."""
    store_engine = open_store(db_url)
    yield store_engine
    store_engine.close()


@pytest.fixture
def snapshot_rows(engine: Store) -> Callable[[], list[tuple]]:
    """Return a function giving every stored snapshot row exactly as the database holds it."""
    return lambda: raw_rows(engine, SNAPSHOT_ROWS)


@pytest.fixture
def image_rows(engine: Store) -> Callable[[], list[tuple]]:
    """Return a function giving every stored image row exactly as the database holds it."""
    return lambda: raw_rows(engine, IMAGE_ROWS)


@pytest.fixture
def other_url(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a second empty store on the same backend as `db_url` (a copy's destination)."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
    elif db_url.startswith("chdb"):
        yield f"chdb://{tmp_path / 'other-chdb'}"
    elif db_url.startswith("postgresql"):
        from tests.conftest import fresh_schema_url

        yield from fresh_schema_url(request.getfixturevalue("pg_server_url"))
    else:
        pytest.skip("a second ClickHouse server database is not set up by the suite")
