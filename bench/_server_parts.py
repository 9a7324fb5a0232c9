"""Where a page's server time goes, measured in a process of its own: imports, data loading, script run.

    python bench/_server_parts.py PAGE_PATH

Prints one JSON object: `base_imports` (streamlit and plotly, which the floor page pays too),
`page_imports` (the page's own modules on top of those), `first_run` (the first script run, caches
cold: data loading plus script) and `warm_run` (the same run again, caches warm: the script alone).
"""

from __future__ import annotations

import json
import logging
import sys
import time

from _figures import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


def main() -> None:
    """Print the parts for the page named on the command line (app_pages/x.py)."""
    page = sys.argv[1]
    started = time.perf_counter()
    import plotly.graph_objects  # noqa: F401
    import streamlit  # noqa: F401
    from streamlit.testing.v1 import AppTest

    base = time.perf_counter() - started
    logging.getLogger("streamlit").setLevel(logging.ERROR)
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
    print(json.dumps({"base_imports": base, "page_imports": page_imports, "first_run": first, "warm_run": warm}))


if __name__ == "__main__":
    main()
