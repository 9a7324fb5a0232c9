"""Dashboard figures, printed: first chart on screen, widget re-render on cached data, PNG export first and warm.

Run from the repository root: `python bench/bench_dashboard.py [--quick]` (--quick: 2 repeats instead of 5).
Needs /usr/bin/chromium. Each figure is also printed as a FIGURE line (see bench/_figures.py).
Goals: first chart within 3 s of opening the app; a widget change re-rendered within 300 ms.
"""

from __future__ import annotations

import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _figures import bench_parser, report

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TRACE = ".js-plotly-plot .scatterlayer .trace"
REPEATS = 5
QUICK_REPEATS = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "ADOPTION_DB": str(db), "ADOPTION_ALLOW_COLLECT": "0"}
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
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read().strip() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("streamlit did not start")


def _first_chart(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.locator(TRACE).first.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def _returning_visitor(browser, url: str, repeats: int) -> list[float]:
    """Open the app again in one browser profile: its HTTP cache already holds Streamlit's and plotly's code."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.locator(TRACE).first.wait_for(timeout=120_000)
    times = []
    for _ in range(repeats):
        page.goto("about:blank")
        started = time.perf_counter()
        page.goto(url)
        page.locator(TRACE).first.wait_for(timeout=120_000)
        times.append(time.perf_counter() - started)
    context.close()
    return times


def _rerender(browser, url: str, repeats: int) -> list[float]:
    """Switch the pulls chart between week and month (both cached after the first pass) and time each redraw."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/pulls")
    page.locator(TRACE).first.wait_for(timeout=120_000)
    times = []
    for round_ in range(repeats + 1):
        for label, title in (("Pulls per month", "Pulls per month"), ("Pulls per week", "Pulls per week")):
            started = time.perf_counter()
            page.locator(".st-key-pulls_measure button", has_text=label).click()
            page.locator(".js-plotly-plot .ytitle", has_text=title).first.wait_for(timeout=60_000)
            page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
            if round_:  # the first round fills the cache
                times.append(time.perf_counter() - started)
    context.close()
    return times


def _export_times(repeats: int) -> tuple[float, float, float]:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import pandas as pd

    from dashboard import charts, images

    series = pd.DataFrame(
        {
            "image": "nginx",
            "period": pd.date_range("2024-01-01", periods=400),
            "value": range(400),
            "flag": "",
            "marker_y": range(400),
        }
    )

    def figure(title: str):
        return charts.pulls_over_time(series, "pulls", title, charts.footer_text("bench", "2024-01-01"))

    started = time.perf_counter()
    images.render(figure("first"), "png")
    first = time.perf_counter() - started
    warm = []
    for number in range(repeats):
        started = time.perf_counter()
        images.render(figure(f"warm {number}"), "png")
        warm.append(time.perf_counter() - started)
    started = time.perf_counter()
    images.render(figure("warm 0"), "png")
    cached = time.perf_counter() - started
    return first, statistics.median(warm), cached


def main() -> None:
    """Print the figures."""
    from playwright.sync_api import sync_playwright

    repeats = QUICK_REPEATS if bench_parser(__doc__.splitlines()[0]).parse_args().quick else REPEATS

    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as folder:
        process, url = _start(Path(folder) / "adoption.db")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
                fresh = _first_chart(browser, url)
                warm = [_first_chart(browser, url) for _ in range(repeats)]
                returning = _returning_visitor(browser, url, repeats)
                redraws = _rerender(browser, url, repeats)
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=20)
    print(f"first chart on screen, fresh store (imports bundled history): {fresh:.2f} s")
    print(
        f"first chart on screen, app started, new browser profile (median of {repeats}): "
        f"{statistics.median(warm):.2f} s (goal 3 s)"
    )
    print(
        f"first chart on screen, app started, browser cache warm (median of {repeats}): "
        f"{statistics.median(returning):.2f} s (goal 3 s)"
    )
    print(
        f"widget change re-rendered on cached data (median of {len(redraws)}): "
        f"{statistics.median(redraws) * 1000:.0f} ms, worst {max(redraws) * 1000:.0f} ms (goal 300 ms)"
    )
    first, warm_png, cached = _export_times(repeats)
    print(
        f"PNG export 1920x1080: first {first:.2f} s (starts Chromium), warm {warm_png:.2f} s (median), "
        f"same figure again {cached * 1000:.1f} ms (cached)"
    )
    report("dashboard.first_chart.fresh_store", fresh, "s")
    report("dashboard.first_chart", statistics.median(warm), "s")
    report("dashboard.first_chart.returning", statistics.median(returning), "s")
    report("dashboard.rerender", statistics.median(redraws) * 1000, "ms")
    report("dashboard.rerender.worst", max(redraws) * 1000, "ms")
    report("dashboard.png_export.first", first, "s")
    report("dashboard.png_export.warm", warm_png, "s")
    report("dashboard.png_export.cached", cached * 1000, "ms")


if __name__ == "__main__":
    main()
