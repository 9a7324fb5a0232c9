"""Fixtures for the catalog tests: a loopback hub, quick retries, the collectors command line."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from collectors.__main__ import main as collectors_main


@pytest.fixture(scope="session")
def _catalog_server():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def hub(_catalog_server):
    """A loopback hub, cleared before and after the test."""
    _catalog_server.clear()
    _catalog_server.no_handler_status_code = 404
    yield _catalog_server
    _catalog_server.clear()


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Few retries, tiny backoff, and none of the caller's own settings."""
    monkeypatch.setenv("ADOPTION_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("ADOPTION_HTTP_RETRIES", "3")
    monkeypatch.setenv("ADOPTION_HTTP_RETRY_AFTER_MAX", "5")
    for name in ("DOCKERHUB_API_URL", "DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN", "ADOPTION_DB_URL", "ADOPTION_DB",
                 "ADOPTION_HUB_REQUESTS_PER_MINUTE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run_collectors(capsys):
    """Run `python -m collectors` in-process; return (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = collectors_main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
