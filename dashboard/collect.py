"""Running the Docker Hub collector from the dashboard, with its progress read from the collector's output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from settings import ENV_ALLOW_COLLECT, ENV_DB_URL, PROJECT_ROOT, collect_allowed

ENV_ALLOW = ENV_ALLOW_COLLECT
TIMEOUT_SECONDS = 15 * 60
# With -v the collector logs one line per image saved ("ns/name: 123 pulls") and names each failure.
_IMAGE_DONE = re.compile(r": \d+ pulls$|^failed: ")


@dataclass(frozen=True)
class CollectResult:
    """How a collection ended: the exit code (0 all, 1 some failed, 2 usage) and its last lines of output."""

    exit_code: int
    output: str


def allowed() -> bool:
    """False when $ADOPTION_ALLOW_COLLECT is 0 (or false/no/off): the button is then disabled."""
    return collect_allowed()


def collector_command(images: Sequence[str]) -> list[str]:
    """Return the command line that collects `images` (the default watchlist when empty).

    It names no store: the store's URL, which may hold a password, goes in the environment
    (`collector_env`), where `ps` does not show it to other users of the machine.
    """
    command = [sys.executable, "-m", "collectors", "dockerhub", "-v"]
    for image in images:
        command += ["--image", image]
    return command


def collector_env(db_url: str) -> dict[str, str]:
    """Return the collector's environment: this process's, with the store given as $ADOPTION_DB_URL."""
    return {**os.environ, ENV_DB_URL: db_url, "PYTHONUNBUFFERED": "1"}


def planned_images(images: Sequence[str]) -> int:
    """How many images a collection of `images` will fetch (the default watchlist's length when empty)."""
    if images:
        return len(images)
    from collectors.cli_dockerhub import DEFAULT_WATCHLIST, read_watchlist

    return len(read_watchlist(DEFAULT_WATCHLIST))


def run_collector(
    images: Sequence[str], db_url: str, on_progress: Callable[[int, int], None] | None = None
) -> CollectResult:
    """Run the collector in a subprocess, reporting (images done, images planned); return how it ended."""
    total = planned_images(images)
    done = 0
    process = subprocess.Popen(
        collector_command(images),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        env=collector_env(db_url),
    )
    lines: list[str] = []
    assert process.stdout is not None
    for chunk in process.stdout:
        for line in re.split(r"[\r\n]", chunk):
            if not line.strip():
                continue
            lines.append(line.strip())
            if _IMAGE_DONE.search(line.strip()) and on_progress is not None:
                done += 1
                on_progress(min(done, total), total)
    exit_code = process.wait(timeout=TIMEOUT_SECONDS)
    return CollectResult(exit_code=exit_code, output="\n".join(lines[-20:]))
