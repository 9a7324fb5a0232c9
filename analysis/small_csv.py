"""Reading the small CSV files a user writes by hand (mappings, targets, answer orders): text cells, clean headers."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd

from analysis.errors import InvalidInput


def read_small_csv(path: str | Path | BinaryIO, what: str, expected: str, label: str | None = None) -> pd.DataFrame:
    """Read `path` with every cell as text and headers stripped and case-folded; refuse it in one line.

    `what` names the file in the message ("the mapping file"), `expected` says what it should hold; `label`
    names an open file (an upload) there.
    """
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InvalidInput(f"{label or path}: cannot read {what} ({error}); give {expected}") from error
    table.columns = [str(column).strip().casefold() for column in table.columns]
    return table
