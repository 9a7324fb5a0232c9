"""`python -m analysis snapshots` reads the store named by $ADOPTION_DB_URL (every backend)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _analysis(*args: str, db_url: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("ADOPTION_DB", "ADOPTION_DB_URL")}
    env["ADOPTION_DB_URL"] = db_url
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_snapshots_command_reads_the_store_at_adoption_db_url(engine, db_url: str) -> None:
    engine.save_snapshots(
        [
            {"namespace": "library", "name": "nginx", "observed_at": 1_700_000_000, "pull_count": 12_981_954_060},
            {"namespace": "library", "name": "nginx", "observed_at": 1_700_086_400, "pull_count": 12_982_000_000},
            {"namespace": "bitnami", "name": "redis", "observed_at": 1_700_000_000, "pull_count": 2_147_483_647},
        ],
    )
    engine.close()  # chDB lets one process use a store at a time: the command runs in another

    result = _analysis("snapshots", "--image", "nginx", "--format", "csv", db_url=db_url)

    assert result.returncode == 0, result.stderr
    assert list(csv.reader(io.StringIO(result.stdout.rstrip("\n")))) == [
        ["namespace", "name", "observed_at", "pull_count", "star_count", "flag"],
        ["library", "nginx", "2023-11-14T22:13:20Z", "12981954060", "", ""],
        ["library", "nginx", "2023-11-15T22:13:20Z", "12982000000", "", ""],
    ]


def test_snapshots_command_on_an_empty_store(db_url: str) -> None:
    result = _analysis("snapshots", "--format", "json", db_url=db_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
