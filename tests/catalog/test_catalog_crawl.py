"""A catalog crawl: whole namespaces from a seed file and from the search, coverage, fallback, resume after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from store import open_store
from tests.catalog.catalog_hub import ROOT, FakeCatalog, small_catalog


def _flags(hub, db: Path, *more: str) -> list[str]:
    return ["dockerhub-catalog", "--db", str(db), "--api-url", hub.url_for(""), "--workers", "2", *more]


def _seeds(tmp_path: Path, *namespaces: str) -> str:
    path = tmp_path / "seeds.txt"
    path.write_text("# seed namespaces\n" + "\n".join(namespaces) + "\n\n", encoding="utf-8")
    return str(path)


def _entries(db: Path) -> list[tuple]:
    store = open_store(f"sqlite:///{db}")
    try:
        frame = store.read_catalog_entries()
    finally:
        store.close()
    return sorted(zip(frame["namespace"], frame["name"], frame["pull_low"], frame["exact"], strict=True))


def test_a_crawl_lists_seed_and_found_namespaces_whole_and_reports_coverage(hub, tmp_path, run_collectors):
    catalog = small_catalog()
    catalog.missing = {"ghost"}
    catalog.retired = {"solo1"}
    catalog.serve(hub)
    db = tmp_path / "a.db"
    seeds = _seeds(tmp_path, "solo0", "solo1", "ghost", "solo0")
    code, out, err = run_collectors(*_flags(hub, db, "--top", "5", "--namespaces", seeds))
    assert code == 1  # ghost failed
    # The search's top 5 are library's 3 and bitnami's first 2; both namespaces are listed whole.
    expected = {(ns, name): pulls for (ns, name), pulls in catalog.repos.items() if ns in {"library", "bitnami"}}
    expected |= {
        ("solo0", "tool"): catalog.repos[("solo0", "tool")],
        ("solo1", "tool"): catalog.repos[("solo1", "tool")],
    }
    assert _entries(db) == sorted((ns, name, pulls, True) for (ns, name), pulls in expected.items())
    assert "coverage: 255 repositories in 5 namespaces; 1 namespaces failed" in out
    assert "endpoints: 3 current, 1 deprecated" in out  # solo1 only on the deprecated listing; ghost answered by none
    assert "failed: ghost/*: listing failed: not found on Docker Hub (HTTP 404)" in err
    assert "namespaces: 5 of 5 listed" in err
    for path, query in catalog.listing_queries:
        assert query.get("page_size") in (None, "100") and int(query.get("page_size", 100)) <= 100, path
    firsts = [query for _, query in catalog.listing_queries if "page" not in query]
    assert firsts and all(query == {"page_size": "100", "ordering": "-pull_count"} for query in firsts)
    assert catalog.requests["bitnami"] == 3  # 250 repositories, 100 a page


def test_a_namespaces_file_with_a_bad_name_is_refused_in_one_line(hub, tmp_path, run_collectors):
    seeds = _seeds(tmp_path, "fine", "Not A Name")
    code, _, err = run_collectors(*_flags(hub, tmp_path / "a.db", "--namespaces", seeds))
    assert code == 2
    assert "seeds.txt:3:" in err and err.strip().count("\n") == 0


def test_a_crawl_waits_out_a_429_and_completes(hub, tmp_path, run_collectors):
    catalog = small_catalog()
    catalog.throttled["solo2"] = 1
    catalog.serve(hub)
    db = tmp_path / "a.db"
    code, out, err = run_collectors(*_flags(hub, db, "--namespaces", _seeds(tmp_path, "solo2", "solo3")))
    assert code == 0, err
    assert "coverage: 2 repositories in 2 namespaces; 0 namespaces failed" in out
    assert catalog.requests["solo2"] == 2  # the 429, then the answer


def _exact_count(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as connection:
        try:
            return connection.execute("SELECT COUNT(*) FROM catalog_entries WHERE exact").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def _wait_for(condition, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.05)


def test_a_crawl_killed_mid_run_resumes_without_listing_finished_namespaces_again(hub, tmp_path):
    catalog: FakeCatalog = small_catalog()
    catalog.hold, catalog.held = threading.Event(), {"solo3"}
    catalog.serve(hub)
    seeds = _seeds(tmp_path, "bitnami", "solo0", "solo1", "solo2", "solo3", "solo4")
    db = tmp_path / "a.db"
    command = [sys.executable, "-m", "collectors", *_flags(hub, db, "--namespaces", seeds)]
    command[command.index("--workers") + 1] = "1"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    crawler = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), **quiet)
    try:
        _wait_for(lambda: _exact_count(db) == 253 and catalog.requests["solo3"] == 1)  # bitnami, solo0..2 saved
        crawler.send_signal(signal.SIGKILL)
        crawler.wait(timeout=30)
    finally:
        crawler.kill()
        catalog.hold.set()
    assert crawler.returncode == -signal.SIGKILL

    before = dict(catalog.requests)
    rerun = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed" in rerun.stdout
    assert "coverage: 255 repositories in 6 namespaces; 0 namespaces failed (4 finished before the resume)" in (
        rerun.stdout
    )
    fresh = {key: catalog.requests[key] - before.get(key, 0) for key in catalog.requests}
    assert {key: n for key, n in fresh.items() if n} == {"solo3": 1, "solo4": 1}

    reference = tmp_path / "b.db"
    command[command.index("--db") + 1] = str(reference)
    assert subprocess.run(command, cwd=ROOT, env=os.environ.copy(), capture_output=True, timeout=120).returncode == 0
    assert _entries(db) == _entries(reference)
    assert len(_entries(db)) == 255


def test_a_crawl_keeps_the_per_minute_budget(hub, tmp_path, run_collectors, monkeypatch):
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
    seeds = _seeds(tmp_path, "bitnami", "library", "solo0", "solo1", "solo2", "solo3", "solo4")
    flags = _flags(hub, tmp_path / "a.db", "--namespaces", seeds, "--per-minute", "4", "--workers", "1")
    assert run_collectors(*flags)[0] == 0
    # 9 listing pages (bitnami 3, the others 1 each) at 4 a minute: two waits of a (guarded) minute.
    assert sum(catalog.requests.values()) == 9
    assert len(waited) == 2 and all(59 < wait < 62 for wait in waited)
