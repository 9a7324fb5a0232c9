"""Benchmark figures: the one line format every `bench/bench_*.py` script prints.

The convention, which `bench/run_all.py` relies on:

- A benchmark is a script `bench/bench_<topic>.py`, run from the repository root as
  `python bench/bench_<topic>.py [--quick]`. It must accept `--quick`: smaller sizes, so that the
  whole set runs in a few minutes (for a first look or a slow machine); without it, the full sizes
  the documentation quotes.
- Each measured figure is one line on stdout::

      FIGURE <name>=<value> <unit>

  `name` is letters, digits and `_ . -` (prefix it with the topic: `ingest.read_ratio`); `value`
  is a plain number; `unit` is one word (`s`, `ms`, `MB`, `x`, `rows/s`, `req/s`, `%`). Print it
  with `report(name, value, unit)`. Any other output is free text and is ignored.
- Exit 0 when the measurement worked; any other exit status is reported as a failure.

Importing this module also puts the repository root on `sys.path`, so a script run as
`python bench/bench_x.py` can import the project's packages (`store`, `analysis`, ...).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NAME = r"[A-Za-z0-9_.\-]+"
UNIT = r"[^\s=]+"
FIGURE_LINE = re.compile(rf"^FIGURE (?P<name>{NAME})=(?P<value>\S+) (?P<unit>{UNIT})\s*$")

if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))


@dataclass(frozen=True)
class Figure:
    """One measured figure: what it is, its value and its unit."""

    name: str
    value: float
    unit: str


def format_value(value: float) -> str:
    """Return `value` as a plain number: integers as they are, others to 4 significant digits."""
    if isinstance(value, int):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.4g}"


def figure_line(name: str, value: float, unit: str) -> str:
    """Return the FIGURE line for one figure, refusing names and units the runner could not read back."""
    if not re.fullmatch(NAME, name) or not re.fullmatch(UNIT, unit):
        raise ValueError(f"not a valid figure (name of [A-Za-z0-9_.-], unit one word): {name!r} {unit!r}")
    return f"FIGURE {name}={format_value(value)} {unit}"


def report(name: str, value: float, unit: str) -> str:
    """Print one figure as `FIGURE <name>=<value> <unit>` (flushed at once) and return the line."""
    line = figure_line(name, value, unit)
    print(line, flush=True)
    return line


def parse_figures(output: str) -> list[Figure]:
    """Return the figures in a script's output, in the order printed; other lines are ignored."""
    figures = []
    for line in output.splitlines():
        match = FIGURE_LINE.match(line.strip())
        if match:
            try:
                value = float(match["value"])
            except ValueError:
                continue
            figures.append(Figure(match["name"], value, match["unit"]))
    return figures


def bench_parser(description: str) -> argparse.ArgumentParser:
    """Return a parser with the flag every benchmark takes (`--quick`), for scripts that add flags of their own."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a first look")
    return parser


def bench_arguments(description: str, argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the flags every benchmark takes (`--quick`); scripts with more flags use `bench_parser`."""
    return bench_parser(description).parse_args(argv)
