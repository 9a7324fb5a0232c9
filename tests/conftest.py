"""Fixtures every test area shares: the PostgreSQL server that tests/setup.sh starts.

PostgreSQL comes from $ADOPTION_TEST_PG_URL (default: the database `.ci/postgres.sh` creates). When
it does not answer, PostgreSQL cases are skipped, or fail where ADOPTION_REQUIRE_PG=1 (CI).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

DEFAULT_PG_URL = "postgresql+psycopg://adoption:adoption@127.0.0.1:5432/adoption_test"


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """Return the PostgreSQL test URL once the server has answered; skip (or fail in CI) when it does not."""
    url = os.environ.get("ADOPTION_TEST_PG_URL") or DEFAULT_PG_URL
    probe = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        detail = " ".join(str(error.orig).split())
        reason = f"PostgreSQL at {make_url(url)!r} does not answer ({detail}); start it with: bash .ci/postgres.sh"
        if os.environ.get("ADOPTION_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        probe.dispose()
    return url


def _fresh_schema_url(server_url: str) -> Iterator[str]:
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_schema_url(pg_server_url: str) -> Iterator[str]:
    """Return a URL whose tables live in a fresh schema of the test database, dropped afterwards."""
    yield from _fresh_schema_url(pg_server_url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store: a temp SQLite file, or a fresh schema on PostgreSQL (dropped afterwards)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'adoption.db'}"
    return request.getfixturevalue("pg_schema_url")
