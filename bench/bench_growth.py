"""Benchmark of inputs that grow work faster than themselves (issue 20, kind 5); prints figures.

    python bench/bench_growth.py            # 10x the sizes the issue found: 120,000 same-named columns, 300,000 words
    python bench/bench_growth.py --quick    # the issue's sizes: 12,000 columns, 30,000 words

`growth.same_name_ids` names N survey columns all called `Q` (the loader's ResponseBuilder.unique_id:
Q, Q_2, Q_3 ...; it was quadratic, 48 s for 12,000 columns with the whole load). `growth.same_name_load`
loads a file of min(N, 20,000) columns all named `Q` (20,000 is the loader's column limit), and
`growth.distinct_name_load` the same file with distinct names: the two should be close. `growth.deck_slide`
builds a one-slide deck whose question has W words (text fitting took more than 120 s at 30,000 words).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from _figures import bench_arguments, report

from collectors.surveys.builder import ResponseBuilder
from collectors.surveys.loader import load_survey
from collectors.surveys.reader import MAX_COLUMNS
from exports.deck import build_deck
from exports.slides import Series, Slide


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _survey(folder: Path, names: list[str], rows: int = 20) -> Path:
    path = folder / f"wide_{len(names)}_{len(set(names))}.csv"
    cells = range(len(names))
    body = "\n".join(",".join("yes" if (row + index) % 3 else "no" for index in cells) for row in range(rows))
    path.write_text(",".join(names) + "\n" + body + "\n", encoding="utf-8")
    return path


def _slide(words: int) -> Slide:
    question = " ".join(f"word{index % 97}" for index in range(words))
    table = pd.DataFrame({"answer": ["Yes", "No"], "share": [0.6, 0.4]})
    return Slide(
        view="bench", kind="bar", title=question, subtitle=question, categories=["Yes", "No"],
        series=[Series("share", [0.6, 0.4])], number_format="0%", footer=question, table=table,
    )  # fmt: skip


def main() -> int:
    args = bench_arguments(__doc__)
    columns, words = (12_000, 30_000) if args.quick else (120_000, 300_000)
    builder = ResponseBuilder(1)
    report("growth.same_name_ids", _timed(lambda: [builder.unique_id("Q") for _ in range(columns)]), "s")
    loaded = min(columns, MAX_COLUMNS)
    with tempfile.TemporaryDirectory() as folder:
        same = _survey(Path(folder), ["Q"] * loaded)
        distinct = _survey(Path(folder), [f"Q{index}" for index in range(loaded)])
        report("growth.same_name_load", _timed(lambda: load_survey(same, cache_dir=Path(folder) / "c1")), "s")
        report("growth.distinct_name_load", _timed(lambda: load_survey(distinct, cache_dir=Path(folder) / "c2")), "s")
    report("growth.deck_slide", _timed(lambda: build_deck([_slide(words)])), "s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
