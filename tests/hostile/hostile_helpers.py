"""What the hostile tests share besides fixtures: running a command line as a person runs it."""

from __future__ import annotations

import os
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
