"""Every benchmark script follows the convention: it takes --quick and prints FIGURE lines (values never asserted)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = PROJECT_ROOT / "bench"
SCRIPTS = sorted(BENCH_DIR.glob("bench_*.py"))


def _run(script: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), *flags], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=[script.stem for script in SCRIPTS])
def test_every_benchmark_takes_quick(script: Path) -> None:
    finished = _run(script, "--help")

    assert finished.returncode == 0, finished.stderr
    assert "--quick" in finished.stdout


def test_pulls_benchmark_reports_its_figures_and_reuses_its_store(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.syspath_prepend(str(BENCH_DIR))
    figures = importlib.import_module("_figures")
    store = tmp_path / "pulls.sqlite"
    tiny = ("--quick", "--images", "20", "--days", "40", "--repeats", "1", "--store", str(store))

    first = _run(BENCH_DIR / "bench_pulls.py", *tiny)
    second = _run(BENCH_DIR / "bench_pulls.py", *tiny)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    built = {figure.name: figure for figure in figures.parse_figures(first.stdout)}
    reused = {figure.name: figure for figure in figures.parse_figures(second.stdout)}
    queries = {
        "pulls.snapshots",
        "pulls.bytes_per_snapshot",
        "pulls.daily_series_5_images",
        "pulls.daily_series_5_images.store_read",
        "pulls.top20_growth_30d",
    }
    assert set(built) == queries | {"pulls.build_store"}
    assert set(reused) == queries  # nothing built the second time
    assert "reused from" in second.stdout
    # About 1% of days are left out at random, so the count is near 20 x 40 and the same in both runs.
    assert 700 <= built["pulls.snapshots"].value <= 800
    assert reused["pulls.snapshots"].value == built["pulls.snapshots"].value
    assert not store.with_name(store.name + ".partial").exists()


def test_pulls_benchmark_names_its_kept_store_by_size(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.syspath_prepend(str(BENCH_DIR))
    bench_pulls = importlib.import_module("bench_pulls")

    full = bench_pulls.cached_store_path(10_000, 1_000)
    quick = bench_pulls.cached_store_path(1_000, 365)

    assert full.parent == quick.parent == BENCH_DIR / "out"
    assert full != quick
    assert "10000x1000" in full.name


def test_backends_benchmark_reports_every_backend_side_by_side_at_a_tiny_size(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.syspath_prepend(str(BENCH_DIR))
    figures = importlib.import_module("_figures")
    tiny = ("--rows", "1500", "--rows", "3000", "--catalog-snapshots", "2", "--repeats", "1")
    tiny += ("--backends", "sqlite,chdb")

    finished = _run(BENCH_DIR / "bench_backends.py", *tiny)

    assert finished.returncode == 0, finished.stderr
    found = {figure.name: figure for figure in figures.parse_figures(finished.stdout)}
    for backend in ("sqlite", "chdb"):
        for rows in (1500, 3000):
            names = {name for name in found if name.startswith(f"backends.{backend}.{rows}.")}
            assert {name.rsplit(".", 1)[1] for name in names} == {
                "snapshots", "insert_rate", "bytes_per_snapshot", "top100_growth_30d", "daily_series_5_images",
                "catalog_threshold_over_snapshots",
            }  # fmt: skip
        # Both stores hold the same generated rows: 365 days of each of rows // 365 repositories.
        assert found[f"backends.{backend}.3000.snapshots"].value == 365 * (3000 // 365)
        assert f"backends.{backend}.top100_growth_30d.ms_per_million_rows" in found
    assert found["census.requests_per_day_full_pages"].value == 7500
    assert found["census.hours_full_pages"].unit == "h"
