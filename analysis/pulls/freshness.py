"""How old the newest observation is, and the words that say so when it is too old to read as current.

Pull data ends where collection stopped: a chart of "the last 30 days" drawn four months later shows
four-month-old days. Every pull card, chart and milestone says its data's age once it passes
STALE_AFTER_DAYS; a projected date before today is never shown as a forecast.
"""

from __future__ import annotations

import pandas as pd

STALE_AFTER_DAYS = 3  # a daily collection can miss a day or two; past this the numbers are not current


def as_day(moment: pd.Timestamp | str) -> pd.Timestamp:
    """`moment` as a naive UTC midnight, the form pull periods take."""
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.normalize()


def today_utc() -> pd.Timestamp:
    """Today's date in UTC, as a naive midnight timestamp (the form pull periods take)."""
    return as_day(pd.Timestamp.now(tz="UTC"))


def data_age_days(as_of: pd.Timestamp | str, today: pd.Timestamp | str) -> int:
    """Whole days from the newest observation `as_of` to `today` (0 when it is today or later)."""
    return max(0, (as_day(today) - as_day(as_of)).days)


def is_stale(as_of: pd.Timestamp | str | None, today: pd.Timestamp | str) -> bool:
    """True when the newest observation is more than STALE_AFTER_DAYS old (never for no data at all)."""
    if as_of is None or as_of == "-" or pd.isna(as_of):
        return False
    return data_age_days(as_of, today) > STALE_AFTER_DAYS


def age_note(as_of: pd.Timestamp | str | None, today: pd.Timestamp | str) -> str:
    """ "data as of 2026-08-08, 117 days old" when the data is stale, else "" (nothing to warn about)."""
    if not is_stale(as_of, today):
        return ""
    days = data_age_days(as_of, today)
    return f"data as of {as_day(as_of).date().isoformat()}, {days:,} day{'s' if days != 1 else ''} old"


def as_of_words(as_of: pd.Timestamp | str | None, today: pd.Timestamp | str) -> str:
    """The "Data as of" day as footers and cards print it, with its age once stale ("2026-08-08, 117 days old")."""
    if as_of is None or as_of == "-" or pd.isna(as_of):
        return "-"
    note = age_note(as_of, today)
    return note.removeprefix("data as of ") if note else as_day(as_of).date().isoformat()
