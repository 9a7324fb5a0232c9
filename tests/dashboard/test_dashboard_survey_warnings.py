"""A question whose export headers are shifted against their data is flagged beside it on the Surveys page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.hostile.hostile_helpers import as_shown

SURVEYS = "app_pages/surveys.py"


def _open(app: AppTest, question: str) -> AppTest:
    app.query_params.update({"survey": "Cloud_Native_Survey_2018", "q": question})
    app.run()
    app.switch_page(SURVEYS).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_shifted_question_is_flagged_beside_it_and_in_its_quote(app: AppTest) -> None:
    at = _open(app, "Q35")
    warnings = [as_shown(warning.value) for warning in at.warning]
    assert any(w.startswith("Q35: headers shifted against their data") for w in warnings), warnings
    quote = next(code.value for code in at.code if not code.value.startswith("python -m analysis"))
    assert "Warning: headers shifted against their data" in quote


def test_a_clean_question_carries_no_such_warning(app: AppTest) -> None:
    at = _open(app, "Q2")
    assert not [w.value for w in at.warning if "headers shifted" in as_shown(w.value)]
