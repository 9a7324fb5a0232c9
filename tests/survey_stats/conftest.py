"""Fixtures of the survey statistics tests."""

from __future__ import annotations

import pytest

from survey_model.survey import Survey
from tests.survey_stats.literal_survey import hand_survey


@pytest.fixture(params=["text", "categorical"])
def survey(request: pytest.FixtureRequest) -> Survey:
    """Ten respondents, five questions (single, multiple, grid, single, numeric weight), text or categorical."""
    return hand_survey(categorical=request.param == "categorical")
