"""Hostile stores and hostile folders: built by each test, never taken from outside."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def make_read_only() -> Iterator[Callable[[Path], Path]]:
    """A function making a folder (with what it holds) read-only: chmod 555, or a read-only bind mount as root."""
    undo: list[Callable[[], object]] = []

    def make(folder: Path) -> Path:
        if os.geteuid() != 0:
            folder.chmod(0o555)
            undo.append(lambda: folder.chmod(0o755))
            return folder
        # root writes through permission bits: only a read-only mount stops it.
        if not _mount("--bind", str(folder), str(folder)):
            pytest.skip("running as root without permission to mount a read-only folder")
        undo.append(lambda: subprocess.run(["umount", "--lazy", str(folder)], check=True))
        if not _mount("-o", "remount,ro,bind", str(folder)):
            pytest.skip("running as root without permission to remount a folder read-only")
        return folder

    yield make
    for step in reversed(undo):
        step()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs: a disk that fills up (skipped where mounting is not allowed)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)):
        pytest.skip("mounting a small tmpfs needs root; the max_page_count test covers a full store")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the bundled histories and images whose names are HTML (built once)."""
    from collectors.bundled import ensure_bundled_history
    from store import open_store
    from tests.hostile.hostile_helpers import hostile_snapshots

    path = tmp_path_factory.mktemp("hostile-seed") / "adoption.db"
    engine = open_store(f"sqlite:///{path}")
    ensure_bundled_history(engine)
    engine.save_snapshots(hostile_snapshots())
    engine.close()
    return path


@pytest.fixture
def app(seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The dashboard, not yet run, on a private copy of the hostile store and an empty upload folder."""
    import shutil

    from streamlit.testing.v1 import AppTest

    from tests.hostile.hostile_helpers import ROOT

    path = tmp_path / "adoption.db"
    shutil.copy(seeded_store, path)
    monkeypatch.setenv("ADOPTION_DB", str(path))
    monkeypatch.delenv("ADOPTION_DB_URL", raising=False)
    monkeypatch.delenv("ADOPTION_SHARED_UPLOADS", raising=False)
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ADOPTION_ALLOW_COLLECT", "0")
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own cache folder (parsed surveys, uploads, stores that passed their check)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(folder))
    return folder
