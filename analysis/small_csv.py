"""Reading the small CSV files a user writes by hand (mappings, targets, answer orders): text cells, clean headers."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pandas as pd

from analysis.errors import InvalidInput
from user_files import SMALL_FILE_MAX_BYTES, check_fields, read_user_bytes


def read_small_csv(path: str | Path, what: str, expected: str, label: str | None = None) -> pd.DataFrame:
    """Read `path` with every cell as text and headers stripped and case-folded; refuse it in one line.

    `what` names the file in the message ("the mapping file"), `expected` says what it should hold; `label`
    names the file there where its path means nothing to the person (an upload).
    """
    try:
        table = read_text_table(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InvalidInput(f"{label or path}: cannot read {what} ({read_error(error)}); give {expected}") from None
    table.columns = [str(column).strip().casefold() for column in table.columns]
    return table


def read_text_table(path: str | Path, **options: object) -> pd.DataFrame:
    """pandas.read_csv of a user's small file, opened through user_files and held to its field-size rule."""
    data = io.BytesIO(read_user_bytes(path, SMALL_FILE_MAX_BYTES))
    # index_col=False: a row longer than the header must not turn the first column into the index,
    # which shifted every column one place to the left with no word; such a row is refused instead.
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            table = pd.read_csv(data, encoding="utf-8-sig", index_col=False, **options)
        except pd.errors.ParserWarning:
            raise pd.errors.ParserError("a row has more fields than the header") from None
    check_fields([str(column) for column in table.columns])
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            check_fields(table[column].tolist())
    return table


def read_error(error: Exception) -> str:
    """Why a small file could not be read, on one line (pandas' parser errors span several)."""
    # A refused file (UserFileError) says why in str(); other OS errors say it in strerror.
    text = str(error.strerror or error) if isinstance(error, OSError) else str(error)
    return " ".join(text.split())
