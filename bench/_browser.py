"""A fresh Streamlit server and a headless Chromium, for the dashboard benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from _figures import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TRACE = ".js-plotly-plot .scatterlayer .trace, .js-plotly-plot .barlayer .trace"
VIEWPORT = {"width": 1440, "height": 1000}
# Where the browser's own time goes: the plotly chunk of Streamlit's frontend, read from the Resource Timing API.
PLOTLY_TIMING = """() => {
  const chunk = performance.getEntriesByType('resource').find(e => e.name.includes('PlotlyChart'));
  return chunk ? {start: chunk.startTime, end: chunk.responseEnd} : null;
}"""


@dataclass(frozen=True)
class FirstChart:
    """One first visit: seconds from navigation to the first trace, and to the plotly chunk's request and arrival."""

    seconds: float
    plotly_requested: float | None
    plotly_loaded: float | None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(script: str, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run script` headless on a free loopback port; return (process, URL) once healthy."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"streamlit run {script} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read().strip() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"streamlit run {script} did not start")


def stop_server(process: subprocess.Popen) -> None:
    """End a server started by start_server."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def first_chart(browser, url: str) -> FirstChart:
    """Open `url` in a new browser profile (empty HTTP cache) and time the first plotly trace on screen."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.locator(TRACE).first.wait_for(timeout=180_000)
        elapsed = time.perf_counter() - started
        timing = page.evaluate(PLOTLY_TIMING)
    finally:
        context.close()
    if timing is None:
        return FirstChart(elapsed, None, None)
    return FirstChart(elapsed, timing["start"] / 1000, timing["end"] / 1000)


def first_chart_in_new_browser(playwright, url: str) -> FirstChart:
    """first_chart in a browser started for this visit alone (started before the clock runs, closed after).

    One browser process that has opened and closed many profiles draws more slowly than a new one
    (measured on redraws: 279 ms fresh, 348 ms after 18 visits): a person's first visit is not that.
    """
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
    try:
        return first_chart(browser, url)
    finally:
        browser.close()


def redraws(browser, url: str, repeats: int) -> list[float]:
    """Switch the pulls chart (or the floor's) between week and month, cached after the first pass; time each."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(url)
    page.locator(TRACE).first.wait_for(timeout=180_000)
    times = []
    for round_ in range(repeats + 1):
        for label in ("Pulls per month", "Pulls per week"):
            started = time.perf_counter()
            page.locator(".st-key-pulls_measure button", has_text=label).click()
            page.locator(".js-plotly-plot .ytitle", has_text=label).first.wait_for(timeout=60_000)
            page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
            if round_:  # the first round fills the cache
                times.append(time.perf_counter() - started)
    context.close()
    return times


def server_parts(page: str, env: dict[str, str]) -> dict[str, float]:
    """Run bench/_server_parts.py for `page` in a process of its own and return its parts (seconds)."""
    import json

    finished = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("_server_parts.py")), page],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])
