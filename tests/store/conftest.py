"""Store fixtures: every test that asks for `db_url` or `engine` runs on a temp SQLite file and on PostgreSQL.

PostgreSQL comes from $ADOPTION_TEST_PG_URL (default: the database `.ci/postgres.sh` creates). When
it does not answer, the PostgreSQL cases are skipped, or fail where ADOPTION_REQUIRE_PG=1 (CI).
Each PostgreSQL case gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import TextClause, text

from store import Store, open_store

SNAPSHOT_ROWS = text("""
    SELECT i.namespace, i.name, s.observed_at, s.pull_count, s.star_count, s.last_updated, s.run_id
    FROM snapshots s JOIN images i ON i.image_id = s.image_id
    ORDER BY i.namespace, i.name, s.observed_at
""")
IMAGE_ROWS = text("""
    SELECT namespace, name, repository_type, is_private, description, date_registered
    FROM images ORDER BY namespace, name
""")


@pytest.fixture
def engine(db_url: str) -> Iterator[Store]:
    """Return an opened store on `db_url`, disposed of after the test."""
    store_engine = open_store(db_url)
    yield store_engine
    store_engine.close()


def _rows(engine: Store, query: TextClause) -> list[tuple]:
    with engine.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


@pytest.fixture
def snapshot_rows(engine: Store) -> Callable[[], list[tuple]]:
    """Return a function giving every stored snapshot row exactly as the database holds it."""
    return lambda: _rows(engine, SNAPSHOT_ROWS)


@pytest.fixture
def image_rows(engine: Store) -> Callable[[], list[tuple]]:
    """Return a function giving every stored image row exactly as the database holds it."""
    return lambda: _rows(engine, IMAGE_ROWS)
