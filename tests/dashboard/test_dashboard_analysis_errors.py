"""What analysis refuses reaches a page as one st.error, its words shown literally, never as a traceback."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis.errors import NoSnapshots
from dashboard import page_surveys

SURVEYS = "app_pages/surveys.py"


def test_an_analysis_error_on_a_page_is_one_error_line(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise NoSnapshots("no snapshots stored for <b>evil</b>/*image*; check the name or collect it first")

    # The page script imports render on each run: it finds this one.
    monkeypatch.setattr(page_surveys, "render", refuse)
    app.run()
    app.switch_page(SURVEYS).run()
    assert not app.exception, [e.value for e in app.exception]
    (shown,) = app.error
    assert shown.value.startswith("no snapshots stored for")
    assert "<b>" not in shown.value and "*image*" not in shown.value  # markup escaped, shown as typed
