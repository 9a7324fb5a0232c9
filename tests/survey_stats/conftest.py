"""Fixtures of the survey statistics tests."""

from __future__ import annotations

import pytest

from collectors.surveys.model import Survey
from tests.survey_stats.literal_survey import hand_survey


@pytest.fixture
def survey() -> Survey:
    """Ten respondents, five questions (single, multiple, grid, single, numeric weight)."""
    return hand_survey()
