"""Fixtures every test area shares: the PostgreSQL server that tests/setup.sh starts, chDB, a ClickHouse server.

PostgreSQL comes from $ADOPTION_TEST_PG_URL (default: the database `.ci/postgres.sh` creates). When
it does not answer, PostgreSQL cases are skipped, or fail where ADOPTION_REQUIRE_PG=1 (CI); the same
holds for chDB (requirements-clickhouse.txt) not installed. ClickHouse server cases run when
$ADOPTION_TEST_CLICKHOUSE_URL names one (clickhouse://USER:PASSWORD@HOST:PORT/DB), else they are skipped.
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


def fresh_schema_url(server_url: str) -> Iterator[str]:
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
    yield from fresh_schema_url(pg_server_url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store: a temp SQLite file, or a fresh schema on PostgreSQL (dropped afterwards)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'adoption.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture(scope="session")
def chdb_installed() -> None:
    """Skip (or fail in CI) when chDB, the optional ClickHouse engine, is not installed."""
    try:
        import chdb  # noqa: F401
    except ImportError:
        reason = "chDB is not installed; install it with: pip install -r requirements-clickhouse.txt"
        if os.environ.get("ADOPTION_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def chdb_url(chdb_installed: None, tmp_path: Path) -> str:
    """Return the URL of an empty chDB store in a temp folder."""
    return f"chdb://{tmp_path / 'chdb-store'}"


@pytest.fixture
def clickhouse_url() -> Iterator[str]:
    """Return a URL on a fresh database of the server at $ADOPTION_TEST_CLICKHOUSE_URL (dropped afterwards)."""
    server = os.environ.get("ADOPTION_TEST_CLICKHOUSE_URL")
    if not server:
        pytest.skip("no ClickHouse server: set ADOPTION_TEST_CLICKHOUSE_URL=clickhouse://USER:PASSWORD@HOST:PORT/DB")
    from urllib.parse import urlsplit, urlunsplit

    import clickhouse_connect

    parts = urlsplit(server)
    database = f"test_{uuid.uuid4().hex[:16]}"
    admin = clickhouse_connect.get_client(
        host=parts.hostname, port=parts.port, username=parts.username or "default", password=parts.password or "",
        secure=parts.scheme == "clickhouses",
    )  # fmt: skip
    admin.command(f"CREATE DATABASE {database}")
    try:
        yield urlunsplit(parts._replace(path=f"/{database}"))
    finally:
        admin.command(f"DROP DATABASE IF EXISTS {database}")
        admin.close()


STORE_BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("chdb", marks=pytest.mark.chdb),
    pytest.param("clickhouse", marks=pytest.mark.clickhouse),
]


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store on every backend: SQLite, PostgreSQL, chDB and (when named) a ClickHouse server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'adoption.db'}"
    fixture = {"postgresql": "pg_schema_url", "chdb": "chdb_url", "clickhouse": "clickhouse_url"}[request.param]
    return request.getfixturevalue(fixture)
