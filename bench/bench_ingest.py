"""Ingestion benchmark: a 100,000-respondent Stack Overflow-format file, load_survey against a bare read_csv.

Run: python bench/bench_ingest.py [--quick] [--respondents N] [--seed S]
(--quick: 20,000 respondents.) The file is made by resampling the rows of the bundled 2025 sample
with a fixed seed (bench/out/).
Each measurement runs in its own process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _figures import PROJECT_ROOT, bench_parser, report

ROOT = PROJECT_ROOT
FULL_RESPONDENTS = 100_000
QUICK_RESPONDENTS = 20_000
SAMPLE = ROOT / "data" / "surveys" / "stackoverflow_2025" / "survey_results_public.csv"
SCHEMA = SAMPLE.with_name("survey_results_schema.csv")
OUT = ROOT / "bench" / "out"


def make_file(respondents: int, seed: int) -> Path:
    """Write (once) a Stack Overflow-format file of `respondents` rows resampled from the sample."""
    import pandas as pd

    folder = OUT / f"stackoverflow_{respondents}_{seed}"
    target = folder / "survey_results_public.csv"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    sample = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    rows = sample.sample(n=respondents, replace=True, random_state=seed).reset_index(drop=True)
    rows["ResponseId"] = [str(number) for number in range(1, respondents + 1)]
    rows.to_csv(target.with_suffix(".tmp"), index=False)
    target.with_suffix(".tmp").replace(target)
    shutil.copy(SCHEMA, folder / SCHEMA.name)
    return target


def measure(kind: str, path: str) -> dict:
    """Time one way of reading `path` in this process; report seconds, peak RSS and rows."""
    started = time.perf_counter()
    if kind == "read_csv":
        import pandas as pd

        frame = pd.read_csv(path)
        rows = len(frame)
        extra = {}
    else:
        from collectors.surveys import load_survey

        with tempfile.TemporaryDirectory() as cache:
            survey = load_survey(path, cache_dir=cache)
            parsed = time.perf_counter() - started
            again = time.perf_counter()
            load_survey(path, cache_dir=cache)
            cached = time.perf_counter() - again
            lookup = time.perf_counter()
            survey.answers("DevType")["answer"].value_counts()
            first = time.perf_counter() - lookup
            lookup = time.perf_counter()
            survey.answers("MainBranch")["answer"].value_counts()
            again_seconds = time.perf_counter() - lookup
            extra = {"cached_seconds": cached, "answers_seconds": first, "answers_again_seconds": again_seconds}
        rows = len(survey.responses)
        return {"seconds": parsed, "peak_rss_mb": _peak_mb(), "rows": rows, **extra}
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": _peak_mb(), "rows": rows, **extra}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(kind: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _report(respondents: int, size_mb: float, bare: dict, loaded: dict) -> None:
    report("ingest.respondents", respondents, "respondents")
    report("ingest.file_size", size_mb, "MB")
    report("ingest.read_csv", bare["seconds"], "s")
    report("ingest.read_csv.peak_rss", bare["peak_rss_mb"], "MB")
    report("ingest.load_survey", loaded["seconds"], "s")
    report("ingest.load_survey.peak_rss", loaded["peak_rss_mb"], "MB")
    report("ingest.read_ratio", loaded["seconds"] / bare["seconds"], "x")
    report("ingest.cached_load", loaded["cached_seconds"], "s")
    report("ingest.answers_first", loaded["answers_seconds"] * 1000, "ms")
    report("ingest.answers_next", loaded["answers_again_seconds"] * 1000, "ms")


def main() -> None:
    """Make the file, measure both readers, print the figures."""
    parser = bench_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "--respondents", type=int, help=f"default {FULL_RESPONDENTS:,}; {QUICK_RESPONDENTS:,} with --quick"
    )
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    respondents = args.respondents or (QUICK_RESPONDENTS if args.quick else FULL_RESPONDENTS)
    path = make_file(respondents, args.seed)
    bare = _child("read_csv", path)
    loaded = _child("load_survey", path)
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    print(f"machine            {machine}, {_cpus()} CPU(s), Python {platform.python_version()}")
    size = path.stat().st_size / 1e6
    print(f"file               {path.relative_to(ROOT)} ({size:.0f} MB, {respondents} respondents)")
    print(f"read_csv           {bare['seconds']:.2f} s   peak RSS {bare['peak_rss_mb']:.0f} MB")
    print(f"load_survey        {loaded['seconds']:.2f} s   peak RSS {loaded['peak_rss_mb']:.0f} MB")
    print(f"ratio              {loaded['seconds'] / bare['seconds']:.2f}x (goal: at most 4x)")
    print(f"cached load        {loaded['cached_seconds']:.2f} s")
    print(f"answers, 1st call  {loaded['answers_seconds'] * 1000:.0f} ms (indexes the questions once)")
    print(f"answers, next ones {loaded['answers_again_seconds'] * 1000:.0f} ms")
    print(f"rows in responses  {loaded['rows']}")
    _report(respondents, size, bare, loaded)


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
