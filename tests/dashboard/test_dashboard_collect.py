"""The "collect now" button runs the real collector against a Docker Hub on loopback."""

from __future__ import annotations

import pandas as pd
from pytest_httpserver import HTTPServer
from streamlit.testing.v1 import AppTest

from dashboard import collect
from store import open_store
from store.snapshots import read_snapshots

PULLS = "app_pages/pulls.py"


def _repository(namespace: str, name: str, pull_count: int) -> dict:
    return {
        "namespace": namespace,
        "name": name,
        "pull_count": pull_count,
        "star_count": 3,
        "last_updated": "2026-08-09T10:00:00.000000Z",
        "date_registered": "2023-10-17T00:00:00.000000Z",
        "repository_type": "image",
        "is_private": False,
        "description": "test image",
        "status": 1,
    }


def test_collect_now_saves_new_snapshots_and_names_failures(
    app: AppTest, store_copy, httpserver: HTTPServer, monkeypatch
) -> None:
    httpserver.expect_request("/v2/repositories/issif/cercat/").respond_with_json(
        _repository("issif", "cercat", 180_000)
    )
    httpserver.expect_request("/v2/repositories/issif/tcpdump/").respond_with_json({"message": "not found"}, status=404)
    monkeypatch.setenv("DOCKERHUB_API_URL", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("ADOPTION_ALLOW_COLLECT", "1")
    app.run()
    app.switch_page(PULLS).run()
    app.multiselect(key="pulls_images").set_value(["issif/cercat", "issif/tcpdump"]).run()
    button = next(b for b in app.button if b.label.startswith("Collect now"))
    assert not button.disabled
    button.click().run()
    assert not app.exception
    assert any("exit code 1" in error.value for error in app.error)
    assert any("issif/tcpdump" in code.value for code in app.code)
    saved = read_snapshots(open_store(f"sqlite:///{store_copy}"), ["issif/cercat"])
    assert saved["pull_count"].iloc[-1] == 180_000
    assert saved["observed_at"].iloc[-1] > pd.Timestamp("2026-08-08", tz="UTC")


def test_progress_is_reported_per_image(monkeypatch, tmp_path) -> None:
    script = tmp_path / "fake_collector.py"
    script.write_text(
        "import sys\nprint('INFO collectors: a/b: 5 pulls', file=sys.stderr)\n"
        "print('failed: c/d: 404 not found', file=sys.stderr)\nsys.exit(1)\n"
    )
    monkeypatch.setattr(collect, "collector_command", lambda images: ["python", str(script)])
    seen: list[tuple[int, int]] = []
    result = collect.run_collector(["a/b", "c/d"], "sqlite://", lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    assert result.exit_code == 1 and "failed: c/d" in result.output


def test_collect_is_allowed_unless_switched_off(monkeypatch) -> None:
    monkeypatch.delenv(collect.ENV_ALLOW, raising=False)
    assert collect.allowed()
    for value in ("0", "false", "off"):
        monkeypatch.setenv(collect.ENV_ALLOW, value)
        assert not collect.allowed()
