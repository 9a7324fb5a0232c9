"""A ClickHouse store knows itself as the SQL ones do: version recorded, other databases and newer stores refused.

Run on chDB (a temp folder, reached directly with chDB's own session for the set-up), with the same
recognition rules as store/sql/recognise.py: refused in one line, and the database left as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from store import StoreError, open_store
from store.sql.recognise import SCHEMA_VERSION

pytestmark = pytest.mark.chdb


@contextmanager
def _session(url: str) -> Iterator[object]:
    from chdb import session

    opened = session.Session(url.removeprefix("chdb://"))
    try:
        yield opened
    finally:
        opened.close()


def _contents(url: str) -> dict[str, str]:
    """Every table of the database with its rows as text (store_meta's current versions): 'left as it was'."""
    with _session(url) as raw:
        listing = str(raw.query("SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name"))
        found = {}
        for name in (line.strip('"') for line in listing.split()):
            if name.startswith(("pulls_daily", "pulls_first")):
                continue  # derived from snapshots, compared with them
            query = f"SELECT * FROM {name} ORDER BY ALL"
            if name == "store_meta":
                query = "SELECT key, value FROM store_meta FINAL ORDER BY ALL"
            found[name] = str(raw.query(query, "CSV"))
    return found


def _one_line(refused: pytest.ExceptionInfo[StoreError]) -> str:
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_a_new_store_records_its_schema_version(chdb_url: str) -> None:
    open_store(chdb_url).close()
    assert _contents(chdb_url)["store_meta"].strip() == f'"schema_version","{SCHEMA_VERSION}"'


def test_reopening_a_current_store_writes_nothing(chdb_url: str) -> None:
    open_store(chdb_url).close()
    before = _contents(chdb_url)
    store = open_store(chdb_url)
    assert store.version() == (0, 0, 0)
    store.close()
    assert _contents(chdb_url) == before


def test_another_programs_tables_are_refused_and_left_as_they_were(chdb_url: str) -> None:
    with _session(chdb_url) as raw:
        raw.query("CREATE TABLE images (id UInt32, url String) ENGINE = MergeTree ORDER BY id")
        raw.query("INSERT INTO images VALUES (1, 'https://example.org/cat.png')")
    before = _contents(chdb_url)
    with pytest.raises(StoreError) as refused:
        open_store(chdb_url)
    assert "another program's ClickHouse database" in _one_line(refused) and "images" in str(refused.value)
    assert _contents(chdb_url) == before == {"images": '1,"https://example.org/cat.png"\n'}


def test_a_store_of_a_newer_version_is_refused_and_left_as_it_was(chdb_url: str) -> None:
    store = open_store(chdb_url)
    store.save_snapshots([{"namespace": "library", "name": "nginx", "observed_at": 1_714_521_600, "pull_count": 9}])
    store.close()
    with _session(chdb_url) as raw:
        raw.query(f"INSERT INTO store_meta VALUES ('schema_version', '{SCHEMA_VERSION + 1}', 18446744073709551615)")
    before = _contents(chdb_url)
    with pytest.raises(StoreError) as refused:
        open_store(chdb_url)
    assert "newer version" in _one_line(refused)
    assert _contents(chdb_url) == before


def test_a_store_someone_else_holds_open_is_refused_in_one_line(chdb_url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    open_store(chdb_url).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, chdb.session as s; x = s.Session(sys.argv[1]); print('open', flush=True); "
         "sys.stdin.read()", chdb_url.removeprefix("chdb://")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError) as refused:
            open_store(chdb_url)
        assert "another process has this store open" in _one_line(refused)
    finally:
        holder.communicate("", timeout=60)


def test_a_clickhouse_url_with_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(StoreError) as refused:
        open_store("clickhouse://alice:s3cret-pw@127.0.0.1:9/adoption")
    message = _one_line(refused)
    assert "s3cret-pw" not in message and "127.0.0.1" in message


def test_an_engine_failure_during_a_command_is_one_line(chdb_url: str) -> None:
    from store.errors import EngineError, run_failure

    store = open_store(chdb_url)
    try:
        with pytest.raises(EngineError) as failed:
            store.db.query("SELECT no_such_column FROM snapshots")
    finally:
        store.close()
    message = run_failure(failed.value)
    assert message is not None and "\n" not in message and "no_such_column" in message
