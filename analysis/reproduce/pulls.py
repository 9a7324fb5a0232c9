"""The `python -m analysis ...` command that prints each pull figure the dashboard shows.

Each helper sits beside an analysis function and returns the exact command line, with the store
(`--db`) and flags, whose output holds the figure that function returns:

| dashboard figure (function) | helper | where it is in the output |
|---|---|---|
| growth table row (`pulls_summary.growth_table`) | `growth_command` | the image's row: pull_count, pulls, growth, ... |
| 7-day average (`growth_table`'s `avg_daily_7d`) | `growth_command(window_days=7)` | avg_daily_pulls |
| biggest image (`pulls_summary.pull_headlines`) | `biggest_command` | row 1 |
| fastest-growing image (`pull_headlines`) | `fastest_command` | row 1 |
| pulls per week or month (`pulls_periods.period_pulls`) | `periods_command` | one row per period, with partial |
| anomalies (`pulls_anomalies.anomalies`) | `anomalies_command` | one row per flagged day |
| milestone (`pulls_milestones.milestone_path`) | `milestone_command` | daily_pulls_*, earliest/expected/latest |
| data as of (`pulls_anomalies.data_as_of`) | `as_of_command` | the latest window_end |
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

import pandas as pd

from analysis.pulls.rank import MIN_PULLS_FOR_GROWTH
from analysis.pulls.summary import GROWTH_WINDOW

PROGRAM = ("python", "-m", "analysis")


def command_line(words: Sequence[str], db: str | None, fmt: str) -> str:
    """Join a command line, quoting what the shell would split, with --db and --format when not defaults."""
    extra = [*(["--db", db] if db else []), *(["--format", fmt] if fmt != "table" else [])]
    return shlex.join([*PROGRAM, *words, *extra])


def _images(images: Sequence[str]) -> list[str]:
    return [word for image in images for word in ("--image", image)]


def growth_command(
    images: Sequence[str], window_days: int = GROWTH_WINDOW, db: str | None = None, fmt: str = "table"
) -> str:
    """The command printing the growth table's figures of `images` (every image, busy or not)."""
    return command_line(["rank", "--by", "total", "--window", f"{window_days}d", *_images(images)], db, fmt)


def biggest_command(db: str | None = None, fmt: str = "table") -> str:
    """The command whose first row is the Overview's biggest stored image."""
    return command_line(["rank", "--by", "total", "--window", f"{GROWTH_WINDOW}d", "--top", "1"], db, fmt)


def fastest_command(db: str | None = None, fmt: str = "table") -> str:
    """The command whose first row is the Overview's fastest-growing image (the busy threshold is the default)."""
    words = ["rank", "--by", "growth", "--window", f"{GROWTH_WINDOW}d", "--min-pulls", str(MIN_PULLS_FOR_GROWTH)]
    return command_line([*words, "--top", "1"], db, fmt)


def periods_command(images: Sequence[str], freq: str, db: str | None = None, fmt: str = "table") -> str:
    """The command printing pulls per `freq` (day, week, month) of `images`, partial periods marked."""
    return command_line(["pulls", *_images(images), "--freq", freq], db, fmt)


def anomalies_command(images: Sequence[str], db: str | None = None, fmt: str = "table") -> str:
    """The command printing the anomalies table of `images`."""
    return command_line(["pulls", *_images(images), "--anomalies"], db, fmt)


def milestone_command(
    image: str, target: int, db: str | None = None, fmt: str = "table", today: pd.Timestamp | None = None
) -> str:
    """The command printing when `image` passed or will pass `target` pulls, and at which daily rates.

    With `today`, the day the projection was made is part of it: the command prints the same dates later on.
    """
    when = ["--today", pd.Timestamp(today).date().isoformat()] if today is not None else []
    return command_line(["milestone", "--image", image, "--target", str(target), *when], db, fmt)


def as_of_command(images: Sequence[str], db: str | None = None, fmt: str = "table") -> str:
    """The command whose latest window_end is the "Data as of" day of `images`."""
    return growth_command(images, GROWTH_WINDOW, db, fmt)
