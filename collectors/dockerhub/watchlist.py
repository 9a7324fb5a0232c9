"""The watchlist: the images a collection run takes when none are named (data/watchlist.txt by default)."""

from __future__ import annotations

from pathlib import Path

from collectors.dockerhub.api import check_name_part
from collectors.errors import CollectorError
from collectors.list_file import listed_lines

RUN_KIND = "collect"  # the kind of run the store records for an image collection


class WatchlistError(CollectorError, ValueError):
    """A watchlist that cannot be read or names no valid image: said in one line with its file and line."""


def read_watchlist(path: Path) -> list[tuple[str, str]]:
    """Return the images listed in `path`, one per line, ignoring blank lines and '#' comments."""
    images = [parse_image(text, f"{path}:{number}") for number, text in listed_lines(path, "watchlist", WatchlistError)]
    if not images:
        raise WatchlistError(f"watchlist {path} lists no images")
    return images


def parse_image(text: str, where: str) -> tuple[str, str]:
    """One image name as (namespace, name), checked as Docker Hub names are; `where` names its origin in errors."""
    from store.values import split_image

    try:
        namespace, name = split_image(text)
        return check_name_part(namespace), check_name_part(name)
    except ValueError as error:
        raise WatchlistError(f"{where}: {error}") from None
