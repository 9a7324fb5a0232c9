"""Crash safety: SIGKILL mid-run keeps finished snapshots, leaves the run incomplete, and a rerun completes it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from werkzeug.wrappers import Response

from store import open_store

ROOT = Path(__file__).resolve().parents[2]
IMAGES = [f"image{number:02d}" for number in range(1, 13)]
ANSWERED_AT_ONCE = 5


class StallAfter:
    """Answer the first images at once, then hold every answer until released."""

    def __init__(self, answered_at_once: int) -> None:
        self.answered_at_once = answered_at_once
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.stalled = threading.Event()
        self.release = threading.Event()

    def __call__(self, request) -> Response:
        name = request.path.strip("/").split("/")[-1]
        with self.lock:
            self.requests.append(name)
            stall = IMAGES.index(name) >= self.answered_at_once
        if stall:
            self.stalled.set()
            self.release.wait(30)
        body = f'{{"namespace": "library", "name": "{name}", "pull_count": {1000 + IMAGES.index(name)}}}'
        return Response(body, content_type="application/json")


def wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the collector did not get there in time"
        time.sleep(0.05)


def test_sigkill_mid_run_keeps_finished_work_and_a_rerun_completes_it(hub, db_path, store):
    server = StallAfter(ANSWERED_AT_ONCE)
    hub.expect_request(re.compile(r"^/v2/namespaces/library/repositories/[^/]+$")).respond_with_handler(server)
    flags = [arg for image in IMAGES for arg in ("--image", image)]
    command = [sys.executable, "-m", "collectors", "dockerhub", *flags, "--db", str(db_path),
               "--api-url", hub.url_for(""), "--workers", "1"]  # fmt: skip
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    collector = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), **quiet)
    try:
        wait_for(lambda: server.stalled.is_set() and db_path.exists() and len(store.rows()) == ANSWERED_AT_ONCE)
        collector.send_signal(signal.SIGKILL)
        collector.wait(timeout=30)
    finally:
        collector.kill()
        server.release.set()
    assert collector.returncode == -signal.SIGKILL

    # The store still opens, is sound, holds every finished snapshot, and says the run did not finish.
    engine = open_store(f"sqlite:///{db_path}")
    with engine.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert store.rows() == [("library", name, 1000 + i, None, 1) for i, name in enumerate(IMAGES[:ANSWERED_AT_ONCE])]
    runs = engine.read_runs()
    assert runs[["run_id", "complete"]].values.tolist() == [[1, False]]
    assert runs["finished_at"].isna().all()
    engine.close()

    # The same command again completes the interrupted run: only the rest is fetched.
    server.requests.clear()
    rerun = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(server.requests) == IMAGES[ANSWERED_AT_ONCE:]
    assert store.rows() == [("library", name, 1000 + i, None, 1) for i, name in enumerate(IMAGES)]
    assert store.runs() == [(1, 1, len(IMAGES), len(IMAGES), 0)]
    assert "resumed" in rerun.stdout


def test_a_finished_run_is_not_resumed(hub, repo_answer, run_cli, db_path, store):
    hub.expect_request("/v2/namespaces/library/repositories/nginx").respond_with_json(
        repo_answer("library", "nginx", 7)
    )
    for _ in range(2):
        assert run_cli("dockerhub", "--image", "nginx", "--db", str(db_path), "--api-url", hub.url_for(""))[0] == 0
    assert store.runs() == [(1, 1, 1, 1, 0), (2, 1, 1, 1, 0)]
    assert len(hub.log) == 2


def test_resume_within_0_starts_a_new_run(hub, repo_answer, run_cli, db_path, store):

    hub.expect_request("/v2/namespaces/library/repositories/nginx").respond_with_json(
        repo_answer("library", "nginx", 7)
    )
    code, _, _ = run_cli("dockerhub", "--image", "nginx", "--db", str(db_path), "--api-url", hub.url_for(""))
    assert code == 0
    # An interrupted run of the same request, as a killed collector would leave it.
    engine = open_store(f"sqlite:///{db_path}")
    with engine.engine.connect() as connection:
        source = connection.exec_driver_sql("SELECT source FROM runs").scalar()
    engine.start_run("collect", 1, source=source)
    engine.close()
    flags = ("--image", "nginx", "--db", str(db_path), "--api-url", hub.url_for(""), "--resume-within", "0")
    assert run_cli("dockerhub", *flags)[0] == 0
    assert store.runs() == [(1, 1, 1, 1, 0), (2, 0, 1, 0, 0), (3, 1, 1, 1, 0)]
