"""What a snapshot record may hold, checked in Python before any SQL so that SQLite and PostgreSQL agree.

SQLite keeps a 300-character name in a VARCHAR(255) and a 3e9 star count in an INTEGER; PostgreSQL
refuses both halfway through a transaction. Every limit is declared here, once, and the SQL schema
sizes its columns from it, so every backend accepts and refuses the same records.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
# The limits every backend keeps: the SQL schema (store.sql.schema) declares its columns from these.
NAME_MAX = 255  # namespace and name of an image
REPOSITORY_TYPE_MAX = 64
DATE_TEXT_MAX = 40  # last_updated, date_registered
PULL_TEXT_MAX = 32  # a catalog count as Docker Hub wrote it
PUBLISHER_MAX = 16
METHOD_MAX = 16
# The description is TEXT (unbounded) in both stores; Docker Hub's own limit is 100 characters.
DESCRIPTION_MAX = 4000
# Docker Hub's counters were stuck at the largest 32-bit signed integer for some images in 2020.
CAP_PULL_COUNT = 2_147_483_647
IMAGE_FIELDS = ("repository_type", "is_private", "description", "date_registered")
_SHOWN_MAX = 60
_TEXT_LIMITS = {
    "namespace": NAME_MAX,
    "name": NAME_MAX,
    "last_updated": DATE_TEXT_MAX,
    "repository_type": REPOSITORY_TYPE_MAX,
    "description": DESCRIPTION_MAX,
    "date_registered": DATE_TEXT_MAX,
}


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


def failure_names(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The names a recorded poll failure may give each (namespace, name): `ns/name`, and `name` for library."""
    names: dict[str, tuple[str, str]] = {}
    for namespace, name in pairs:
        names[f"{namespace}/{name}"] = (namespace, name)
        if namespace == "library":
            names[name] = (namespace, name)
    return names


def split_image(image: str) -> tuple[str, str]:
    """Return (namespace, name) of `image`; a bare name is an official image in `library`."""
    image = image.strip().strip("/")
    if not image:
        raise ValueError("an image name is empty")
    parts = image.split("/")
    if len(parts) == 1:
        return "library", parts[0]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    raise ValueError(f"not an image name (expected NAME or NAMESPACE/NAME): {image!r}")


def check_record(record: Mapping[str, Any]) -> None:
    """Raise StoreValueError unless every value of `record` fits its column the same way on every store."""
    _text("namespace", record.get("namespace"), NAME_MAX, required=True)
    _text("name", record.get("name"), NAME_MAX, required=True)
    moment = record.get("observed_at")
    if not isinstance(moment, datetime):
        whole_number("observed_at", moment, INT64_MAX, low=-INT64_MAX)
    whole_number("pull_count", record.get("pull_count"), INT64_MAX)
    if record.get("star_count") is not None:
        whole_number("star_count", record["star_count"], INT32_MAX)
    if record.get("run_id") is not None:
        whole_number("run_id", record["run_id"], INT32_MAX)
    _text("last_updated", record.get("last_updated"), DATE_TEXT_MAX)
    for field in ("repository_type", "description", "date_registered"):
        _text(field, record.get(field), _TEXT_LIMITS[field])
    if record.get("is_private") is not None and not isinstance(record["is_private"], bool):
        raise StoreValueError(f"is_private must be true or false, not {shown(record['is_private'])}")
