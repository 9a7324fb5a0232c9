"""Chart images at slide size (1920x1080), rendered only on request by one warm Chromium per process."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

import settings
from dashboard.theme import EXPORT_HEIGHT, EXPORT_WIDTH, for_export

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
_render_lock = threading.Lock()


def chromium_path() -> str | None:
    """Return the browser kaleido will use ($BROWSER_PATH or a Chromium on PATH), or None."""
    configured = settings.browser_path()
    if configured and os.path.exists(configured):
        return configured
    return next((found for name in BROWSER_NAMES if (found := shutil.which(name))), None)


@st.cache_resource(show_spinner=False)
def warm_renderer() -> bool:
    """Start kaleido's browser once for the whole process; True when images can be rendered here."""
    if chromium_path() is None:
        return False
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    return True


def figure_key(fig: go.Figure) -> tuple[str, str]:
    """Return (sha256 of the export figure's JSON, that JSON): the cache key of its images."""
    exported = for_export(fig).to_json()
    return hashlib.sha256(exported.encode()).hexdigest(), exported


@st.cache_data(show_spinner=False, max_entries=128)
def _render(digest: str, fmt: str, _figure_json: str) -> bytes:
    import kaleido

    figure = pio.from_json(_figure_json)
    options = {"format": fmt, "width": EXPORT_WIDTH, "height": EXPORT_HEIGHT, "scale": 1}
    with _render_lock:
        # Straight to the warm server: plotly's to_image also hands it browser options (kopts) it can only
        # ignore, with a UserWarning on every image.
        return kaleido.calc_fig_sync(figure.to_dict(), opts=options)


def render(fig: go.Figure, fmt: str) -> bytes:
    """Return `fig` as PNG or SVG bytes at 1920x1080 in the slide theme; cached by the figure's JSON hash."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; choose png or svg")
    if not warm_renderer():
        raise RuntimeError("no Chromium found: install it (apt-get install chromium) or use the chart's camera button")
    digest, figure_json = figure_key(fig)
    return _render(digest, fmt, figure_json)


def toolbar_config(filename: str, fmt: str = "png") -> dict:
    """Plotly's own toolbar set to download the chart at 1920x1080 (works without Chromium on the server)."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": fmt,
            "filename": filename,
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
            "scale": 1,
        },
    }
