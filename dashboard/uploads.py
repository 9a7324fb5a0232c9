"""Uploaded survey files on disk: kept per browser session (or shared), within quotas, deleted once expired.

Layout: `<upload dir>/<owner>/<sha256>/<file name>`, the owner being `shared` or `session-<random token>`.
Nothing here draws: the Upload page and the survey loaders call it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import settings

SHARED_OWNER = "shared"
# A Stack Overflow schema uploaded with its survey is kept beside it under this name: the survey loader
# finds `*schema*.csv` beside a file, and a kept survey's name never starts with "_" (see `keep`).
SCHEMA_NAME = "_schema.csv"
MAX_FILES = 2
SESSION_PREFIX = "session-"
KEY_PREFIX = "upload:"
# Held while a quota is checked and the file written: browser sessions are threads of one server, and a
# team may run several servers on one upload folder; flock covers both.
LOCK_NAME = ".quota.lock"
_MB = 1024 * 1024


class UploadRefused(Exception):
    """An upload that cannot be kept (over a quota): the reason is shown to the person uploading."""


@dataclass(frozen=True)
class UploadPolicy:
    """Where uploads live and the limits on them."""

    root: Path
    owner: str
    session_quota: int
    disk_quota: int
    ttl_seconds: float

    @classmethod
    def from_settings(cls, session_token: str) -> UploadPolicy:
        """The policy the settings give: shared when $ADOPTION_SHARED_UPLOADS=1, else this session's own folder."""
        owner = SHARED_OWNER if settings.shared_uploads() else SESSION_PREFIX + session_token
        return cls(
            root=settings.upload_dir(),
            owner=owner,
            session_quota=settings.upload_quota_bytes(),
            disk_quota=settings.upload_disk_bytes(),
            ttl_seconds=settings.upload_ttl_seconds(),
        )

    @property
    def directory(self) -> Path:
        """This owner's folder of uploads."""
        return self.root / self.owner


def new_session_token() -> str:
    """Return an unguessable name for one browser session's uploads."""
    return secrets.token_hex(16)


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else 0


def _holders(root: Path) -> list[Path]:
    """Every `<owner>/<sha256>` folder, and any folder of the older flat layout (`<sha256>/<file>`)."""
    found = []
    for owner in sorted(root.iterdir()) if root.is_dir() else []:
        if not owner.is_dir():
            continue
        if owner.name == SHARED_OWNER or owner.name.startswith(SESSION_PREFIX):
            found += [holder for holder in sorted(owner.iterdir()) if holder.is_dir()]
        else:
            found.append(owner)
    return found


def expire(root: Path, ttl_seconds: float, now: float | None = None) -> int:
    """Delete every upload (of any session) kept longer than `ttl_seconds`; return how many were deleted."""
    now = time.time() if now is None else now
    removed = 0
    for holder in _holders(root):
        if now - holder.stat().st_mtime > ttl_seconds:
            shutil.rmtree(holder, ignore_errors=True)
            removed += 1
    for owner in root.iterdir() if root.is_dir() else []:
        if owner.is_dir() and owner.name.startswith(SESSION_PREFIX) and not any(owner.iterdir()):
            owner.rmdir()
    return removed


def listed(policy: UploadPolicy, now: float | None = None) -> dict[str, Path]:
    """This owner's uploads by `upload:<sha12>` key, after deleting every expired one."""
    expire(policy.root, policy.ttl_seconds, now)
    found = {}
    for holder in sorted(policy.directory.iterdir()) if policy.directory.is_dir() else []:
        files = sorted(path for path in holder.iterdir() if not path.name.startswith("_")) if holder.is_dir() else []
        if files:
            found[f"{KEY_PREFIX}{holder.name[:12]}"] = files[0]
    return found


@contextmanager
def quota_lock(root: Path) -> Iterator[None]:
    """Hold the upload folder's lock: quota checks and the writes they allow happen one at a time."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _check_quotas(policy: UploadPolicy, size: int) -> None:
    used = _size(policy.directory)
    if used + size > policy.session_quota:
        raise UploadRefused(
            f"this upload would take this session's files to {(used + size) / _MB:.1f} MB, over its "
            f"{policy.session_quota / _MB:.0f} MB quota (ADOPTION_UPLOAD_QUOTA_MB); files are deleted "
            f"{policy.ttl_seconds / 3600:g} h after upload"
        )
    on_disk = _size(policy.root)
    if on_disk + size > policy.disk_quota:
        raise UploadRefused(
            f"the server's uploads would take {(on_disk + size) / _MB:.1f} MB, over the "
            f"{policy.disk_quota / _MB:.0f} MB it keeps (ADOPTION_UPLOAD_DISK_MB); try again later"
        )


def keep(policy: UploadPolicy, name: str, data: bytes, now: float | None = None) -> Path:
    """Save uploaded bytes under `<owner>/<sha256>/<sanitised name>`; raise UploadRefused over a quota.

    Uploading a file kept already renews it (its expiry counts from now) and costs no quota.
    """
    expire(policy.root, policy.ttl_seconds, now)
    digest = hashlib.sha256(data).hexdigest()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "upload.csv"
    holder = policy.directory / digest
    path = holder / safe[:120]
    with quota_lock(policy.root):
        if not path.exists():
            _check_quotas(policy, len(data))
            holder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    moment = time.time() if now is None else now
    # Expiry counts from the folder's modification time: set it to now, also for a file uploaded again.
    os.utime(holder, (moment, moment))
    return path


def forget(policy: UploadPolicy, path: Path) -> None:
    """Remove an uploaded file that could not be read, so it is not listed."""
    path.unlink(missing_ok=True)
    (path.parent / SCHEMA_NAME).unlink(missing_ok=True)
    if path.parent.parent == policy.directory and not any(path.parent.iterdir()):
        path.parent.rmdir()


def looks_like_schema(name: str, data: bytes) -> bool:
    """True for a Stack Overflow-style schema CSV: named *schema*, or its header has a qname column."""
    header = data[:4096].decode("utf-8-sig", errors="replace").splitlines()[:1]
    columns = [column.strip().strip('"').casefold() for column in header[0].split(",")] if header else []
    return "schema" in name.casefold() or "qname" in columns


def pair_files(files: list[tuple[str, bytes]]) -> tuple[tuple[str, bytes], tuple[str, bytes] | None]:
    """Split one upload into the survey file and its schema file (or None); UploadRefused when it is not that."""
    if not files or len(files) > MAX_FILES:
        raise UploadRefused(f"upload one survey file, or a survey file and its schema file ({len(files)} given)")
    schemas = [file for file in files if looks_like_schema(*file)]
    surveys = [file for file in files if not looks_like_schema(*file)]
    if len(surveys) != 1 or len(schemas) > 1:
        names = ", ".join(name for name, _ in files)
        raise UploadRefused(
            f'cannot tell the survey from its schema among {names}: the schema\'s name holds "schema" '
            "(or its header a qname column), the survey's does not"
        )
    return surveys[0], (schemas[0] if schemas else None)


def keep_beside(policy: UploadPolicy, survey: Path, data: bytes) -> Path:
    """Keep a schema file beside a kept survey (as `_schema.csv`, replacing an earlier one); quotas apply."""
    path = survey.parent / SCHEMA_NAME
    with quota_lock(policy.root):
        old = path.stat().st_size if path.exists() else 0
        if len(data) > old:
            _check_quotas(policy, len(data) - old)
        path.write_bytes(data)
    return path
