"""A loopback Docker Hub (pytest-httpserver) replaying recorded answers, and a fresh store per test."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from collectors.__main__ import main

FIXTURES = Path(__file__).parent / "fixtures"


def recorded(name: str) -> dict:
    """Return a recorded Docker Hub answer from tests/collector/fixtures/ (a fresh copy each time)."""
    files = {
        "ubuntu": "libcloud_v2_repositories_library_ubuntu.json",
        "perceval": "perceval_v2_repositories_grimoirelab_perceval.json",
    }
    return json.loads((FIXTURES / files[name]).read_text(encoding="utf-8"))


def repository(namespace: str, name: str, pull_count: object, **fields: object) -> dict:
    """Return a repository answer shaped like the recorded ubuntu one, with other names and counts."""
    body = copy.deepcopy(recorded("ubuntu"))
    body.update({"user": namespace, "namespace": namespace, "name": name, "pull_count": pull_count})
    body.update(fields)
    return body


@pytest.fixture(scope="session")
def _hub_server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def hub(_hub_server):
    """A threaded HTTP server on 127.0.0.1 that answers like Docker Hub once told what to say."""
    _hub_server.clear()
    _hub_server.no_handler_status_code = 404  # an image nobody told the server about does not exist
    yield _hub_server
    _hub_server.clear()


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Keep retries few and backoff tiny, and keep the caller's own settings out of the tests."""
    monkeypatch.setenv("ADOPTION_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("ADOPTION_HTTP_RETRIES", "3")
    monkeypatch.setenv("ADOPTION_HTTP_RETRY_AFTER_MAX", "5")
    for name in ("DOCKERHUB_API_URL", "DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN", "ADOPTION_DB_URL", "ADOPTION_DB"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_path(tmp_path) -> Path:
    """A path for a fresh SQLite store."""
    return tmp_path / "adoption.db"


@pytest.fixture
def run_cli(capsys):
    """Run `python -m collectors` in-process; return (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


class StoreView:
    """Read a store file back with plain sqlite3, to check exactly what the collector wrote."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql).fetchall()

    def rows(self) -> list[tuple]:
        """Return (namespace, name, pull_count, star_count, run_id) of every snapshot, in name order."""
        return self._query(
            "SELECT i.namespace, i.name, s.pull_count, s.star_count, s.run_id FROM snapshots s "
            "JOIN images i ON i.image_id = s.image_id ORDER BY i.namespace, i.name, s.observed_at"
        )

    def runs(self) -> list[tuple]:
        """Return (run_id, finished, images_requested, images_collected, images_failed) of every run."""
        return self._query(
            "SELECT run_id, finished_at IS NOT NULL, images_requested, images_collected, images_failed "
            "FROM runs ORDER BY run_id"
        )

    def failures(self) -> dict[str, str]:
        """Return {image: reason} of every recorded failure."""
        return dict(self._query("SELECT image, reason FROM run_failures ORDER BY image"))


@pytest.fixture
def store(db_path) -> StoreView:
    """A view on the test's store file."""
    return StoreView(db_path)


@pytest.fixture
def recorded_answer():
    """The function returning a recorded answer by short name ("ubuntu", "perceval")."""
    return recorded


@pytest.fixture
def repo_answer():
    """The function building a repository answer from the recorded ubuntu one."""
    return repository
