"""The whole-store copy contract on every backend: count, read in key order after a key, write keeping ids.

A store is read out table by table in pages, closed (chDB opens one store per process), and written into
a second empty store of the same backend: every row arrives with its id, writing again adds nothing, and
ids handed out afterwards are above the copied ones.
"""

from __future__ import annotations

import pandas as pd
import pytest

from store import Store, open_store
from store.interface import COPY_KEYS, COPY_TABLES

PAGE = 2
ENTRY = {"publisher": "official", "pull_high": None, "exact": False, "pull_text": "10M+", "star_count": None,
         "method": "search", "rank": 1, "observed_at": 1_724_198_399}  # fmt: skip


def _fill(store: Store) -> None:
    run = store.start_run("collect", 3, "watchlist")
    store.save_snapshots(
        [
            {"namespace": "library", "name": "nginx", "observed_at": 1_700_000_000, "pull_count": 12_981_954_060,
             "description": "web", "is_private": False},
            {"namespace": "library", "name": "nginx", "observed_at": 1_700_086_400, "pull_count": 12_982_000_000},
            {"namespace": "bitnami", "name": "redis", "observed_at": 1_700_000_000, "pull_count": 2_147_483_647,
             "star_count": 12, "last_updated": "2023-11-14T10:00:00Z"},
        ],
        run_id=run,
    )  # fmt: skip
    store.record_failure(run, "someone/gone", "HTTP 404")
    store.record_failure(run, "library/alpine", "timed out")
    store.finish_run(run, 2, 2)
    store.start_run("import", 1, "file.csv")
    store.save_history_file(
        [{"namespace": "kwdb", "name": "kwdb", "observed_at": 1_699_920_000, "pull_count": 5}], "cd" * 32, "f.csv"
    )
    snapshot = store.create_catalog_snapshot("test", 1_723_852_800, 1_724_198_399, attribution="Docker Hub")
    entries = [{**ENTRY, "namespace": "library", "name": name, "pull_low": 10_000_000} for name in ("a", "b", "c")]
    store.save_catalog_entries(snapshot, entries)
    store.update_catalog_snapshot(snapshot, complete=True)


def _read_all(store: Store, table: str) -> pd.DataFrame:
    pages, after = [], None
    while True:
        page = store.read_rows(table, after, PAGE)
        if page.empty:
            break
        assert len(page) <= PAGE
        pages.append(page)
        # The last key read, as plain Python values, is where the next page starts.
        after = tuple(
            value.item() if hasattr(value, "item") else value for value in page.iloc[-1][list(COPY_KEYS[table])]
        )
    return pd.concat(pages, ignore_index=True) if pages else page


def _comparable(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.astype(object).itertuples(index=False)]


def test_a_store_copied_table_by_table_arrives_whole_with_its_ids(db_url: str, other_url: str) -> None:
    source = open_store(db_url)
    if not hasattr(source, "read_rows"):
        source.close()
        pytest.skip("this backend does not implement the copy contract yet")
    _fill(source)
    counts = {table: source.count_rows(table) for table in COPY_TABLES}
    tables = {table: _read_all(source, table) for table in COPY_TABLES}
    source.close()
    assert counts == {"images": 3, "runs": 2, "run_failures": 2, "imported_files": 1, "catalog_snapshots": 1,
                      "catalog_entries": 3, "snapshots": 4}  # fmt: skip
    assert {table: len(frame) for table, frame in tables.items()} == counts
    keys = list(tables["snapshots"][["image_id", "observed_at"]].itertuples(index=False, name=None))
    assert keys == sorted(keys)
    assert tables["catalog_snapshots"]["complete"].tolist() == [True]

    target = open_store(other_url)
    try:
        added = {table: target.write_rows(table, tables[table]) for table in COPY_TABLES}
        assert added == counts
        again = {table: target.write_rows(table, tables[table]) for table in COPY_TABLES}
        assert again == dict.fromkeys(COPY_TABLES, 0)
        for table in COPY_TABLES:
            assert _comparable(_read_all(target, table)) == _comparable(tables[table]), table
        # Figures read through the interface are the source's, and new ids continue above the copied ones.
        assert target.read_snapshots()["pull_count"].tolist() == [2_147_483_647, 5, 12_981_954_060, 12_982_000_000]
        # (PostgreSQL may leave gaps in a sequence: above, not next to, is the contract.)
        assert target.start_run("collect", 1) > 2
        assert target.create_catalog_snapshot("next", 1_724_198_400) > 1
        target.save_snapshots([{"namespace": "new", "name": "image", "observed_at": 1_700_000_000, "pull_count": 1}])
        [new_image] = target.find_images([("new", "image")])["image_id"].tolist()
        assert new_image > 3
    finally:
        target.close()


@pytest.mark.chdb
@pytest.mark.parametrize("direction", ["to chdb", "from chdb"])
def test_copy_store_moves_a_store_to_and_from_chdb_with_the_same_figures(direction, chdb_url, tmp_path, capsys):  # noqa: ANN001
    from tests.store.test_store_copy import contents, copy, figures, fill

    sqlite = f"sqlite:///{tmp_path / 'plain.db'}"
    source, target = (sqlite, chdb_url) if direction == "to chdb" else (chdb_url, sqlite)
    fill(source)
    code, out, err = copy("--from", source, "--to", target, "--batch", "4", capsys=capsys)
    assert code == 0 and "error" not in err, err
    assert "snapshots: 24 rows (24 copied, 0 already there)" in out
    assert contents(target) == contents(source)
    assert figures(target, capsys) == figures(source, capsys)
    code, out, _ = copy("--from", source, "--to", target, capsys=capsys)
    assert code == 0 and "snapshots: 24 rows (0 copied, 24 already there)" in out
