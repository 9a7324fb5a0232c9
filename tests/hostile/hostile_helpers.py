"""What the hostile tests share besides fixtures: running a command line as a person runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "data" / "pull_history" / "issif_docker-pulls-scraper"


def run_module(*args: str, env: dict[str, str] | None = None, code: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m <args>` (or `python -c code args`) from the project root, the store variables unset."""
    clean = {key: value for key, value in os.environ.items() if key not in ("ADOPTION_DB", "ADOPTION_DB_URL")}
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", *args]
    return subprocess.run(command, cwd=ROOT, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=180)


# Names a store may hold (a namespace listing or an import wrote them): HTML or Markdown that must stay text.
HOSTILE_NAMES = (
    '<span style="font-size:60px;color:red">big',
    '<a href="https:\\\\evil.example">Click',
    "[Click](https:evil.example) www.evil.example",
)
HOSTILE_EVENT = '2024-01-01 <a href="https://evil.example">Click</a>'
# Tags the chart builders write themselves: a line break, and the box of a hover label.
OWN_TAGS = ("<br>", "<extra>", "</extra>")


def hostile_snapshots() -> list[dict]:
    """Snapshots of the hostile images: the biggest in the store (so every page picks them), one decrease each.

    The last name is the biggest of all, so it heads the Overview's "biggest stored image" card.
    """
    day = 86_400
    start = 1_718_000_000 - 1_718_000_000 % day
    counts = [1_000_000_000, 1_000_500_000, 1_000_400_000, 1_001_000_000]
    return [
        {"namespace": "evil", "name": name, "observed_at": start + offset * day, "pull_count": count + rank}
        for rank, name in enumerate(HOSTILE_NAMES)
        for offset, count in enumerate(counts)
    ]


def strings_in(value: object) -> list[str]:
    """Every string inside a figure's JSON (keys and values)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [str(key), *strings_in(item)]]
    if isinstance(value, list | tuple):
        return [text for item in value for text in strings_in(item)]
    return []


def stray_tags(figure: dict) -> list[str]:
    """The strings of a figure that hold a tag plotly would draw, other than the builders' own."""
    found = []
    for text in strings_in(figure):
        bare = text
        for tag in OWN_TAGS:
            bare = bare.replace(tag, "")
        if "<" in bare:
            found.append(text)
    return found


def as_shown(markdown: str) -> str:
    """Return Streamlit Markdown as a person reads it: each backslash escape shown as its character."""
    return re.sub(r"\\(.)", r"\1", markdown)
