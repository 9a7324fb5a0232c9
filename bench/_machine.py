"""The machine a set of benchmark figures came from, so that quoted figures carry it."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ("pandas", "pyarrow", "SQLAlchemy", "psycopg", "streamlit", "requests")


def _first_value(path: Path, key: str) -> str | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return None


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or what the platform says elsewhere."""
    return _first_value(Path("/proc/cpuinfo"), "model name") or platform.processor() or "unknown"


def memory_gib() -> float | None:
    """Return the total RAM in GiB from /proc/meminfo, or None where it cannot be read."""
    total = _first_value(Path("/proc/meminfo"), "MemTotal")
    if not total or not total.split()[0].isdigit():
        return None
    return int(total.split()[0]) / 1024**2


def _versions() -> str:
    found = []
    for package in PACKAGES:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages (other work sharing the CPUs), or "unknown"."""
    try:
        return " / ".join(f"{load:.1f}" for load in os.getloadavg()) + " (1 / 5 / 15 min)"
    except OSError:  # not every platform keeps one
        return "unknown"


def describe_machine() -> dict[str, str]:
    """Return CPU model and count, load, RAM, OS, Python and key package versions, and the date (UTC)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = memory_gib()
    return {
        "cpu": cpu_model(),
        "cpus": f"{os.cpu_count()} (usable: {usable})",
        "load": load_average(),
        "ram": "unknown" if memory is None else f"{memory:.1f} GiB",
        "os": platform.platform(),
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "packages": _versions(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
