"""`python -m collectors dockerhub-catalog` against a loopback hub: search shapes, listings, faults, resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.wrappers import Response

from store import open_store
from tests.catalog.catalog_hub import ROOT, FakeCatalog, small_catalog


def _entries(db: Path):
    engine = open_store(f"sqlite:///{db}")
    try:
        return engine.read_catalog_entries(), engine.read_catalog_snapshots(), engine.read_runs()
    finally:
        engine.close()


def _flags(hub, db: Path, *more: str) -> list[str]:
    return ["dockerhub-catalog", "--db", str(db), "--api-url", hub.url_for(""), "--workers", "2", *more]


@pytest.mark.parametrize("shape", ["v4", "v3", "v2"])
def test_every_search_shape_gives_the_top_and_listings_make_them_exact(hub, tmp_path, run_collectors, shape):
    catalog = small_catalog()
    catalog.serve(hub)
    db = tmp_path / "a.db"
    code, out, err = run_collectors(*_flags(hub, db, "--top", "120", "--search", shape))
    assert code == 0, err
    entries, snapshots, _ = _entries(db)
    expected = dict(catalog.ranked()[:120])
    assert (
        dict(zip(zip(entries["namespace"], entries["name"], strict=True), entries["pull_low"], strict=True)) == expected
    )
    assert entries["exact"].all() and (entries["pull_high"] == entries["pull_low"]).all()
    assert (entries["method"] == "listing").all()
    assert sorted(entries["rank"]) == list(range(1, 121))
    assert snapshots["complete"].tolist() == [True]
    # 120 places: two search pages; 3 official images in one listing; bitnami's top 117 on its first two pages.
    assert catalog.requests == {"search": 2, "library": 1, "bitnami": 2}
    assert "120 repositories from the search, 120 exact counts" in out


def test_search_publishers_are_kept_and_source_filters(hub, tmp_path, run_collectors):
    catalog = small_catalog()
    catalog.serve(hub)
    db = tmp_path / "a.db"
    assert run_collectors(*_flags(hub, db, "--top", "500", "--source", "official"))[0] == 0
    entries, _, _ = _entries(db)
    assert sorted(entries["name"]) == ["alpine", "nginx", "redis"]
    assert set(entries["publisher"]) == {"official"}
    assert entries.loc[entries["name"] == "nginx", "pull_low"].item() == 12_981_954_060


def test_a_namespace_of_250_is_listed_in_three_pages(hub, tmp_path, run_collectors):
    catalog = small_catalog()
    catalog.serve(hub)
    db = tmp_path / "a.db"
    assert run_collectors(*_flags(hub, db, "--namespace", "bitnami"))[0] == 0
    entries, _, runs = _entries(db)
    assert len(entries) == 250 and entries["exact"].all()
    assert catalog.requests == {"bitnami": 3}
    assert entries["publisher"].unique().tolist() == ["unknown"]
    assert sorted(entries["pull_low"])[0] == 50_000_000 - 249 * 100_000
    assert runs["images_collected"].tolist() == [250]


def test_a_404_namespace_is_a_failure_and_its_repositories_keep_their_range(hub, tmp_path, run_collectors):
    catalog = small_catalog()
    catalog.missing = {"solo2"}
    catalog.serve(hub)
    db = tmp_path / "a.db"
    code, out, err = run_collectors(*_flags(hub, db, "--top", "258"))
    assert code == 1
    assert "failed: solo2/*: listing failed: not found on Docker Hub (HTTP 404)" in err
    entries, snapshots, runs = _entries(db)
    solo = entries[entries["namespace"] == "solo2"].iloc[0]
    assert (solo["pull_low"], solo["pull_high"], solo["exact"], solo["pull_text"]) == (
        10_000_000,
        49_999_999,
        False,
        "10M+",
    )
    assert solo["method"] == "search"
    assert (entries["exact"]).sum() == 257
    assert snapshots["complete"].tolist() == [False]
    engine = open_store(f"sqlite:///{db}")
    assert engine.read_failures(int(runs["run_id"][0]))["image"].tolist() == ["solo2/*"]
    engine.close()


def test_429_with_retry_after_is_waited_for_and_retried(hub, tmp_path, run_collectors, monkeypatch):
    catalog = small_catalog()
    waits: list[float] = []
    monkeypatch.setattr("collectors.dockerhub.http.pause", waits.append)
    refused = {"left": 1}

    def once_refused(request):
        if refused["left"]:
            refused["left"] -= 1
            return Response("Too Many Requests", status=429, headers={"Retry-After": "2"})
        return catalog.search_v4(request)

    hub.expect_request("/api/search/v4").respond_with_handler(once_refused)
    catalog.serve(hub)
    db = tmp_path / "a.db"
    code, _, err = run_collectors(*_flags(hub, db, "--top", "3"))
    assert code == 0, err
    assert waits == [2.0]
    assert len(_entries(db)[0]) == 3


def test_per_minute_budget_is_kept_whatever_the_server_says(hub, tmp_path, run_collectors, monkeypatch):
    from collectors.dockerhub import http as dockerhub_http

    clock = {"now": 1_000_000.0}
    waited: list[float] = []

    class Frozen(dockerhub_http.RequestBudget):
        def wait(self, now):
            wait = super().wait(clock["now"])
            if wait is not None:
                waited.append(wait)
                clock["now"] += wait  # time passes only while waiting
            return super().wait(clock["now"])

        def record(self, now):
            super().record(clock["now"])

    monkeypatch.setattr("cli.collectors.catalog.RequestBudget", Frozen)
    catalog = small_catalog()
    catalog.serve(hub)
    db = tmp_path / "a.db"
    assert run_collectors(*_flags(hub, db, "--top", "258", "--per-minute", "4", "--workers", "1"))[0] == 0
    # 12 requests (3 search pages, 9 listing pages) at 4 a minute: two waits of a (guarded) minute.
    assert sum(catalog.requests.values()) == 12
    assert len(waited) == 2 and all(59 < wait < 62 for wait in waited)


def test_bad_flags_are_one_line_and_exit_2(run_collectors, tmp_path):
    for flags in (["--top", "0"], ["--workers", "0"], ["--namespace", "no/slash"], ["--per-minute", "0"]):
        code, _, err = run_collectors("dockerhub-catalog", "--db", str(tmp_path / "a.db"), *flags)
        assert code == 2 and err.count("\n") == 1 and err.startswith("error: "), (flags, err)


def _wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the collector did not get there in time"
        time.sleep(0.05)


def _exact_count(db: Path) -> int:
    if not db.exists():
        return 0
    import sqlite3

    with sqlite3.connect(db) as connection:
        try:
            return connection.execute("SELECT COUNT(*) FROM catalog_entries WHERE exact").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def test_sigkill_mid_run_keeps_saved_pages_and_a_rerun_lists_only_the_rest(hub, tmp_path):
    catalog: FakeCatalog = small_catalog()
    catalog.hold, catalog.held = threading.Event(), {"solo3", "solo4"}
    catalog.serve(hub)
    db = tmp_path / "a.db"
    command = [sys.executable, "-m", "collectors", *_flags(hub, db, "--top", "258")]
    command[command.index("--workers") + 1] = "1"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    collector = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), **quiet)
    try:
        # library (3), bitnami (250) and solo0..solo2 are listed before solo3's listing hangs.
        _wait_for(lambda: _exact_count(db) == 256)
        collector.send_signal(signal.SIGKILL)
        collector.wait(timeout=30)
    finally:
        collector.kill()
        catalog.hold.set()
    assert collector.returncode == -signal.SIGKILL
    entries, snapshots, runs = _entries(db)
    assert len(entries) == 258 and entries["exact"].sum() == 256
    assert runs["complete"].tolist() == [False]

    before = dict(catalog.requests)
    rerun = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed" in rerun.stdout
    fresh = {key: catalog.requests[key] - before.get(key, 0) for key in catalog.requests}
    assert {key: n for key, n in fresh.items() if n} == {"solo3": 1, "solo4": 1}
    entries, snapshots, runs = _entries(db)
    assert entries["exact"].all() and len(entries) == 258
    assert snapshots["complete"].tolist() == [True]
    assert runs[["run_id", "complete"]].values.tolist() == [[1, True]]
