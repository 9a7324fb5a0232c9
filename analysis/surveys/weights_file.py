"""Raked weights as a file: one row per respondent, each row naming the survey it weights and the margins.

Columns: survey_sha256 (the file the weights belong to), respondent (its position in that file, 0 for
the first respondent), weight, raked_to (the questions raked to, e.g. "Q2, Q1"). `python -m analysis
weight` writes it; `--weight weights.csv` reads it back, and refuses it for another file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.small_csv import read_error, read_text_table

WEIGHT_COLUMNS = ["survey_sha256", "respondent", "weight", "raked_to"]


@dataclass(frozen=True)
class RakedWeights:
    """Each respondent's weight (indexed by respondent) from raking one survey file to the margins of some questions."""

    weights: pd.Series
    raked_to: tuple[str, ...]
    sha256: str
    source: str = ""

    @property
    def label(self) -> str:
        """How every weighted figure says what it is: `weighted (raked to Q2, Q1)`."""
        return f"weighted (raked to {', '.join(self.raked_to)})"


def weights_table(raked: RakedWeights) -> pd.DataFrame:
    """The weights as the file holds them (see the module docstring)."""
    return pd.DataFrame(
        {
            "survey_sha256": raked.sha256,
            "respondent": raked.weights.index.to_numpy(dtype=np.int64),
            "weight": raked.weights.to_numpy(dtype=float),
            "raked_to": ", ".join(raked.raked_to),
        }
    )[WEIGHT_COLUMNS]


def looks_like_weights_file(value: str) -> bool:
    """True when a --weight value names a file on disk (a weights CSV) rather than a weight question."""
    return value.lower().endswith(".csv") and Path(value).is_file()


def read_weights(path: str | Path) -> RakedWeights:
    """Read a weights file written by `python -m analysis weight`; one-line InvalidInput when it is not one."""
    try:
        table = read_text_table(path, dtype={"survey_sha256": str, "raked_to": str})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InvalidInput(f"{path}: cannot read the weights file ({read_error(error)})") from None
    missing = [column for column in WEIGHT_COLUMNS if column not in table.columns]
    if missing or table.empty:
        raise InvalidInput(
            f"{path}: not a weights file (needs rows with columns {', '.join(WEIGHT_COLUMNS)}); "
            "make one with python -m analysis weight"
        )
    respondent = pd.to_numeric(table["respondent"], errors="coerce")
    weight = pd.to_numeric(table["weight"], errors="coerce")
    if respondent.isna().any() or (respondent < 0).any() or (respondent % 1 != 0).any() or weight.isna().any():
        raise InvalidInput(f"{path}: every row needs a whole respondent number from 0 and a numeric weight")
    hashes, margins = table["survey_sha256"].unique(), table["raked_to"].fillna("").unique()
    if len(hashes) != 1 or len(margins) != 1:
        raise InvalidInput(f"{path}: the rows name more than one survey or raking; give one survey's weights")
    if respondent.duplicated().any():
        raise InvalidInput(f"{path}: respondent {int(respondent[respondent.duplicated()].iloc[0])} appears twice")
    raked_to = tuple(part.strip() for part in str(margins[0]).split(",") if part.strip())
    weights = pd.Series(weight.to_numpy(dtype=float), index=respondent.to_numpy(dtype=np.int64))
    return RakedWeights(weights, raked_to, str(hashes[0]), Path(path).name)
