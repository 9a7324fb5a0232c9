"""Work done once per server, before the first visitor: imports, the store, the surveys, each page's default view.

`streamlit run app.py` starts the server through `st.App(lifespan=lifespan)`: the lifespan starts
`warm` in a thread and returns at once, so the server answers while the caches fill. A visitor who
comes before the warm-up has finished waits on the same cache entries instead of computing them
twice (Streamlit holds one lock per cache key).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator

import settings

LOG = logging.getLogger("adoption.warmup")
# Streamlit's own loggers note every cache call made outside a browser session: expected here.
_QUIET = ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching.cache_data_api")


def warm() -> float:
    """Fill the caches of the Overview, Docker Hub pulls and Surveys pages' first runs; return the seconds taken."""
    started = time.perf_counter()
    from dashboard import page_overview, page_pulls, page_surveys, pull_loaders

    # Opening the store here seeds it with the bundled data before the first visitor, not while a page draws.
    pull_loaders.store()

    for page in (page_overview, page_pulls, page_surveys):
        page.preload()
    return time.perf_counter() - started


def _warm_logged() -> None:
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        seconds = warm()
    except Exception as error:  # the pages load on their first visit instead; say why
        LOG.warning(
            "The warm-up stopped (%s: %s); each page loads its data on its first visit.", type(error).__name__, error
        )
        return
    LOG.info("Warm-up done in %.1f s: each page's default view is ready.", seconds)


def start() -> threading.Thread | None:
    """Start the warm-up in a background thread unless $ADOPTION_WARM_UP turns it off; return the thread."""
    if not settings.warm_up():
        return None
    thread = threading.Thread(target=_warm_logged, name="adoption-warm-up", daemon=True)
    thread.start()
    return thread


@contextlib.asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """The server's lifespan: start the warm-up, then serve (the warm-up never delays the first answer)."""
    if not LOG.handlers:  # the server's console says when the pages are ready, or why not
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("  %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
    start()
    yield
