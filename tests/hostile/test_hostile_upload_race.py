"""Races on the upload quota: many browser sessions (threads) and several servers (processes) at once.

The quota check is widened on purpose (a short pause between the check and the write it allows), so that
without the folder's lock every uploader passes the check before any has written, as happened with 16
sessions keeping 24-40 MB under a 20 MB quota.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from dashboard import uploads

MB = 1024 * 1024
_original_check = uploads._check_quotas


def _slow_check(policy: uploads.UploadPolicy, size: int) -> None:
    _original_check(policy, size)
    time.sleep(0.05)  # widens the window between check and write; never asserted on


def _upload(root: Path, session: int, size: int) -> bool:
    policy = uploads.UploadPolicy(root, f"session-{session:02d}", 100 * MB, 20 * MB, 3600)
    try:
        uploads.keep(policy, f"survey{session}.csv", bytes([65 + session % 26]) * size + str(session).encode())
    except uploads.UploadRefused:
        return False
    return True


def _kept_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*.csv"))


def test_sixteen_sessions_uploading_at_once_stay_under_the_disk_quota(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(uploads, "_check_quotas", _slow_check)
    start = threading.Barrier(16)
    kept: list[bool] = []

    def session(number: int) -> None:
        start.wait()
        kept.append(_upload(tmp_path, number, 2 * MB))

    workers = [threading.Thread(target=session, args=(number,)) for number in range(16)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(kept) == 9  # 9 x (2 MB + 2 bytes) fit in 20 MB, a tenth would not
    assert _kept_bytes(tmp_path) <= 20 * MB


def _server(root: str, first: int, ready, results) -> None:
    ready.wait()
    results.put([_upload(Path(root), number, 3 * MB) for number in range(first, first + 2)])


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_several_server_processes_share_one_disk_quota(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(uploads, "_check_quotas", _slow_check)  # forked servers inherit the widened check
    context = multiprocessing.get_context("fork")
    ready, results = context.Barrier(6), context.Queue()
    servers = [context.Process(target=_server, args=(str(tmp_path), 2 * n, ready, results)) for n in range(6)]
    for server in servers:
        server.start()
    outcomes = [kept for _ in servers for kept in results.get(timeout=120)]
    for server in servers:
        server.join(timeout=60)
    assert sum(outcomes) == 6  # 6 x 3 MB fit in 20 MB, a seventh would not
    assert _kept_bytes(tmp_path) <= 20 * MB
