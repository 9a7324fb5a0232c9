"""A real dashboard server on 127.0.0.1 for the browser tests, on a private copy of the seeded store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.bundled import ensure_bundled_history
from store import open_store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = ROOT / "test-artifacts"


def chromium_or_skip() -> None:
    """Skip where there is no Chromium, except in CI where a missing browser is a failure."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: run tests/setup.sh")
        pytest.skip(f"{CHROMIUM} is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


def start_dashboard(db_path: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` headless on a free loopback port; return (process, base URL)."""
    port = _free_port()
    env = {**os.environ, "ADOPTION_DB": str(db_path), "ADOPTION_ALLOW_COLLECT": "0", **(extra_env or {})}
    env.pop("ADOPTION_DB_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
    except (RuntimeError, TimeoutError):
        process.kill()
        raise
    return process, url


def seeded_store(folder: Path) -> Path:
    """A SQLite store in `folder` holding the bundled histories."""
    path = folder / "adoption.db"
    engine = open_store(f"sqlite:///{path}")
    ensure_bundled_history(engine)
    engine.close()
    return path


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running dashboard."""
    chromium_or_skip()
    folder = tmp_path_factory.mktemp("e2e")
    process, url = start_dashboard(seeded_store(folder), {"ADOPTION_CACHE_DIR": str(folder / "cache")})
    yield url
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """A headless Chromium driven by Playwright."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ (gitignored): screenshots of each page are kept there."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
