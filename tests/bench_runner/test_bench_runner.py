"""The benchmark runner and the FIGURE line convention (no figure is asserted, only how they travel)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Import the runner and the figures module the way a benchmark script sees them."""
    monkeypatch.syspath_prepend(str(BENCH_DIR))
    return importlib.import_module("run_all"), importlib.import_module("_figures")


def test_report_prints_a_line_that_parses_back(bench, capsys: pytest.CaptureFixture) -> None:
    _, figures = bench
    figures.report("ingest.read_ratio", 1.83456, "x")
    figures.report("store.rows", 10_000_000, "rows")
    figures.report("store.query_ms", 1234.56, "ms")

    printed = capsys.readouterr().out
    assert printed.splitlines() == [
        "FIGURE ingest.read_ratio=1.835 x",
        "FIGURE store.rows=10000000 rows",
        "FIGURE store.query_ms=1235 ms",
    ]
    assert [(f.name, f.value, f.unit) for f in figures.parse_figures(printed)] == [
        ("ingest.read_ratio", 1.835, "x"),
        ("store.rows", 10_000_000.0, "rows"),
        ("store.query_ms", 1235.0, "ms"),
    ]


@pytest.mark.parametrize(("name", "unit"), [("has space", "s"), ("ok", "two words"), ("a=b", "s"), ("", "s")])
def test_report_refuses_what_the_runner_could_not_read(bench, name: str, unit: str) -> None:
    _, figures = bench
    with pytest.raises(ValueError, match="not a valid figure"):
        figures.report(name, 1.0, unit)


def test_parse_figures_ignores_other_output(bench) -> None:
    _, figures = bench
    output = "warming up\nFIGURE a.b=2.5 s\nFIGURE bad=notanumber s\nFIGURE missing_unit=3\n  FIGURE c=4 MB  \n"

    assert [(f.name, f.value, f.unit) for f in figures.parse_figures(output)] == [("a.b", 2.5, "s"), ("c", 4.0, "MB")]


def _script(directory: Path, name: str, body: str) -> None:
    (directory / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")


def test_runner_reports_every_script_as_it_went(bench, tmp_path: Path) -> None:
    run_all, _ = bench
    _script(
        tmp_path,
        "bench_good",
        """
        import sys
        print("FIGURE good.quick=" + ("1" if "--quick" in sys.argv else "0") + " flag")
        print("FIGURE good.speed=12.5 rows/s")
        """,
    )
    _script(tmp_path, "bench_broken", "import sys\nprint('FIGURE broken.partial=1 s')\nsys.exit('no data file')\n")
    _script(tmp_path, "bench_silent", "print('nothing measured')\n")
    _script(tmp_path, "bench_stuck", "import time\ntime.sleep(120)\n")

    outcomes = {o.script: o for o in run_all.run_all(tmp_path, quick=True, timeout=5)}

    assert {name: o.status for name, o in outcomes.items()} == {
        "bench_good": "ok",
        "bench_broken": "failed",
        "bench_silent": "no figures",
        "bench_stuck": "timed out",
        **{name: "missing" for name in run_all.EXPECTED},
    }
    assert [(f.name, f.value, f.unit) for f in outcomes["bench_good"].figures] == [
        ("good.quick", 1.0, "flag"),
        ("good.speed", 12.5, "rows/s"),
    ]
    assert outcomes["bench_broken"].detail == "exit 1: no data file"
    assert [f.name for f in outcomes["bench_broken"].figures] == ["broken.partial"]


def test_runner_without_quick_does_not_pass_it(bench, tmp_path: Path) -> None:
    run_all, _ = bench
    _script(tmp_path, "bench_flag", "import sys\nprint(f'FIGURE flag.args={len(sys.argv) - 1} args')\n")

    (outcome,) = run_all.run_all(tmp_path, quick=False, timeout=60, only=["flag"])

    assert [(f.name, f.value) for f in outcome.figures] == [("flag.args", 0.0)]


def test_report_shows_machine_figures_and_statuses(bench) -> None:
    run_all, figures = bench
    outcomes = [
        run_all.Outcome("bench_a", "ok", 1.25, "1 figures", [figures.Figure("a.latency", 0.5, "s")]),
        run_all.Outcome("bench_b", "missing", None, "bench_b.py does not exist"),
    ]
    machine = {"cpu": "Test CPU", "ram": "1.0 GiB"}

    text = run_all.render_report(outcomes, machine).splitlines()
    markdown = run_all.render_report(outcomes, machine, markdown=True).splitlines()

    assert "cpu      Test CPU" in text
    assert "bench_a    a.latency  0.5    s" in text
    assert "bench_b    missing  -      bench_b.py does not exist" in text
    assert "| bench_a | a.latency | 0.5 | s |" in markdown
    assert markdown[:3] == ["**Machine**", "", "| machine |  |"]
    assert "Machine" in text[0]
    assert "| bench_b | missing | - | bench_b.py does not exist |" in markdown


def test_machine_description_names_cpu_ram_and_python(bench) -> None:
    machine = importlib.import_module("_machine").describe_machine()

    assert set(machine) >= {"cpu", "cpus", "load", "ram", "python", "date"}
    assert machine["python"].startswith(".".join(map(str, sys.version_info[:2])))
