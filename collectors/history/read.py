"""Pull histories recorded by other trackers, read into snapshot records (no store access here).

Two layouts are understood:

* docker-pulls-scraper: one file per image, ``Date,Count,Delta`` with dates as ``YYYY/MM/DD``;
  the image comes from a ``namespace_name.csv`` file name unless given.
* docker-pulls-statistics: one wide file, ``date,ns/name,ns/name,...`` with dates as ``YYYY-MM-DD``.

A date given on a day only is taken as midnight UTC. A date repeated within a file keeps its
last row, as the tracker's later scrape of that day is the one it kept. Every row is checked as it
is read by the check the collector uses (collectors.snapshot_check): a negative or absurd count, a date
before Docker Hub's start or after tomorrow, or an invalid name stops the file with its line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from collectors.errors import CollectorError
from collectors.snapshot_check import check_name_part, check_snapshot
from store.values import shown, split_image
from user_files import HISTORY_MAX_BYTES, csv_reader, field_problem, read_user_bytes

AGGREGATE_PREFIX = "SUM_"
_DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S")
# ASCII digits only: int() would also take "1_000", "١٢٣" and "  +7".
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


class HistoryError(CollectorError, ValueError):
    """A history file that cannot be read; the message names the file and what is wrong."""


@dataclass
class History:
    """Snapshot records read from one file, and what was noticed on the way."""

    path: Path
    layout: str
    records: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _parse_date(text: str, path: Path, line: int) -> datetime:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise HistoryError(f"{path}: line {line}: {shown(text)} is not a date (expected YYYY/MM/DD or YYYY-MM-DD)")


def _parse_count(text: str, path: Path, line: int) -> int | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    if not _WHOLE_NUMBER.fullmatch(text):
        raise HistoryError(f"{path}: line {line}: pull count {shown(text)} is not a whole number")
    return int(text)


def _checked(image: str, moment: datetime, count: int, path: Path, line: int, now: datetime) -> dict:
    """Return the snapshot record of one cell, checked as the collector checks its answers."""
    namespace, name = split_image(image)
    record = {"namespace": namespace, "name": name, "observed_at": moment, "pull_count": count}
    try:
        return check_snapshot(record, now)
    except ValueError as error:
        raise HistoryError(f"{path}: line {line}: {error}") from None


def image_from_file_name(path: Path) -> str:
    """Return "namespace/name" from a docker-pulls-scraper file name such as falcosecurity_falco-no-driver.csv."""
    stem = path.stem
    if stem.startswith(AGGREGATE_PREFIX):
        raise HistoryError(
            f"{path}: a tracker's sum of several images, not one image; import the member images instead"
        )
    namespace, separator, name = stem.partition("_")
    try:
        namespace, name = check_name_part(namespace), check_name_part(name)
    except ValueError:
        raise HistoryError(f"{path}: cannot tell the image from the file name; pass --image NAMESPACE/NAME") from None
    return f"{namespace}/{name}"


def _keep_last(rows: dict[tuple[str, datetime], dict], record: dict) -> bool:
    key = (f"{record['namespace']}/{record['name']}", record["observed_at"])
    repeated = key in rows
    rows[key] = record
    return repeated


def _records(rows: dict[tuple[str, datetime], dict]) -> list[dict]:
    return sorted(rows.values(), key=lambda r: (r["namespace"], r["name"], r["observed_at"]))


def _read_scraper(path: Path, reader: csv.reader, image: str | None) -> History:
    history = History(path, "docker-pulls-scraper")
    image = _image_names([image], path)[0] if image else image_from_file_name(path)
    rows: dict[tuple[str, datetime], dict] = {}
    repeated = 0
    now = datetime.now(UTC)
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise HistoryError(f"{path}: line {line}: expected Date,Count,Delta")
        count = _parse_count(row[1], path, line)
        if count is None:
            history.notes.append(f"line {line}: no count, skipped")
            continue
        repeated += _keep_last(rows, _checked(image, _parse_date(row[0], path, line), count, path, line, now))
    if repeated:
        history.notes.append(f"{repeated} repeated date(s): the last row of each date was kept")
    history.records = _records(rows)
    return history


def _image_names(names: Sequence[str], path: Path, where: str = "--image") -> list[str]:
    images = []
    for name in names:
        try:
            namespace, repository = split_image(name)
            images.append(f"{check_name_part(namespace)}/{check_name_part(repository)}")
        except ValueError as error:
            raise HistoryError(f"{path}: {where}: image {shown(name)}: {error}") from None
    return images


def _read_wide(path: Path, header: list[str], reader: csv.reader, only: Sequence[str]) -> History:
    history = History(path, "docker-pulls-statistics")
    columns = _image_names(header[1:], path, "line 1")
    wanted = set(_image_names(only, path))
    missing = wanted - set(columns)
    if missing:
        raise HistoryError(f"{path}: no column for {', '.join(sorted(missing))}; the file has {', '.join(columns)}")
    keep = [not wanted or column in wanted for column in columns]
    rows: dict[tuple[str, datetime], dict] = {}
    repeated = 0
    now = datetime.now(UTC)
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        moment = _parse_date(row[0], path, line)
        for column, kept, cell in zip(columns, keep, row[1:], strict=False):
            count = _parse_count(cell, path, line) if kept else None
            if count is not None:
                repeated += _keep_last(rows, _checked(column, moment, count, path, line, now))
    if repeated:
        history.notes.append(f"{repeated} repeated date(s): the last row of each date was kept")
    history.records = _records(rows)
    return history


def read_history(path: Path, images: Sequence[str] = ()) -> History:
    """Read a history file of either layout; `images` names the image of a one-image file or picks columns."""
    try:
        text = read_user_bytes(path, HISTORY_MAX_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        raise HistoryError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise HistoryError(f"{path}: not a text CSV file (it is not UTF-8)") from None
    except OSError as error:
        raise HistoryError(f"{path}: {error.strerror or error}") from None
    reader = csv_reader(io.StringIO(text, newline=""))
    try:
        return _read_layout(path, reader, images)
    except csv.Error as error:
        raise HistoryError(f"{path}: line {reader.line_num}: {field_problem(error)}") from None


def _read_layout(path: Path, reader: csv.reader, images: Sequence[str]) -> History:
    header = next(reader, None)
    if not header:
        raise HistoryError(f"{path}: the file is empty")
    names = [cell.strip().lower() for cell in header]
    if names[:2] == ["date", "count"]:
        if len(images) > 1:
            raise HistoryError(f"{path}: holds one image's history; give at most one --image")
        return _read_scraper(path, reader, images[0] if images else None)
    if names[0] == "date" and len(names) > 1 and all("/" in n for n in names[1:]):
        return _read_wide(path, header, reader, images)
    raise HistoryError(
        f"{path}: not a pull history this tool knows: expected a header Date,Count,Delta or date,namespace/name,..."
    )
