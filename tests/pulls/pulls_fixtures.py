"""Reading the real histories recorded by docker-pulls-scraper (tests/pulls/fixtures)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).parent / "fixtures"


def read_scraper_csv(path: Path) -> pd.DataFrame:
    """Return Date (UTC midnight), Count and Delta of one scraper file, rows in file order."""
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return pd.DataFrame(
        {
            "date": pd.to_datetime([row["Date"] for row in rows], format="%Y/%m/%d", utc=True),
            "count": [int(row["Count"]) for row in rows],
            "delta": [int(row["Delta"]) for row in rows],
        }
    )


def image_of(path: Path) -> tuple[str, str]:
    """Return (namespace, name) from a scraper file name namespace_name.csv."""
    namespace, _, name = path.stem.partition("_")
    return namespace, name


def scraper_records(path: Path) -> list[dict]:
    """Return snapshot records of one scraper file; a repeated date keeps its last row."""
    namespace, name = image_of(path)
    frame = read_scraper_csv(path).drop_duplicates("date", keep="last")
    return [
        {"namespace": namespace, "name": name, "observed_at": date.to_pydatetime(), "pull_count": count}
        for date, count in zip(frame["date"], frame["count"], strict=True)
    ]


def scraper_sums() -> dict[str, list[str]]:
    """Return the `sums:` block of the scraper's list.yaml: aggregate name -> member images."""
    sums: dict[str, list[str]] = {}
    section = current = None
    for line in (FIXTURES / "list.yaml").read_text().splitlines():
        if line and not line.startswith(" "):
            section = line.rstrip(":")
            continue
        text = line.strip()
        if section != "sums" or not text:
            continue
        if text.startswith("- name:"):
            current = text.split(":", 1)[1].strip()
            sums[current] = []
        elif text.startswith("- ") and current:
            sums[current].append(text[2:].strip())
    return sums


def image_files() -> list[Path]:
    """Return the per-image scraper files (not the SUM_* aggregates)."""
    return sorted(path for path in FIXTURES.glob("*.csv") if not path.name.startswith("SUM_"))
