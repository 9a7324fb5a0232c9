"""The one way to open a file a user names: a regular file only, its size judged before a byte is read.

Every door that reads a path from a person (survey files, schemas and codebooks, history files,
targets, mappings, orders and weights files, the watchlist, the SQLite store named by `--db`,
uploads) opens it here. A FIFO, a socket, a device (`/dev/zero`) or a symlink to one is refused
before it can block or stream for ever: the file is opened with O_NONBLOCK (so a FIFO with no
writer does not wait) and judged by `fstat` of what was opened (so a file swapped in between a
check and the open is still judged). A file past the door's size cap is refused before it is read.
Every CSV reader shares one field-size rule (FIELD_LIMIT), set once here.

This module sits on the bottom layer beside settings.py: it imports nothing of ours.
"""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

MB = 1024 * 1024
# Caps by kind of file. The largest real survey export we know (Stack Overflow 2019) is about 190 MB.
SURVEY_MAX_BYTES = 1024 * MB
HISTORY_MAX_BYTES = 256 * MB
# Files written by hand or by `python -m analysis weight` (one row per respondent): targets, mappings,
# answer orders, weights, schemas, codebooks, watchlists, claims.
SMALL_FILE_MAX_BYTES = 64 * MB
# One CSV field (a cell, a header name) holds at most this many characters, in every reader; Python's
# csv default (131,072) turned a 200 KB schema cell into a traceback, and a survey may hold a 5 MB essay.
FIELD_LIMIT = 16 * MB

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class UserFileError(OSError):
    """A user's file refused before it was read; str() is the reason, to follow the file's name."""


def kind_of(mode: int) -> str:
    """What a file of this stat mode is, in words ('a FIFO (named pipe)', 'a regular file')."""
    return next((words for test, words in _KINDS if test(mode)), "a regular file" if stat.S_ISREG(mode) else "special")


def open_user_file(path: str | Path, max_bytes: int | None = None) -> BinaryIO:
    """Open a user's file for binary reading; UserFileError unless it is a regular file within `max_bytes`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except IsADirectoryError:
        raise UserFileError("is a folder, not a file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UserFileError(f"is {kind_of(info.st_mode)}, not a regular file; it was not read")
        if max_bytes is not None and info.st_size > max_bytes:
            raise UserFileError(f"is {_size(info.st_size)}; the limit for this kind of file is {_size(max_bytes)}")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_user_file(path: str | Path, max_bytes: int | None = None) -> int:
    """Refuse what open_user_file refuses, for a reader that must be given the path; return the size in bytes."""
    with open_user_file(path, max_bytes) as handle:
        return os.fstat(handle.fileno()).st_size


def read_user_bytes(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a user's file, refused (unread) when it is not a regular file or is larger than `max_bytes`."""
    with open_user_file(path, max_bytes) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while it was read
        raise UserFileError(f"is more than {_size(max_bytes)}; the limit for this kind of file")
    return data


def read_user_head(path: str | Path, size: int, max_bytes: int | None = None) -> bytes:
    """The first `size` bytes of a user's file (refused as open_user_file refuses)."""
    with open_user_file(path, max_bytes) as handle:
        return handle.read(size)


def opened_path(handle: BinaryIO) -> BinaryIO | str:
    """A name for a file already opened here, for readers that are fastest given a path (pandas' C parser).

    On Linux /proc/self/fd/N opens the very file that was judged, so swapping the path for a FIFO in
    between reaches nothing; elsewhere the handle itself is given.
    """
    name = f"/proc/self/fd/{handle.fileno()}"
    return name if os.path.exists(name) else handle


def csv_reader(lines: Iterable[str], **options: Any) -> Iterator[list[str]]:
    """A csv.reader held to FIELD_LIMIT (set for the process here, the one place that sets it)."""
    csv.field_size_limit(FIELD_LIMIT)
    return csv.reader(lines, **options)


def csv_dict_reader(lines: Iterable[str], **options: Any) -> csv.DictReader:
    """A csv.DictReader held to FIELD_LIMIT."""
    csv.field_size_limit(FIELD_LIMIT)
    return csv.DictReader(lines, **options)


def field_problem(error: csv.Error) -> str:
    """The words for a csv.Error: the field-size rule named when it is that, else the parser's own reason."""
    if "field larger than field limit" in str(error):
        return f"has a field longer than {FIELD_LIMIT:,} characters; the limit is {FIELD_LIMIT:,} characters a field"
    return f"is not a readable CSV file ({error})"


def longest_field(texts: Iterable[object]) -> int:
    """The length of the longest text among `texts` (for readers that do not use the csv module)."""
    return max((len(text) for text in texts if isinstance(text, str)), default=0)


def check_fields(texts: Iterable[object]) -> None:
    """Raise UserFileError when a text is longer than FIELD_LIMIT (the rule the csv readers apply)."""
    if longest_field(texts) > FIELD_LIMIT:
        raise UserFileError(
            f"has a field longer than {FIELD_LIMIT:,} characters; the limit is {FIELD_LIMIT:,} characters a field"
        )


def _size(count: int) -> str:
    return f"{count / MB:,.1f} MB" if count >= MB else f"{count:,} bytes"
