"""Run every benchmark in bench/ and print one table of their figures, with the machine they came from.

    python bench/run_all.py [--quick] [--only NAME]... [--timeout SECONDS] [--markdown]

Each `bench/bench_*.py` runs as its own process (see `bench/_figures.py` for the FIGURE line it
prints). A script that is missing, fails, times out or prints no figure is listed as such.
Exit status: 0 when every benchmark ran and reported, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from _figures import PROJECT_ROOT, Figure, format_value, parse_figures
from _machine import describe_machine

BENCH_DIR = Path(__file__).resolve().parent
OUT_FILE = BENCH_DIR / "out" / "figures.json"
# The benchmarks the documentation quotes; one that is absent is reported, not skipped silently.
EXPECTED = (
    "bench_ingest",
    "bench_breakdown",
    "bench_pulls",
    "bench_collector",
    "bench_catalog",
    "bench_dashboard",
    "bench_deck",
    "bench_cli",
    "bench_structure",
)
DEFAULT_TIMEOUT = 1800
TAIL_LINES = 3


@dataclass
class Outcome:
    """How one benchmark script went: status is ok, failed, timed out, missing or no figures."""

    script: str
    status: str
    seconds: float | None = None
    detail: str = ""
    figures: list[Figure] = field(default_factory=list)


def discover(bench_dir: Path, only: list[str] | None = None) -> list[str]:
    """Return the benchmark names to run: every bench_*.py present plus the expected ones, sorted."""
    names = {path.stem for path in bench_dir.glob("bench_*.py")} | set(EXPECTED)
    if only:
        names = {name for name in names if any(part in name for part in only)}
    return sorted(names)


def _tail(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-TAIL_LINES:])


def _kill_group(process: subprocess.Popen) -> None:
    # A benchmark may start servers of its own (the dashboard); end them with it.
    with contextlib.suppress(ProcessLookupError):  # the group has already ended
        os.killpg(process.pid, signal.SIGKILL)


def run_script(path: Path, quick: bool, timeout: float) -> Outcome:
    """Run one benchmark script in its own process group and collect its figures."""
    if not path.exists():
        return Outcome(path.stem, "missing", detail=f"{path.name} does not exist")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, str(path)] + (["--quick"] if quick else [])
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        stdout, stderr = process.communicate()
        figures = parse_figures(stdout)
        return Outcome(path.stem, "timed out", timeout, f"stopped after {timeout:.0f} s", figures)
    _kill_group(process)
    seconds = time.perf_counter() - started
    figures = parse_figures(stdout)
    if process.returncode != 0:
        return Outcome(path.stem, "failed", seconds, f"exit {process.returncode}: {_tail(stderr)}", figures)
    if not figures:
        return Outcome(path.stem, "no figures", seconds, "printed no FIGURE line", figures)
    return Outcome(path.stem, "ok", seconds, f"{len(figures)} figures", figures)


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in [header, *rows]]
    return "\n".join(line.rstrip() for line in lines)


def render_report(outcomes: list[Outcome], machine: dict[str, str], markdown: bool = False) -> str:
    """Return the machine, the table of every figure, and the status of every script, as text."""
    figure_rows = [
        [outcome.script, figure.name, format_value(figure.value), figure.unit]
        for outcome in outcomes
        for figure in outcome.figures
    ]
    status_rows = [
        [outcome.script, outcome.status, "-" if outcome.seconds is None else f"{outcome.seconds:.1f} s", outcome.detail]
        for outcome in outcomes
    ]
    machine_rows = [[key, value] for key, value in machine.items()]
    # A Markdown table needs a blank line after the paragraph that names it.
    title = "**{}**\n\n" if markdown else "{}\n"
    return "\n\n".join(
        [
            title.format("Machine") + _table(["machine", ""], machine_rows, markdown),
            title.format("Figures")
            + (_table(["benchmark", "figure", "value", "unit"], figure_rows, markdown) if figure_rows else "(none)"),
            title.format("Benchmarks") + _table(["benchmark", "status", "took", "detail"], status_rows, markdown),
        ]
    )


def _save(outcomes: list[Outcome], machine: dict[str, str], quick: bool) -> None:
    OUT_FILE.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine, "quick": quick, "benchmarks": [asdict(outcome) for outcome in outcomes]}
    OUT_FILE.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the runner's flags."""
    parser = argparse.ArgumentParser(description="Run every bench/bench_*.py and print a table of their figures.")
    parser.add_argument("--quick", action="store_true", help="pass --quick to every benchmark (smaller sizes)")
    parser.add_argument("--only", action="append", metavar="NAME", help="only benchmarks whose name contains NAME")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"seconds per benchmark (default {DEFAULT_TIMEOUT})"
    )
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables, ready for the README")
    return parser.parse_args(argv)


def run_all(bench_dir: Path, quick: bool, timeout: float, only: list[str] | None = None) -> list[Outcome]:
    """Run each benchmark of `bench_dir` in turn, telling stderr how each went."""
    outcomes = []
    for name in discover(bench_dir, only):
        print(f"running {name}{' --quick' if quick else ''} ...", file=sys.stderr, flush=True)
        outcome = run_script(bench_dir / f"{name}.py", quick, timeout)
        print(f"  {outcome.status}: {outcome.detail}", file=sys.stderr, flush=True)
        outcomes.append(outcome)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the report, save it to bench/out/figures.json; 1 if any did not report."""
    args = parse_args(argv)
    outcomes = run_all(BENCH_DIR, args.quick, args.timeout, args.only)
    machine = describe_machine()
    print(render_report(outcomes, machine, args.markdown))
    _save(outcomes, machine, args.quick)
    print(f"\n(saved to {OUT_FILE.relative_to(PROJECT_ROOT)})", file=sys.stderr)
    return 0 if outcomes and all(outcome.status == "ok" for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
