"""`python -m collectors copy-store`: a whole store moved between backends, resumable, counts checked, refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.__main__ import main as analysis_main
from collectors.__main__ import main as collectors_main
from collectors.bundled import ensure_bundled_history
from store import open_store
from store.copy import CopyMismatch, copy_store
from store.interface import COPY_TABLES

ROOT = Path(__file__).resolve().parents[2]
DAY = 86_400
T0 = 1_700_000_000
# Names whose order differs between a locale collation and code points: a cross-backend walk must agree.
ODD_NAMES = ("a-b", "a.b", "a_b", "ab", "a0", "b")


def fill(url: str) -> None:
    """Write a small store touching every table: images, snapshots, runs and failures, catalog, an imported file."""
    store = open_store(url)
    try:
        run_id = store.start_run("collect", 3, source="dockerhub test")
        records = [
            {"namespace": "library", "name": "nginx", "observed_at": T0 + day * DAY, "pull_count": 2_147_483_647 + day,
             "star_count": 10, "is_private": False, "description": "web"}
            for day in range(5)
        ]  # fmt: skip
        records += [
            {"namespace": "acme", "name": name, "observed_at": T0 + day * DAY, "pull_count": 100 * day + len(name)}
            for name in ODD_NAMES
            for day in range(3)
        ]
        store.save_snapshots(records, run_id=run_id)
        store.record_failure(run_id, "acme/missing", "not found on Docker Hub (HTTP 404)")
        store.finish_run(run_id, 7, 1, 8)
        store.save_history_file(
            [{"namespace": "acme", "name": "old", "observed_at": T0 - DAY, "pull_count": 5}], "ab" * 32, "old.csv"
        )
        for offset in (0, 30):
            snapshot_id = store.create_catalog_snapshot("test catalog", T0 + offset * DAY, T0 + offset * DAY + 60)
            entries = [
                {"namespace": "acme", "name": name, "publisher": "community", "pull_low": 10**7 * (rank + offset),
                 "pull_high": None, "exact": False, "pull_text": "10M+", "star_count": None, "method": "search",
                 "rank": rank, "observed_at": T0 + offset * DAY}
                for rank, name in enumerate(ODD_NAMES, start=1)
            ]  # fmt: skip
            store.save_catalog_entries(snapshot_id, entries)
            store.update_catalog_snapshot(snapshot_id, discovered=True, complete=True)
    finally:
        store.close()


def contents(url: str) -> dict[str, list[tuple]]:
    """Return every row of every copied table, as plain tuples in key order."""
    store = open_store(url)
    try:
        out = {}
        for table in COPY_TABLES:
            frame = store.read_rows(table, None, 1_000_000)
            out[table] = [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]
        return out
    finally:
        store.close()


def copy(*args: str, capsys) -> tuple[int, str, str]:
    code = collectors_main(["copy-store", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def figures(url: str, capsys) -> list[str]:
    """Return what rank and catalog threshold print for the store at `url`."""
    outputs = []
    for args in (["rank", "--by", "total"], ["rank", "--by", "growth", "--window", "1d", "--min-pulls", "0"],
                 ["catalog", "threshold", "--pulls", "10M"]):  # fmt: skip
        assert analysis_main([*args, "--db", url]) == 0
        outputs.append(capsys.readouterr().out)
    return outputs


@pytest.fixture
def pg_url(pg_schema_url: str) -> str:
    return pg_schema_url


@pytest.mark.parametrize(
    ("source_kind", "target_kind"),
    [
        ("sqlite", "sqlite"),
        pytest.param("sqlite", "postgresql", marks=pytest.mark.postgres),
        pytest.param("postgresql", "sqlite", marks=pytest.mark.postgres),
    ],
)
def test_a_copy_holds_every_row_and_gives_the_same_figures(request, tmp_path, capsys, source_kind, target_kind):
    urls = {"sqlite": iter([f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"])}
    if "postgresql" in (source_kind, target_kind):
        urls["postgresql"] = iter([request.getfixturevalue("pg_url")])
    source, target = next(urls[source_kind]), next(urls[target_kind])
    fill(source)
    code, out, err = copy("--from", source, "--to", target, "--batch", "4", capsys=capsys)
    assert (code, err.count("error")) == (0, 0)
    assert "snapshots: 24 rows (24 copied, 0 already there)" in out
    assert contents(target) == contents(source)
    assert figures(target, capsys) == figures(source, capsys)
    # New ids go on above the copied ones (a PostgreSQL source may have gaps in its ids).
    highest_image = max(row[0] for row in contents(source)["images"])
    store = open_store(target)
    try:
        assert store.start_run("collect", 1) == 2
        assert store.create_catalog_snapshot("next", T0) == 3
        store.save_snapshots([{"namespace": "new", "name": "one", "observed_at": T0, "pull_count": 1}])
        assert store.find_images([("new", "one")])["image_id"].tolist() == [highest_image + 1]
    finally:
        store.close()


def test_running_the_copy_again_adds_nothing(tmp_path, capsys):
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    fill(source)
    assert copy("--from", source, "--to", target, capsys=capsys)[0] == 0
    code, out, _ = copy("--from", source, "--to", target, capsys=capsys)
    assert code == 0
    assert "snapshots: 24 rows (0 copied, 24 already there)" in out
    assert contents(target) == contents(source)


@pytest.mark.postgres
def test_a_target_with_other_data_is_refused_in_one_line_and_nothing_is_written(tmp_path, capsys, pg_url):
    source = f"sqlite:///{tmp_path / 'a.db'}"
    fill(source)
    other = open_store(pg_url)
    other.save_snapshots([{"namespace": "someone", "name": "else", "observed_at": T0, "pull_count": 3}])
    other.close()
    before = contents(pg_url)
    code, out, err = copy("--from", source, "--to", pg_url, capsys=capsys)
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "the target already holds other data: images has a different row under key 1" in err
    assert contents(pg_url) == before
    assert ":adoption@" not in out + err  # the password of the test URL


def test_a_target_row_the_source_lacks_is_refused(tmp_path, capsys):
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    fill(source)
    assert copy("--from", source, "--to", target, capsys=capsys)[0] == 0
    extra = open_store(target)
    extra.record_failure(1, "zzz/extra", "only here")
    extra.close()
    code, _, err = copy("--from", source, "--to", target, capsys=capsys)
    assert code == 2
    assert "run_failures has a row under key (1, 'zzz/extra') that the source does not" in err


def test_a_count_that_differs_after_the_copy_is_an_error_naming_the_table(tmp_path, capsys, monkeypatch):
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    fill(source)
    import store.sql.copy as sql_copy

    real = sql_copy.write_rows

    def lossy(engine, table, rows):
        return real(engine, table, rows.iloc[1:] if table == "catalog_entries" else rows)

    monkeypatch.setattr(sql_copy, "write_rows", lossy)
    code, _, err = copy("--from", source, "--to", target, capsys=capsys)
    assert code == 2
    assert "catalog_entries: 12 rows in the source but" in err
    with pytest.raises(CopyMismatch, match="catalog_entries"):
        copy_store(open_store(source), open_store(target), batch_rows=5)


@pytest.mark.postgres
def test_passwords_never_show_even_when_the_target_cannot_be_reached(tmp_path, capsys, pg_url):
    source = f"sqlite:///{tmp_path / 'a.db'}"
    fill(source)
    code, out, err = copy("--from", source, "--to", pg_url, capsys=capsys)
    assert code == 0
    assert ":adoption@" not in out + err and "***" in out
    wrong = "postgresql+psycopg://adoption:S3cretWord@127.0.0.1:9/nothing"
    code, out, err = copy("--from", source, "--to", wrong, capsys=capsys)
    assert code == 2
    assert "S3cretWord" not in out + err
    code, out, err = copy("--from", wrong, "--to", source, capsys=capsys)
    assert code == 2
    assert "S3cretWord" not in out + err


def test_a_missing_source_file_is_refused_rather_than_created(tmp_path, capsys):
    code, _, err = copy("--from", str(tmp_path / "none.db"), "--to", str(tmp_path / "b.db"), capsys=capsys)
    assert code == 2
    assert "--from: no store at" in err
    assert not (tmp_path / "none.db").exists()


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory) -> str:
    """A SQLite store with the bundled histories and catalog (about 21,000 rows)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('bundled') / 'src.db'}"
    store = open_store(url)
    ensure_bundled_history(store)
    store.close()
    return url


def test_a_copy_killed_halfway_resumes_without_duplicates(bundled_store, tmp_path, capsys):
    target = f"sqlite:///{tmp_path / 'b.db'}"
    command = [sys.executable, "-m", "collectors", "copy-store", "--from", bundled_store, "--to", target]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen([*command, "--batch", "200"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True) as child:
        for line in child.stderr:
            if line.startswith("  snapshots: 2,000 of"):
                child.kill()
                break
        child.wait(timeout=60)
    assert child.returncode != 0
    partial = open_store(target)
    copied = partial.count_rows("snapshots")
    partial.close()
    assert 2_000 <= copied < 18_627
    result = subprocess.run([*command, "--batch", "5000"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"snapshots: 18,627 rows ({18_627 - copied:,} copied, {copied:,} already there)" in result.stdout
    assert contents(target) == contents(bundled_store)
