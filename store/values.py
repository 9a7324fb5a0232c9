"""What a snapshot record may hold, checked in Python before any SQL so that SQLite and PostgreSQL agree.

SQLite keeps a 300-character name in a VARCHAR(255) and a 3e9 star count in an INTEGER; PostgreSQL
refuses both halfway through a transaction. Every limit here is read from the column it protects,
so the two stores accept and refuse the same records, and a refused record never reaches either.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, String

from store.schema import images, snapshots

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
# The description is TEXT (unbounded) in both stores; Docker Hub's own limit is 100 characters.
DESCRIPTION_MAX = 4000
_SHOWN_MAX = 60


class StoreValueError(ValueError):
    """A record holding a value the store will not keep; the message names the field and the value."""


def shown(value: Any) -> str:
    """Return `value` as a short printable repr for a message (control characters escaped, long values cut)."""
    if isinstance(value, int) and value.bit_length() > 200:  # repr() of a 5,000-digit int raises
        return f"a {value.bit_length()}-bit number"
    text = ascii(value) if isinstance(value, str) else repr(value)
    text = text.encode("ascii", "backslashreplace").decode("ascii")
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 3] + "..."


def whole_number(field: str, value: Any, high: int, low: int = 0) -> int:
    """Return `value` as an int if it is a whole number (not a bool, not a float) in low..high, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise StoreValueError(f"{field} must be a whole number, not {shown(value)}")
    number = int(value)
    if not low <= number <= high:
        raise StoreValueError(f"{field} {shown(number)} is outside {low}..{high}")
    return number


def _column_max(column: Column) -> int:
    return INT64_MAX if isinstance(column.type, BigInteger) else INT32_MAX


def _text(field: str, value: Any, longest: int, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise StoreValueError(f"{field} must be text, not {shown(value)}")
    if required and not value:
        raise StoreValueError(f"{field} is empty")
    if len(value) > longest:
        raise StoreValueError(f"{field} is {len(value)} characters long, more than the {longest} the store keeps")
    return value


def _length(column: Column) -> int:
    return column.type.length if isinstance(column.type, String) and column.type.length else DESCRIPTION_MAX


def check_record(record: Mapping[str, Any]) -> None:
    """Raise StoreValueError unless every value of `record` fits its column the same way on every store."""
    _text("namespace", record.get("namespace"), _length(images.c.namespace), required=True)
    _text("name", record.get("name"), _length(images.c.name), required=True)
    moment = record.get("observed_at")
    if not isinstance(moment, datetime):
        whole_number("observed_at", moment, INT64_MAX, low=-INT64_MAX)
    whole_number("pull_count", record.get("pull_count"), _column_max(snapshots.c.pull_count))
    if record.get("star_count") is not None:
        whole_number("star_count", record["star_count"], _column_max(snapshots.c.star_count))
    if record.get("run_id") is not None:
        whole_number("run_id", record["run_id"], _column_max(snapshots.c.run_id))
    _text("last_updated", record.get("last_updated"), _length(snapshots.c.last_updated))
    for field in ("repository_type", "description", "date_registered"):
        _text(field, record.get(field), _length(images.c[field]))
    if record.get("is_private") is not None and not isinstance(record["is_private"], bool):
        raise StoreValueError(f"is_private must be true or false, not {shown(record['is_private'])}")
