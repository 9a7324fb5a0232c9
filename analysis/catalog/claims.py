"""Published headline figures about Docker Hub, each beside the nearest figure the store can measure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.catalog.read import snapshot_span
from analysis.catalog.stats import DEFAULT_THRESHOLD, sum_range, threshold_count
from analysis.errors import InvalidInput
from analysis.small_csv import read_text_table

CLAIM_COLUMNS = ["claim_id", "who", "words", "date", "url", "counts", "measure", "verified", "note"]
MEASURES = ("total_pulls", "monthly_pulls", "repositories", "official_share", "images_10m")


def read_claims(path: Path) -> pd.DataFrame:
    """Return the register of published claims (data/catalog/claims.csv), every column as text."""
    try:
        frame = read_text_table(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InvalidInput(f"cannot read the claims register {path}: {error}") from None
    missing = [column for column in CLAIM_COLUMNS if column not in frame.columns]
    unknown = sorted(set(frame.get("measure", pd.Series(dtype=str))) - set(MEASURES))
    if missing or unknown:
        raise InvalidInput(f"claims register {path}: missing columns {missing}, unknown measures {unknown}")
    return frame[CLAIM_COLUMNS]


def _measured(measure: str, entries: pd.DataFrame, span: str) -> tuple[str, str]:
    """Return (the measured figure, what it counts against the claim) for one kind of claim."""
    base = f"the {len(entries):,} images of the catalog snapshot of {span}"
    if measure == "total_pulls":
        total = sum_range(entries)
        figure = f"{total.low:,} pulls" if total.exact else f"at least {total.low:,} pulls"
        return figure, f"the claim counts every repository; measured: {base}, their cumulative counts"
    if measure == "repositories":
        return f"{len(entries):,} images", f"the claim counts repositories on all of Docker Hub; measured: {base}"
    if measure == "images_10m":
        row = threshold_count(entries, DEFAULT_THRESHOLD).iloc[0]
        return f"{row['images']:,} images at 10M+ pulls", f"measured among {base} (a lower bound: bucketed counts)"
    if measure == "official_share":
        official, everyone = sum_range(entries[entries["publisher"] == "official"]), sum_range(entries)
        share = official.low / everyone.low if everyone.low else float("nan")
        return (
            f"{share:.0%} of the lower bounds",
            f"official images' share of the lower bounds of {base}; not a share of all Docker Hub pulls",
        )
    return "not measured", "the store keeps cumulative counts: pulls per month need two exact snapshots a month apart"


def claims_beside_measures(claims: pd.DataFrame, entries: pd.DataFrame, snapshot: pd.Series) -> pd.DataFrame:
    """Return each claim with the nearest measured figure and one line on how what each counts differs."""
    span = snapshot_span(snapshot)
    measured = [_measured(measure, entries, span) for measure in claims["measure"]]
    return claims.assign(
        measured=[figure for figure, _ in measured],
        difference=[line for _, line in measured],
        measured_on=span,
    )
