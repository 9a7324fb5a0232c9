"""Conversions between the store's epoch seconds and timezone-aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

SECONDS_PER_DAY = 86_400


def to_epoch(moment: datetime | pd.Timestamp | int) -> int:
    """Return whole seconds since the epoch; naive datetimes are taken as UTC."""
    if isinstance(moment, int):
        return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def now_epoch() -> int:
    """Return the current time as epoch seconds."""
    return int(datetime.now(UTC).timestamp())


def epoch_to_utc(seconds: pd.Series) -> pd.Series:
    """Return epoch seconds as a tz-aware UTC datetime Series."""
    return pd.to_datetime(seconds.astype("int64"), unit="s", utc=True)
