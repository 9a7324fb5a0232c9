"""Benchmark of the deck: 20 views to a .pptx (native charts), and LibreOffice rendering it; prints figures.

    python bench/bench_deck.py            # a 20-slide deck, 5 builds; rendered once by LibreOffice
    python bench/bench_deck.py --quick    # the same deck, 2 builds, no rendering

Views are a mix a speaker would pick: survey shares, crosstabs and trends, pulls per week and month,
a namespace of 12 images, milestones and the Overview's chart, read from the bundled surveys and a
store holding the bundled histories (built in a temporary folder). `deck.build_20` is the time from
the views to the .pptx bytes, surveys and store already open (as in the dashboard); `deck.cli_20`
is `python -m analysis deck` with the 20 views from a cold start, as a speaker runs it.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _figures import PROJECT_ROOT, bench_arguments, report

from analysis.views.slides import slide_for
from cli.analysis.deck import cli_sources
from collectors.bundled import ensure_bundled_history
from exports.deck import build_deck
from store import open_store

SURVEY = "surveys?survey=Cloud_Native_Survey_2019&q={q}&item={item}"
VIEWS = [
    SURVEY.format(q="Q15", item="Production"),
    SURVEY.format(q="Q15", item="Production") + "&by=Q2&chart=crosstab",
    SURVEY.format(q="Q15", item="Production") + "&chart=trend",
    SURVEY.format(q="Q10", item="Kubernetes"),
    SURVEY.format(q="Q10", item="Kubernetes") + "&chart=trend",
    "surveys?survey=Cloud_Native_Survey_2019&q=Q2",
    "surveys?survey=Cloud_Native_Survey_2019&q=Q22",
    "surveys?survey=Cloud_Native_Survey_2019&q=Q1&by=Q2&chart=crosstab",
    "surveys?survey=Cloud_Native_Survey_1H_2020&q=Q16&item=Production",
    "surveys?survey=Cloud_Native_Survey_2018&q=Q13&item=Production",
    "pulls?image=falcosecurity/falco&measure=month",
    "pulls?image=falcosecurity/falco&measure=week",
    "pulls?image=falcosecurity/falco&measure=day",
    "pulls?image=falcosecurity/falco&measure=cumulative&scale=log",
    "pulls?ns=falcosecurity&measure=week",
    "pulls?ns=falcosecurity&measure=month",
    "pulls?image=kwdb/kwdb&measure=week",
    "pulls?image=falcosecurity/falco&chart=milestone",
    "pulls?image=falcosecurity/falcosidekick&chart=milestone",
    "overview",
]


def _timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> int:
    args = bench_arguments(__doc__)
    repeats = 2 if args.quick else 5
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "adoption.db")
        store = open_store(f"sqlite:///{db}")
        ensure_bundled_history(store)
        store.close()
        sources = cli_sources(db)
        sources.surveys(), sources.mappings(), sources.store()  # opened once, as the dashboard keeps them
        times, cpu, deck = [], [], b""
        for _ in range(repeats):
            started = time.process_time()
            took, deck = _timed(lambda: build_deck([slide_for(view, sources) for view in VIEWS]))
            times.append(took)
            cpu.append(time.process_time() - started)
        report("deck.build_20", statistics.median(times), "s")
        report("deck.build_20.best", min(times), "s")
        report("deck.build_20.cpu", statistics.median(cpu), "s")  # steadier on a busy machine
        report("deck.size_20", len(deck) / 1e6, "MB")
        output = Path(folder) / "talk.pptx"
        took, finished = _timed(
            lambda: subprocess.run(
                [sys.executable, "-m", "analysis", "deck", *VIEWS, "-o", str(output), "--db", db],
                cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
            )
        )  # fmt: skip
        if finished.returncode != 0:
            print(finished.stderr, file=sys.stderr)
            return 1
        report("deck.cli_20", took, "s")
        if not args.quick and shutil.which("soffice"):
            profile = (Path(folder) / "lo-profile").as_uri()
            command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
            took, _ = _timed(
                lambda: subprocess.run([*command, "--outdir", folder, str(output)], capture_output=True, timeout=300)
            )
            report("deck.libreoffice_pdf_20", took, "s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
