"""A rerun of the Surveys page computes each breakdown once: the chart, the quotes and the trend share it."""

from __future__ import annotations

import sys
from collections import Counter

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.surveys import shares

SURVEYS = "app_pages/surveys.py"


def _count_breakdowns(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Every breakdown computed, by (survey, question, grid row, base, weighting): wraps each name bound to it."""
    calls: Counter = Counter()
    original = shares.breakdown

    def counting(survey, question_id, item=None, base="answered", exclude=(), weight=None, order=None):
        calls[(survey.meta.sha256[:12], question_id, item, base, tuple(exclude), weight is not None)] += 1
        return original(survey, question_id, item, base, exclude, weight, order)

    # Modules import the function by name: replace it wherever it is bound, not only in its own module.
    for module in list(sys.modules.values()):
        if getattr(module, "breakdown", None) is original:
            monkeypatch.setattr(module, "breakdown", counting)
    return calls


def test_one_rerun_of_the_surveys_page_computes_each_breakdown_once(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.run()
    app.switch_page(SURVEYS).run()
    assert not app.exception, [e.value for e in app.exception]
    # Watched once the page's modules are loaded; then a rerun with nothing cached, the page's own work only.
    counted = _count_breakdowns(monkeypatch)
    st.cache_data.clear()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert counted, "the page computed no breakdown: the count watches the wrong function"
    print(f"breakdowns in one rerun: {sum(counted.values())} calls, {len(counted)} distinct: {dict(counted)}")
    twice = {key: n for key, n in counted.items() if n > 1}
    assert not twice, f"breakdowns computed more than once in one rerun: {twice}"
