"""Repairs of text damaged before the file reached us: spreadsheet dates, no-break spaces, formulas."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
# Excel reads "10-49" as October 1949 and shows "Oct-49"; "1-5" becomes 5 January, shown "5-Jan".
MONTH_FIRST = re.compile(r"^([A-Za-z]{3})-(\d{1,4})$")
DAY_FIRST = re.compile(r"^(\d{1,2})-([A-Za-z]{3})$")
RANGE_LIKE = re.compile(r"^\s*[<>]?\s*\d[\d,.]*\s*(\+|%|-\s*\d|to\s*\d|or more|$)", re.IGNORECASE)
FORMULA_START = re.compile(r"^(=|@|[+\-][A-Za-z(])")
EXCEL_ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A")


def clean_text(text: str) -> str:
    """Trim surrounding blanks and turn no-break spaces into plain spaces."""
    return text.replace("\xa0", " ").strip()


def excel_date_repairs(texts: Iterable[str]) -> dict[str, str]:
    """Map each date-mangled range among `texts` to the range it was, when its neighbours are ranges."""
    texts = list(texts)
    candidates = {text: _unmangle(text) for text in texts}
    candidates = {text: fixed for text, fixed in candidates.items() if fixed}
    if not candidates:
        return {}
    others = [text for text in texts if text not in candidates and RANGE_LIKE.match(text)]
    return candidates if others else {}


def _unmangle(text: str) -> str | None:
    text = text.strip()
    match = MONTH_FIRST.match(text)
    if match and match.group(1).lower() in MONTHS:
        low, high = MONTHS[match.group(1).lower()], int(match.group(2))
    else:
        match = DAY_FIRST.match(text)
        if not match or match.group(2).lower() not in MONTHS:
            return None
        low, high = MONTHS[match.group(2).lower()], int(match.group(1))
    return f"{low}-{high}" if low < high else None


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would run this text as a formula if it were exported unchanged."""
    # Full-width and small forms (＝, ＋, ﹫) fold to the ASCII sign, and some spreadsheets run them too.
    return bool(FORMULA_START.match(unicodedata.normalize("NFKC", text[:1]) + text[1:]))
