"""The seed list of a catalog crawl: namespaces to list whole, one per line, from a file the user names."""

from __future__ import annotations

from pathlib import Path

from collectors.errors import CollectorError
from collectors.list_file import listed_lines
from collectors.snapshot_check import check_name_part


class SeedListError(CollectorError, ValueError):
    """A namespaces file that cannot be read or holds an invalid name: said in one line with its file and line."""


def read_namespace_file(path: Path) -> tuple[str, ...]:
    """Return the namespaces listed in `path`, one per line, in order, once each ('#' starts a comment)."""
    namespaces = []
    for number, line in listed_lines(path, "namespaces file", SeedListError):
        text = line.strip("/")
        if not text:
            continue
        try:
            namespaces.append(check_name_part(text))
        except ValueError as error:
            raise SeedListError(f"{path}:{number}: {error}") from None
    if not namespaces:
        raise SeedListError(f"namespaces file {path} lists no namespace")
    return tuple(dict.fromkeys(namespaces))
