"""Tables as text, CSV and JSON, with spreadsheet formulas made inert."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable

import pandas as pd

FORMATS = ("table", "csv", "json")
# A spreadsheet runs a cell that starts with one of these as a formula. Some locales also run the
# full-width, small and superscript forms (＝, ＋, －, ＠, ﹦...), which NFKC folds into these, and the
# minus sign U+2212.
FORMULA_LEADS = frozenset("=+-@\t\r\u2212")
# What a terminal obeys instead of printing: C0 and C1 controls (ESC starts the sequences that set the
# window title or clear the screen) and the bidirectional overrides that reorder what is shown.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def runs_as_formula(text: str) -> bool:
    """True when a spreadsheet could run `text` as a formula: it starts like one (= + - @, tab, CR, or a lookalike)."""
    if not text:
        return False
    lead = text[0]
    return lead in FORMULA_LEADS or unicodedata.normalize("NFKC", lead)[:1] in FORMULA_LEADS


def _inert(value: object) -> object:
    if not isinstance(value, str):
        return value
    # A lone carriage return is not quoted by the CSV writer (its line ends are "\n"), and a spreadsheet starts a
    # new row there, whose first cell could be a formula: every line break in a cell is written as "\n" (quoted).
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if runs_as_formula(value) else value


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as ␛, newline as ␊
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """Return `text` with the characters a terminal would obey shown as symbols (ESC as ␛, newline as ␊)."""
    return CONTROL_CHARACTERS.sub(_visible, text)


def _visible_cell(value: object) -> object:
    return visible_controls(value) if isinstance(value, str) else value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells that a spreadsheet would run as formulas are prefixed with '."""
    return _map_text(frame, _inert)


def _map_text(frame: pd.DataFrame, change: Callable[[object], object]) -> pd.DataFrame:
    """A copy with `change` applied to every text cell (plain, string or categorical columns) and column name."""
    result = frame.copy()
    for column in result.columns:
        dtype = result[column].dtype
        if (
            pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype)
        ):
            result[column] = result[column].astype(object).map(change)
    result.columns = [change(str(column)) for column in result.columns]
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
        return _terminal_safe(_serialisable(frame)).to_string(index=False)


def _terminal_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names show control characters instead of carrying them."""
    return _map_text(frame, _visible_cell)


def render(frame: pd.DataFrame, fmt: str) -> str:
    """Return `frame` rendered as `fmt`: one of table, csv or json."""
    renderers = {"table": to_text_table, "csv": to_csv_text, "json": to_json_text}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](frame)
