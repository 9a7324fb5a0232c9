"""Survey tables shaped for the dashboard's charts and tables: analysis's numbers, display columns only (pure)."""

from __future__ import annotations

import pandas as pd

from analysis import survey_crosstab, survey_shares
from survey_model.survey import Survey

SHARE_COLUMNS = ["answer", "count", "base", "share", "ci_low", "ci_high"]


def breakdown(survey: Survey, question_id: str, item: str | None = None, base: str = "answered") -> pd.DataFrame:
    """One row per answer: count, base, share and 95% Wilson interval (`analysis.survey_shares.breakdown`)."""
    table = survey_shares.breakdown(survey, question_id, item, base)
    return table.drop(columns=["item"], errors="ignore")[SHARE_COLUMNS].assign(answer=lambda t: t["answer"].astype(str))


def crosstab(survey: Survey, question_id: str, item: str | None, segment_id: str) -> pd.DataFrame:
    """Shares of each answer within each segment (`analysis.survey_crosstab.crosstab`); small bases flagged."""
    table = survey_crosstab.crosstab(survey, question_id, segment_id, item)
    return table[["segment", *SHARE_COLUMNS, "small_base"]].astype({"segment": str, "answer": str})
