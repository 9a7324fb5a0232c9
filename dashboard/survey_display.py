"""Survey tables shaped for the dashboard's charts and tables: analysis's numbers, display columns only (pure)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.surveys import banner as survey_banner
from analysis.surveys import shares as survey_shares
from analysis.surveys.nets import Net
from analysis.surveys.weights_file import RakedWeights
from analysis.views.share import SHARE_COLUMNS, chart_table
from survey_model.survey import Survey

LETTER_COLUMNS = ["segment", "column", "answer", "share", "count", "base", "letters", "vs rest"]
# As the growth table is shown: plain headers, counts grouped, shares in percent with one decimal everywhere.
LETTER_HEADERS = {
    "segment": ("Segment", None),
    "column": ("Column", None),
    "answer": ("Answer", None),
    "share": ("Share", "percent"),
    "count": ("Count", "localized"),
    "base": ("Base", "localized"),
    "letters": ("Letters (higher than)", None),
    "vs rest": ("vs rest", None),
}


def breakdown(
    survey: Survey,
    question_id: str,
    item: str | None = None,
    base: str = "answered",
    weight: RakedWeights | None = None,
) -> pd.DataFrame:
    """One row per answer: count, base, share and 95% Wilson interval (`analysis.surveys.shares.breakdown`).

    Weighted, the unweighted count and base stay beside the weighted ones, and a `weighting` column says
    how the shares were weighted, so a CSV read on its own never passes for an unweighted one.
    """
    return chart_table(survey_shares.breakdown(survey, question_id, item, base, weight=weight), weight)


def banner(
    survey: Survey,
    question_id: str,
    item: str | None,
    segment_id: str,
    weight: RakedWeights | None = None,
    *,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    """The banner table (Total and each segment, with letters) of one crossing (`analysis.surveys.banner.banner`)."""
    return survey_banner.banner(survey, question_id, [segment_id], item, weight=weight, nets=nets)


def crosstab(
    survey: Survey, question_id: str, item: str | None, segment_id: str, weight: RakedWeights | None = None
) -> pd.DataFrame:
    """Shares of each answer within each segment (the banner without its Total column); small bases flagged."""
    return chart_rows(banner(survey, question_id, item, segment_id, weight))


def chart_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a banner the crosstab chart draws: each segment's answers, without the Total column."""
    rows = table[(table["segment_question"] != survey_banner.TOTAL).to_numpy()]
    return rows[["segment", *SHARE_COLUMNS, "small_base", "column", "letters"]].reset_index(drop=True)


def letters_table(table: pd.DataFrame) -> pd.DataFrame:
    """A banner as read on screen: segment, column letter, answer, share, count, base, letters and the arrow."""
    return pd.DataFrame(
        {
            "segment": table["segment"],
            "column": table["column"],
            "answer": table["answer"],
            "share": table["share"],
            "count": table["count"].astype(int),
            "base": table["base"].astype(int),
            "letters": [
                "small base: not tested" if small else letters
                for small, letters in zip(table["small_base"], table["letters"], strict=True)
            ],
            "vs rest": table["vs_rest"],
        }
    )[LETTER_COLUMNS]
