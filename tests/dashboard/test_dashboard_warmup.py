"""The server's warm-up: after it, a first visit of each page computes nothing (every default view is cached)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import analysis.surveys.headlines
import analysis.views.share
import analysis.views.surveys as views_surveys
import collectors.surveys
import settings
from dashboard import pull_loaders as loaders
from dashboard import survey_display as survey_views
from dashboard import warmup
from store.sql.backend import SqlStore

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ["app_pages/overview.py", "app_pages/pulls.py", "app_pages/surveys.py"]
# The work behind every cached loader of the three pages: none of it may run on a visit after the warm-up.
COMPUTED = [
    (SqlStore, "list_images"),
    (loaders, "read_pull_history"),
    (loaders, "read_window_counts"),
    (loaders, "growth_view"),
    (loaders, "images_daily"),
    (loaders, "anomalies"),
    (loaders, "milestone_path"),
    (loaders.pull_views, "series"),
    (SqlStore, "read_catalog_snapshots"),
    (SqlStore, "read_catalog_entries"),
    (collectors.surveys, "load_survey"),
    (analysis.surveys.headlines, "survey_headlines"),
    (survey_views, "breakdown"),
    (analysis.views.share, "share_view"),
]


def _forbid(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    called: list[str] = []
    for module, name in [*COMPUTED, (views_surveys, "wave_trend")]:
        original = getattr(module, name)

        def computed(*args, _name=f"{module.__name__}.{name}", _original=original, **kwargs):
            called.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, computed)
    return called


@pytest.mark.parametrize("page", PAGES)
def test_after_the_warm_up_a_first_visit_computes_nothing(
    page: str, store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    warmup.warm()
    called = _forbid(monkeypatch)
    app = AppTest.from_file(APP, default_timeout=120)
    app.switch_page(page)
    app.run()
    assert not app.exception
    assert app.get("plotly_chart"), f"{page} drew no chart"
    assert called == [], f"{page} computed on its first visit after the warm-up: {sorted(set(called))}"


def test_without_the_warm_up_a_first_visit_computes_its_view(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above can fail: with empty caches the same visit calls the watched functions.
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    called = _forbid(monkeypatch)
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception
    assert {"analysis.surveys.headlines.survey_headlines", "dashboard.pull_loaders.read_window_counts"} <= set(called)


def test_the_warm_up_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.ENV_WARM_UP, "0")
    assert warmup.start() is None
    monkeypatch.setenv(settings.ENV_WARM_UP, "yes")
    assert settings.warm_up()


def test_a_failing_warm_up_says_why_in_one_line_and_the_server_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> float:
        raise OSError("disk I/O error")

    monkeypatch.setattr(warmup, "warm", broken)
    monkeypatch.setenv(settings.ENV_WARM_UP, "1")
    with caplog.at_level("WARNING", logger="adoption.warmup"):
        thread = warmup.start()
        assert thread is not None
        thread.join(timeout=30)
    assert [record.getMessage() for record in caplog.records] == [
        "The warm-up stopped (OSError: disk I/O error); each page loads its data on its first visit."
    ]
