"""Tables as text, CSV and JSON, with spreadsheet formulas made inert."""

from __future__ import annotations

import json

import pandas as pd

FORMATS = ("table", "csv", "json")
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells that a spreadsheet would run as formulas are prefixed with '."""
    result = frame.copy()
    for column in result.columns:
        if result[column].dtype == object or pd.api.types.is_string_dtype(result[column]):
            result[column] = result[column].map(_inert).astype(object)
    result.columns = [_inert(str(column)) for column in result.columns]
    return result


def _serialisable(frame: pd.DataFrame) -> pd.DataFrame:
    result = frame.copy()
    for column in result.columns:
        if isinstance(result[column].dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(result[column]):
            result[column] = result[column].map(
                lambda moment: None if pd.isna(moment) else moment.isoformat().replace("+00:00", "Z")
            )
    return result


def to_csv_text(frame: pd.DataFrame) -> str:
    """Return `frame` as CSV text, safe to open in a spreadsheet, timestamps in ISO 8601."""
    return neutralise_formulas(_serialisable(frame)).to_csv(index=False, lineterminator="\n")


def to_json_text(frame: pd.DataFrame) -> str:
    """Return `frame` as a JSON array of records, timestamps in ISO 8601."""
    records = _serialisable(frame).astype(object).where(frame.notna(), None).to_dict("records")
    return json.dumps(records, indent=2, default=str, ensure_ascii=False)


def to_text_table(frame: pd.DataFrame) -> str:
    """Return `frame` as an aligned plain-text table for a terminal."""
    if frame.empty:
        return "(no rows)"
    with pd.option_context(
        "display.max_rows", None, "display.max_columns", None, "display.width", 200, "display.max_colwidth", 60
    ):
        return _serialisable(frame).to_string(index=False)


def render(frame: pd.DataFrame, fmt: str) -> str:
    """Return `frame` rendered as `fmt`: one of table, csv or json."""
    renderers = {"table": to_text_table, "csv": to_csv_text, "json": to_json_text}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](frame)
