"""The `python -m analysis catalog ...` command printing each catalog figure the dashboard shows."""

from __future__ import annotations

from analysis.catalog.stats import THRESHOLDS, pulls_label
from analysis.reproduce.pulls import command_line


def _snapshot(snapshot_id: int | None) -> list[str]:
    return ["--snapshot", str(snapshot_id)] if snapshot_id is not None else []


def threshold_command(pulls: int, snapshot_id: int | None = None, db: str | None = None, fmt: str = "table") -> str:
    """The command whose row is the "images with at least `pulls` pulls" card."""
    return command_line(["catalog", "threshold", "--pulls", pulls_label(pulls), *_snapshot(snapshot_id)], db, fmt)


def view_command(view: str, snapshot_id: int | None = None, db: str | None = None, fmt: str = "table") -> str:
    """The command printing a catalog view: distribution, concentration, by-source, total, over-time or claims."""
    return command_line(["catalog", view, *_snapshot(snapshot_id)], db, fmt)


def ladder_command(snapshot_id: int | None = None, db: str | None = None, fmt: str = "table") -> str:
    """The command printing the images at or above each bucket (10M, 50M, 100M, 500M, 1B)."""
    pulls = [word for step in THRESHOLDS for word in ("--pulls", pulls_label(step))]
    return command_line(["catalog", "threshold", *pulls, *_snapshot(snapshot_id)], db, fmt)


def threshold_history_command(pulls: int, db: str | None = None, fmt: str = "table") -> str:
    """The command printing, per catalog snapshot, the images with at least `pulls` pulls and the faults flagged."""
    return command_line(["catalog", "threshold", "--pulls", pulls_label(pulls), "--over-time"], db, fmt)
