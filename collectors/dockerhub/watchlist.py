"""The watchlist: the images a collection run takes when none are named (data/watchlist.txt by default)."""

from __future__ import annotations

from pathlib import Path

from collectors.dockerhub.api import check_name_part
from collectors.errors import CollectorError
from user_files import SMALL_FILE_MAX_BYTES, read_user_bytes

RUN_KIND = "collect"  # the kind of run the store records for an image collection


class WatchlistError(CollectorError, ValueError):
    """A watchlist that cannot be read or names no valid image: said in one line with its file and line."""


def read_watchlist(path: Path) -> list[tuple[str, str]]:
    """Return the images listed in `path`, one per line, ignoring blank lines and '#' comments."""
    try:
        lines = read_user_bytes(path, SMALL_FILE_MAX_BYTES).decode("utf-8").splitlines()
    except FileNotFoundError:
        raise WatchlistError(f"watchlist not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise WatchlistError(f"cannot read watchlist {path}: {error}") from None
    images = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if text:
            images.append(parse_image(text, f"{path}:{number}"))
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
