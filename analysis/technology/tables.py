"""The tables of a technology's evidence as every door shows them: page, `python -m analysis technology`, deck."""

from __future__ import annotations

import pandas as pd

from analysis.technology.evidence import TechnologyEvidence, catalog_line

PARTS = ("survey", "weeks", "growth", "catalog")
SURVEY_TABLE = [
    "wave", "year", "question", "item", "answer", "count", "base", "share", "ci_low", "ci_high", "change",
    "p_value", "fielded", "source", "break",
]  # fmt: skip
CATALOG_TABLE = ["image", "publisher", "pull_text", "pulls_at_least", "pulls_at_most", "exact", "rank", "observed"]


def _day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d")


def evidence_tables(evidence: TechnologyEvidence) -> dict[str, pd.DataFrame]:
    """The survey share per wave, pulls per week, growth and catalog floors, each one table with its dates."""
    shares = evidence.shares[SURVEY_TABLE]
    weeks = evidence.weeks.assign(week_of=_day(evidence.weeks["period"]))[
        ["week_of", "pulls", "pull_count", "days", "days_in_period", "partial", "estimated", "flag"]
    ]
    # A bucketed count ("10M+") is a range: its lower bound is a floor, never the count itself.
    catalog = evidence.catalog.rename(columns={"pull_low": "pulls_at_least", "pull_high": "pulls_at_most"})
    catalog = catalog[CATALOG_TABLE]
    return {"survey": shares, "weeks": weeks, "growth": evidence.growth, "catalog": catalog}


def compared_survey_table(evidences: list[TechnologyEvidence]) -> pd.DataFrame:
    """The survey share per wave of several technologies, one block each (the chart's CSV)."""
    frames = [evidence.shares[SURVEY_TABLE].assign(technology=evidence.technology) for evidence in evidences]
    return pd.concat(frames, ignore_index=True)[["technology", *SURVEY_TABLE]]


def title_lines(evidence: TechnologyEvidence) -> list[str]:
    """What a reader needs before the tables: the sentence, the images read, the periods, what is missing."""
    lines = [evidence.sentence]
    if evidence.images:
        lines.append(f"Images read from the pull history: {', '.join(evidence.images)}")
    if evidence.images_note:
        lines.append(f"Images: {evidence.images_note}")
    lines += [catalog_line(evidence)] if evidence.catalog_total is not None else []
    lines += [f"Missing: {reason}" for reason in evidence.missing]
    return lines
