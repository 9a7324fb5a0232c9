"""Where a page's server time goes, measured in a process of its own: imports, data loading, script run.

    python bench/_server_parts.py PAGE_PATH

Prints one JSON object: `base_imports` (streamlit and plotly, which the floor page pays too),
`page_imports` (the page's own modules on top of those), `first_run` (the first script run, caches
cold: data loading plus script) and `warm_run` (the same run again, caches warm: the script alone);
then, caches emptied, `warm_up` (the server's warm-up, dashboard.warmup.warm) and
`first_run_after_warm_up` (a new session's first run of the page after it). AppTest's own one-time
costs on a new session are measured on the floor page (`apptest_overhead`): subtract them from
the first runs.
"""

from __future__ import annotations

import json
import logging
import sys
import time

from _figures import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
FLOOR = str(PROJECT_ROOT / "bench" / "floor_app.py")


def main() -> None:
    """Print the parts for the page named on the command line (app_pages/x.py)."""
    page = sys.argv[1]
    started = time.perf_counter()
    import plotly.graph_objects  # noqa: F401
    import streamlit  # noqa: F401
    from streamlit.testing.v1 import AppTest

    base = time.perf_counter() - started
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    # AppTest's own costs on a new session's first run (it scans installed packages for components): not the server's.
    AppTest.from_file(FLOOR, default_timeout=300).run()
    started = time.perf_counter()
    AppTest.from_file(FLOOR, default_timeout=300).run()
    overhead = time.perf_counter() - started
    module = "dashboard.page_" + page.rsplit("/", 1)[-1].removesuffix(".py")
    started = time.perf_counter()
    __import__(module)
    page_imports = time.perf_counter() - started
    app = AppTest.from_file(APP, default_timeout=300)
    app.switch_page(page)
    started = time.perf_counter()
    app.run()
    first = time.perf_counter() - started
    started = time.perf_counter()
    app.run()
    warm = time.perf_counter() - started
    parts = {"base_imports": base, "page_imports": page_imports, "first_run": first, "warm_run": warm}
    parts["apptest_overhead"] = overhead
    print(json.dumps(parts | _after_warm_up(page)))


def _after_warm_up(page: str) -> dict[str, float]:
    """The server's warm-up (dashboard.warmup.warm) in a fresh cache, then a new session's first run of the page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import warmup

    st.cache_data.clear()
    st.cache_resource.clear()
    started = time.perf_counter()
    warmup.warm()
    warm_up = time.perf_counter() - started
    app = AppTest.from_file(APP, default_timeout=300)
    app.switch_page(page)
    started = time.perf_counter()
    app.run()
    return {"warm_up": warm_up, "first_run_after_warm_up": time.perf_counter() - started}


if __name__ == "__main__":
    main()
