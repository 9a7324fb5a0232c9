"""Command-line figures, printed: `python -m analysis questions` on a 100,000-respondent file, whole process.

Run from the repository root: `python bench/bench_cli.py [--quick]` (--quick: 20,000 respondents).
Each figure is a whole process as a person runs it, against a bare `pandas.read_csv` of the same file
in a process of its own: cold (an empty parsed-file cache) and warm (the cache the cold run left),
with each process's peak memory. Also the start of every `python -m analysis` command (`--help`).
Goals (issue 12): at most 2.5x read_csv cold, 1x warm, peak memory at most 1.5 GB.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from _figures import PROJECT_ROOT, bench_parser, report
from bench_ingest import FULL_RESPONDENTS, QUICK_RESPONDENTS, make_file

COMMANDS = ("snapshots", "pulls", "rank", "growth", "milestone", "lift", "questions", "breakdown", "answer", "trend")
GOALS = {"cold": 2.5, "warm": 1.0}


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run `command` to its end; return (seconds, peak RSS in MB) of that process alone."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


def _median(command: list[str], repeats: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    runs = [timed(command, env) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    """Print the figures."""
    quick = bench_parser(__doc__.splitlines()[0]).parse_args().quick
    path = make_file(QUICK_RESPONDENTS if quick else FULL_RESPONDENTS, 7)
    repeats = 1 if quick else 3
    python = sys.executable
    bare_s, bare_mb = _median([python, "-c", "import sys, pandas; pandas.read_csv(sys.argv[1])", str(path)], repeats)
    report("cli.read_csv", bare_s, "s")
    report("cli.read_csv.peak_rss", bare_mb, "MB")
    cold, warm, cold_mb, warm_mb = [], [], 0.0, 0.0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as cache:
            env = {"ADOPTION_CACHE_DIR": cache}
            seconds, peak = timed([python, "-m", "analysis", "questions", str(path)], env)
            cold.append(seconds)
            cold_mb = max(cold_mb, peak)
            seconds, peak = timed([python, "-m", "analysis", "questions", str(path)], env)
            warm.append(seconds)
            warm_mb = max(warm_mb, peak)
    for kind, times, peak in (("cold", cold, cold_mb), ("warm", warm, warm_mb)):
        median = statistics.median(times)
        ratio = median / bare_s
        report(f"cli.questions.{kind}", median, "s")
        report(f"cli.questions.{kind}.peak_rss", peak, "MB")
        report(f"cli.questions.{kind}_ratio", ratio, "x")
        verdict = "met" if ratio <= GOALS[kind] and peak <= 1500 else f"not met (goal {GOALS[kind]}x, 1,500 MB)"
        print(f"questions, {kind}: {median:.2f} s, {peak:.0f} MB; read_csv {bare_s:.2f} s = {ratio:.2f}x, {verdict}")
    report("cli.python_start", _median([python, "-c", "pass"], repeats)[0], "s")
    for command in COMMANDS:
        report(f"cli.start.{command}", _median([python, "-m", "analysis", command, "--help"], repeats)[0], "s")


if __name__ == "__main__":
    main()
