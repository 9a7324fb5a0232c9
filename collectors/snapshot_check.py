"""The one check of a pull-count snapshot, shared by the Docker Hub collector and import-history.

Whatever the source (an API answer, a tracker's CSV file), a snapshot is kept only when its names
follow Docker Hub's rule, its counts are exact whole numbers in range, its text fields are text of
a sane length, its flags are true/false, and its date lies between Docker Hub's start and tomorrow.
The store then checks again what its columns can hold (store.values), so the two never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from collectors.errors import CollectorError
from store.values import StoreValueError, check_record, shown, whole_number

NAME_MAX = 255
# Docker Hub's largest counts are near 10**11; a thousand million million leaves room and keeps
# every count exact as a float and every sum of counts inside int64.
MAX_PULL_COUNT = 10**15
MAX_STAR_COUNT = 2**31 - 1
EARLIEST = datetime(2013, 1, 1, tzinfo=UTC)  # Docker Hub opened in 2013
_NAME_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class SnapshotValueError(CollectorError, ValueError):
    """A snapshot value that is refused; the message names the field and the value."""


def check_name_part(part: Any) -> str:
    """Return `part` in lower case if it can be a Docker Hub namespace or repository name, else raise ValueError.

    Docker Hub names are lower case (it answers `NGINX` as `nginx`): folding here, the one name check,
    keeps `NGINX` and `nginx` one image in the store, whichever door (collector, import, catalog) names it.
    """
    if not isinstance(part, str) or not _NAME_PART.fullmatch(part):
        raise SnapshotValueError(f"not a Docker Hub name: {shown(part)} (letters, digits, '.', '_' and '-' only)")
    if len(part) > NAME_MAX:
        raise SnapshotValueError(f"not a Docker Hub name: {len(part)} characters long, more than {NAME_MAX}")
    return part.lower()


def check_pull_count(value: Any) -> int:
    """Return `value` if it is an exact whole number of pulls in 0..MAX_PULL_COUNT, else raise ValueError."""
    return _number("pull_count", value, MAX_PULL_COUNT)


def latest_allowed(now: datetime | None = None) -> datetime:
    """Return the latest moment a snapshot may carry: one day after `now` (clocks and time zones differ)."""
    return (now or datetime.now(UTC)) + timedelta(days=1)


def check_observed_at(moment: datetime, now: datetime | None = None) -> datetime:
    """Return `moment` if it lies between Docker Hub's start (2013-01-01) and tomorrow, else raise ValueError."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    latest = latest_allowed(now)
    if not EARLIEST <= aware <= latest:
        raise SnapshotValueError(
            f"date {aware.date().isoformat()} is outside {EARLIEST.date().isoformat()}..{latest.date().isoformat()} "
            "(Docker Hub's start..tomorrow)"
        )
    return moment


def check_snapshot(record: Mapping[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """Return `record`, names in lower case, if every value may be kept; else ValueError naming the first bad one."""
    record = {
        **record,
        "namespace": check_name_part(record.get("namespace")),
        "name": check_name_part(record.get("name")),
    }
    check_pull_count(record.get("pull_count"))
    if record.get("star_count") is not None:
        _number("star_count", record["star_count"], MAX_STAR_COUNT)
    moment = record.get("observed_at")
    if not isinstance(moment, datetime):
        raise SnapshotValueError(f"observed_at must be a date and time, not {shown(moment)}")
    check_observed_at(moment, now)
    try:
        check_record(record)
    except StoreValueError as error:
        raise SnapshotValueError(str(error)) from None
    return record


def _number(field: str, value: Any, high: int) -> int:
    try:
        return whole_number(field, value, high)
    except StoreValueError as error:
        raise SnapshotValueError(str(error)) from None
