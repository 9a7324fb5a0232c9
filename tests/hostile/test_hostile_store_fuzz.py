"""Fuzzing the store's door (issue 20, kind 9): any SQLite file given as --db is recognised before any query.

Property: opening a database of random tables (ours, look-alikes with other columns, another program's,
a `store_meta` of any shape and value) either refuses it in one line, leaving the file byte for byte as
it was, or opens a store of the current version that saves and reads a snapshot.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from store import StoreError, open_store
from store.sql.recognise import SCHEMA_VERSION
from store.sql.schema import metadata

EXAMPLES = 60
OUR_TABLES = sorted(metadata.tables)
NAMES = st.one_of(st.sampled_from([*OUR_TABLES, "store_meta"]), st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True))
COLUMNS = st.lists(
    st.one_of(st.sampled_from(["key", "value", "image_id", "namespace", "name", "pull_count", "observed_at"]), NAMES),
    min_size=1,
    max_size=5,
    unique=True,
)
VALUES = st.one_of(st.none(), st.integers(-5, 10**6), st.text(max_size=12), st.sampled_from(["1", "2", "999", " 1"]))
TABLES = st.dictionaries(NAMES, st.tuples(COLUMNS, st.lists(VALUES, max_size=3)), max_size=4)
RECORD = {"namespace": "library", "name": "nginx", "observed_at": datetime(2024, 5, 1, tzinfo=UTC), "pull_count": 7}


def _write(path: Path, tables: dict[str, tuple[list[str], list[object]]]) -> None:
    connection = sqlite3.connect(path)
    for name, (columns, values) in tables.items():
        connection.execute(f'CREATE TABLE "{name}" ({", ".join(f"{column!r}" for column in columns)})')
        for value in values:
            marks = ", ".join("?" for _ in columns)
            connection.execute(f'INSERT INTO "{name}" VALUES ({marks})', [value] * len(columns))
    connection.commit()
    connection.close()


def _refused_whole_or_opened(path: Path) -> bool:
    """Open the store at `path`: refused in one line with the file untouched (False), or saving and reading (True)."""
    before = path.read_bytes()
    try:
        store = open_store(f"sqlite:///{path}")
    except StoreError as error:
        assert "\n" not in str(error) and str(error)
        assert path.read_bytes() == before
        event("refused")
        return False
    try:
        store.save_snapshots([RECORD])
        assert store.read_snapshots()["pull_count"].tolist()[-1] == 7
    finally:
        store.close()
    event("opened")
    return True


@given(tables=TABLES)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_database_is_refused_in_one_line_and_left_alone_or_opened_as_a_current_store(tables: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "given.db"
        _write(path, tables)
        if _refused_whole_or_opened(path):
            version = sqlite3.connect(path).execute("SELECT value FROM store_meta WHERE key = 'schema_version'")
            assert version.fetchall() == [(str(SCHEMA_VERSION),)]


ALTERATIONS = st.lists(
    st.one_of(
        st.just("DROP TABLE store_meta"),
        st.builds(lambda value: f"UPDATE store_meta SET value = {value!r}", st.one_of(st.text(max_size=6), VALUES)),
        st.builds(lambda name: f'CREATE TABLE IF NOT EXISTS "{name}" (x)', NAMES),
        st.sampled_from(["DROP TABLE runs", "DELETE FROM store_meta", "ALTER TABLE snapshots RENAME TO old_snapshots"]),
    ),
    max_size=3,
)


@given(alterations=ALTERATIONS)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_store_altered_by_hand_is_refused_in_one_line_or_opened_whole(alterations: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "altered.db"
        open_store(f"sqlite:///{path}").close()
        connection = sqlite3.connect(path)
        for statement in alterations:
            try:
                connection.execute(statement)
            except sqlite3.Error:
                event("alteration not applicable")
        connection.commit()
        connection.close()
        _refused_whole_or_opened(path)
