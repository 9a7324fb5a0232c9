"""The one streamed file hash: history imports, bundled catalogs and survey files are identified by it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from user_files import open_user_file

BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of the file at `path`."""
    digest = hashlib.sha256()
    with open_user_file(path) as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
