"""Exporting an image says nothing on the server's console: no warning from kaleido or plotly."""

from __future__ import annotations

import warnings

import plotly.graph_objects as go
import pytest

from dashboard import images


def test_png_and_svg_export_raise_no_warning() -> None:
    if images.chromium_path() is None:
        pytest.skip("no Chromium on this machine")
    figure = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="quiet"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = images.render(figure, "png")
        svg = images.render(figure, "svg")
    assert png.startswith(b"\x89PNG")
    assert b"<svg" in svg[:400]
