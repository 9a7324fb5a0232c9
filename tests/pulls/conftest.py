"""Shared fixtures: temporary stores, and the real histories recorded by docker-pulls-scraper."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from store import open_store
from store.snapshots import save_snapshots
from tests.pulls.pulls_fixtures import image_files, scraper_records


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    """A fresh, empty SQLite store in a temporary file."""
    return open_store(f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A SQLite store holding every per-image scraper history."""
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.db'}")
    for path in image_files():
        save_snapshots(engine, scraper_records(path))
    return engine


def _start_postgres(folder: Path) -> tuple[str, list[str]]:
    """Start a throwaway PostgreSQL server on 127.0.0.1; return its URL and the command that stops it."""
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    bin_dir = binaries[-1] if binaries else None
    initdb = shutil.which("initdb") or (str(bin_dir / "initdb") if bin_dir else None)
    pg_ctl = shutil.which("pg_ctl") or (str(bin_dir / "pg_ctl") if bin_dir else None)
    if not initdb or not pg_ctl:
        raise OSError("PostgreSQL server programs (initdb, pg_ctl) not found")
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = functools.partial(subprocess.run, check=True, capture_output=True, timeout=120)
    run([*as_user, initdb, "-D", str(data), "-U", "postgres", "--auth=trust"])
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    run([*as_user, pg_ctl, "-D", str(data), "-o", options, "-w", "start", "-l", str(folder / "log")])
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", [*as_user, pg_ctl, "-D", str(data), "stop"]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL: $ADOPTION_TEST_PG_URL, else a throwaway local server; skipped when neither is there."""
    if os.environ.get("ADOPTION_TEST_PG_URL"):
        yield os.environ["ADOPTION_TEST_PG_URL"]
        return
    # Not under pytest's temporary folder: the server's user must be able to reach it.
    folder = Path(tempfile.mkdtemp(prefix="pulls-pg-"))
    try:
        url, stop = _start_postgres(folder)
    except subprocess.CalledProcessError as error:
        detail = error.stderr.decode(errors="replace").strip().splitlines()[-1:] if error.stderr else []
        if os.environ.get("ADOPTION_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL is required but could not be started: {error} {detail}")
        pytest.skip(f"no PostgreSQL server: {error} {detail}")
    except (OSError, subprocess.SubprocessError) as error:
        if os.environ.get("ADOPTION_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL is required but could not be started: {error}")
        pytest.skip(f"no PostgreSQL server: {error}")
    yield url
    subprocess.run(stop, check=False, capture_output=True, timeout=60)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty store on SQLite, and on PostgreSQL (its tables dropped afterwards)."""
    if request.param == "sqlite":
        yield open_store(f"sqlite:///{tmp_path / 'store.db'}")
        return
    url = make_url(request.getfixturevalue("postgres_url"))
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    database = f"pulls_test_{uuid.uuid4().hex[:12]}"
    with server.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {database}")
    engine = open_store(url.set(database=database).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with server.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE {database}")
    server.dispose()
