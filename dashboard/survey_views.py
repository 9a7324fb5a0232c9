"""Survey views for the dashboard: a Survey in, share tables with base, n and 95% Wilson interval out (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis import survey_crosstab, survey_quote, survey_shares, survey_trend
from collectors.surveys.model import Survey

Z_95 = 1.959963984540054
SMALL_BASE = 30
SHARE_COLUMNS = ["answer", "count", "base", "share", "ci_low", "ci_high"]
TREND_COLUMNS = ["wave", "year", "question", "item", *SHARE_COLUMNS, "change", "p_value"]


def fold(text: str) -> str:
    """Case- and space-insensitive form of `text` (no-break spaces count as spaces)."""
    return " ".join(str(text).replace("\xa0", " ").split()).casefold()


def wilson(count: pd.Series | np.ndarray, base: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the 95% Wilson score interval (low, high) of count/base; NaN where base is 0."""
    count, base = np.asarray(count, dtype=float), np.asarray(base, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = count / base
        centre = (share + Z_95**2 / (2 * base)) / (1 + Z_95**2 / base)
        half = Z_95 * np.sqrt(share * (1 - share) / base + Z_95**2 / (4 * base**2)) / (1 + Z_95**2 / base)
    # At 0 and at base the bound is exactly the share; floating point would leave it a hair inside.
    low = np.where(count == 0, 0.0, np.clip(centre - half, 0, 1))
    high = np.where(count == base, 1.0, np.clip(centre + half, 0, 1))
    return low, high


def _rows(survey: Survey, question_id: str, item: str | None) -> pd.DataFrame:
    answers = survey.answers(question_id)
    return answers[answers["item"] == item] if item else answers


def breakdown(survey: Survey, question_id: str, item: str | None = None, base: str = "answered") -> pd.DataFrame:
    """One row per answer: count, base, share and 95% Wilson interval (`analysis.survey_shares.breakdown`).

    `base` is `answered` (respondents who answered this question, or this grid row) or `all`
    (every respondent in the file). Shares of a multiple-choice question may add up past 100%.
    """
    table = survey_shares.breakdown(survey, question_id, item, base)
    return table.drop(columns=["item"], errors="ignore")[SHARE_COLUMNS].assign(answer=lambda t: t["answer"].astype(str))


def crosstab(survey: Survey, question_id: str, item: str | None, segment_id: str) -> pd.DataFrame:
    """Shares of each answer within each segment (`analysis.survey_crosstab.crosstab`); bases under 30 flagged."""
    table = survey_crosstab.crosstab(survey, question_id, segment_id, item)
    return table[["segment", *SHARE_COLUMNS, "small_base"]].astype({"segment": str, "answer": str})


def search_questions(surveys: Mapping[str, Survey], text: str) -> pd.DataFrame:
    """Every question, in every survey, whose text, id or grid rows contain `text` (case-insensitive)."""
    wanted = fold(text)
    found = []
    for label, survey in surveys.items():
        for question in survey.questions:
            haystack = fold(" ".join([question.id, question.text, *question.items]))
            if wanted in haystack:
                found.append({"survey": label, "question": question.id, "type": str(question.type),
                              "text": " ".join(question.text.split()), "grid_rows": len(question.items)})
    return pd.DataFrame(found, columns=["survey", "question", "type", "text", "grid_rows"])


def matching_share(survey: Survey, question_id: str, item: str | None, answer_pattern: str,
                   base: str = "answered") -> dict:
    """Share of respondents whose answer matches `answer_pattern` (a regex, case-insensitive), with n and interval."""
    rows = _rows(survey, question_id, item)
    denominator = survey.meta.respondents if base == "all" else rows["respondent"].nunique()
    pattern = re.compile(answer_pattern, re.IGNORECASE)
    chosen = rows[[bool(pattern.search(str(answer))) for answer in rows["answer"]]]
    count = chosen["respondent"].nunique()
    low, high = wilson([count], [denominator])
    return {"answer": ", ".join(sorted(chosen["answer"].astype(str).unique())) or answer_pattern, "count": count,
            "base": denominator, "share": count / denominator if denominator else float("nan"),
            "ci_low": float(low[0]), "ci_high": float(high[0])}


def find_question(survey: Survey, text_pattern: str, item_pattern: str | None = None) -> tuple[str, str | None] | None:
    """Return (question id, grid row) of the first question whose text matches, with a matching row; or None."""
    text_re = re.compile(text_pattern, re.IGNORECASE)
    item_re = re.compile(item_pattern, re.IGNORECASE) if item_pattern else None
    for question in survey.questions:
        if not text_re.search(" ".join(question.text.split())):
            continue
        if item_re is None:
            return question.id, None
        rows = [row for row in question.items if item_re.search(row)]
        if rows:
            return question.id, rows[0]
    return None


def across_waves(surveys: Mapping[str, Survey], question_text: str, item: str | None, answer: str,
                 base: str = "answered") -> pd.DataFrame:
    """The share choosing `answer` in each survey asking the same question (same text and grid row), by year.

    The shares, wave-on-wave changes and their p-values are `analysis.survey_trend.trend`.
    """
    asked, chosen, seen = [], [], set()
    for survey in surveys.values():
        if survey.meta.sha256 in seen:
            continue  # the same file uploaded again is one wave, not two
        for question in survey.questions:
            if fold(question.text) == fold(question_text) and (not item or item in question.items):
                if any(fold(str(a)) == fold(answer) for a in breakdown(survey, question.id, item, base)["answer"]):
                    asked.append(survey)
                    seen.add(survey.meta.sha256)
                    chosen.append(survey_trend.WaveQuestion(question.id, item or None))
                break
    if not asked:
        return pd.DataFrame(columns=TREND_COLUMNS)
    return survey_trend.trend(asked, chosen, answer, base)[TREND_COLUMNS]


def p_value_text(p_value: float) -> str:
    """A p-value as people quote it: `<0.001`, else three decimals; empty where there is no earlier wave."""
    if pd.isna(p_value):
        return ""
    return "<0.001" if p_value < 0.001 else f"{p_value:.3f}"


def trend_display(trend: pd.DataFrame) -> pd.DataFrame:
    """The across-waves table as shown on screen: share and change in points, n, interval and p-value."""
    return pd.DataFrame({
        "wave": trend["wave"], "question": trend["question"], "item": trend["item"], "answer": trend["answer"],
        "share": [f"{share:.0%}" for share in trend["share"]],
        "95% interval": [f"{low:.0%}–{high:.0%}" for low, high in zip(trend["ci_low"], trend["ci_high"], strict=True)],
        "n": trend["base"].astype(int),
        "change": ["" if pd.isna(change) else f"{change * 100:+.1f} pts" for change in trend["change"]],
        "p-value": [p_value_text(p) for p in trend["p_value"]],
    })


def fielded(survey: Survey) -> str:
    """Return when the survey was fielded, as far as its file says."""
    meta = survey.meta
    if meta.fielded_from and meta.fielded_to:
        return f"fielded {meta.fielded_from:%b %Y}–{meta.fielded_to:%b %Y}"
    return f"fielded in {meta.year}" if meta.year else "fieldwork dates not in the file"


def quote(survey: Survey, question_id: str, answer: str, item: str | None, base: str) -> str:
    """The sentence to quote: share, who was asked, n, interval, source and fieldwork (`analysis.survey_quote`)."""
    return survey_quote.quote(survey, question_id, answer, item, base)
