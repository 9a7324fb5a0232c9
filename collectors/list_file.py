"""A list the user keeps in a file, one entry per line: the watchlist's images, a crawl's seed namespaces."""

from __future__ import annotations

from pathlib import Path

from collectors.errors import CollectorError
from user_files import SMALL_FILE_MAX_BYTES, read_user_bytes


def listed_lines(path: Path, what: str, error: type[CollectorError]) -> list[tuple[int, str]]:
    """Return (line number, text) of each entry of `path` ('#' starts a comment; blank lines skipped).

    A file that cannot be read raises `error` in one line naming `what` the file is ("watchlist").
    """
    try:
        lines = read_user_bytes(path, SMALL_FILE_MAX_BYTES).decode("utf-8").splitlines()
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as reason:
        raise error(f"cannot read {what} {path}: {reason}") from None
    entries = ((number, line.split("#", 1)[0].strip()) for number, line in enumerate(lines, start=1))
    return [(number, text) for number, text in entries if text]
