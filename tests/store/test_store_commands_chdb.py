"""Every README command works with `--db chdb:///PATH`, printing what it prints on SQLite; the dashboard opens on it.

Each command runs in its own process, as a person runs it (chDB lets one process use a store at a time):
collect against a loopback hub, import-history, a catalog snapshot, then pulls, rank, milestone, lift,
snapshots and the catalog views, each compared word for word with the same command on a SQLite store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.catalog.catalog_hub import small_catalog
from tests.collector.conftest import repository

pytestmark = pytest.mark.chdb
ROOT = Path(__file__).resolve().parents[2]
FALCO = ROOT / "data" / "pull_history" / "issif_docker-pulls-scraper" / "falcosecurity_falco.csv"
READS = [
    ["pulls", "--image", "falcosecurity/falco", "--freq", "month", "--since", "2025-01-01"],
    ["rank", "--by", "growth", "--window", "30d", "--top", "10"],
    ["milestone", "--image", "falcosecurity/falco", "--target", "100000000"],
    ["lift", "--image", "falcosecurity/falco", "--date", "2025-06-17", "--days", "14"],
    ["snapshots", "--image", "falcosecurity/falco", "--format", "csv"],
    ["catalog", "threshold", "--pulls", "10M"],
    ["catalog", "distribution", "--format", "csv"],
    ["catalog", "total", "--format", "json"],
]


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ADOPTION_DB", "DOCKERHUB_"))}
    return env | {"ADOPTION_HTTP_BACKOFF": "0.01", "ADOPTION_HTTP_RETRIES": "2"}


def _run(module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env or _env(), capture_output=True, text=True, timeout=300
    )


def _fill(db: str, hub) -> None:  # noqa: ANN001
    collected = _run("collectors", "dockerhub", "--image", "nginx", "--db", db, "--api-url", hub.url_for("/"))
    assert collected.returncode == 0, collected.stderr
    imported = _run("collectors", "import-history", str(FALCO), "--db", db)
    assert imported.returncode == 0, imported.stderr
    again = _run("collectors", "import-history", str(FALCO), "--db", db)
    assert again.returncode == 0, again.stderr
    catalog = _run("collectors", "dockerhub-catalog", "--top", "120", "--db", db, "--api-url", hub.url_for(""))
    assert catalog.returncode == 0, catalog.stderr


@pytest.fixture
def hub(httpserver):  # noqa: ANN001, ANN201
    """A loopback hub answering nginx's repository (both API shapes) and a small catalog."""
    answer = repository("library", "nginx", 12_981_954_060)
    httpserver.expect_request("/v2/repositories/library/nginx/").respond_with_json(answer)
    httpserver.expect_request("/v2/namespaces/library/repositories/nginx").respond_with_json(answer)
    small_catalog().serve(httpserver)
    return httpserver


def test_every_readme_command_prints_the_same_on_chdb_as_on_sqlite(hub, chdb_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    sqlite = str(tmp_path / "same.db")
    for db in (chdb_url, sqlite):
        _fill(db, hub)
    for args in READS:
        on_chdb = _run("analysis", *args, "--db", chdb_url)
        on_sqlite = _run("analysis", *args, "--db", sqlite)
        assert on_chdb.returncode == on_sqlite.returncode == 0, (args, on_chdb.stderr, on_sqlite.stderr)
        assert on_chdb.stdout == on_sqlite.stdout, args
        assert on_chdb.stdout.strip(), args
    nginx = _run("analysis", "snapshots", "--image", "nginx", "--format", "json", "--db", chdb_url)
    assert [row["pull_count"] for row in json.loads(nginx.stdout)] == [12_981_954_060]


DASHBOARD = """
import json, sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file(sys.argv[1], default_timeout=180)
app.run()
seen = {}
for page in ("app_pages/overview.py", "app_pages/pulls.py", "app_pages/catalog.py"):
    app.switch_page(page).run()
    seen[page] = {"exceptions": [e.value for e in app.exception], "errors": [e.value for e in app.error],
                  "images": list(app.multiselect(key="pulls_images").value) if page.endswith("pulls.py") else []}
print(json.dumps(seen))
"""


def test_the_dashboard_opens_on_a_chdb_store(hub, chdb_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    _fill(chdb_url, hub)
    env = _env() | {"ADOPTION_DB_URL": chdb_url, "ADOPTION_CACHE_DIR": str(tmp_path / "cache"), "ADOPTION_WARM_UP": "0"}
    shown = subprocess.run(
        [sys.executable, "-c", DASHBOARD, str(ROOT / "app.py")], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr[-3000:]
    pages = json.loads(shown.stdout.strip().splitlines()[-1])
    for page, seen in pages.items():
        assert seen["exceptions"] == [] and seen["errors"] == [], (page, seen)
    assert "falcosecurity/falco" in pages["app_pages/pulls.py"]["images"]


def test_without_the_clickhouse_packages_a_chdb_store_is_one_line_saying_what_to_install(tmp_path: Path) -> None:
    blocked = (
        "import sys, runpy; sys.modules['chdb'] = None; sys.modules['chdb.session'] = None; "
        "sys.argv = ['analysis', 'snapshots', '--db', sys.argv[1]]; runpy.run_module('analysis', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocked, f"chdb://{tmp_path / 'x'}"], cwd=ROOT, env=_env(), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "pip install -r requirements-clickhouse.txt" in result.stderr
    sqlite = _run("analysis", "snapshots", "--db", str(tmp_path / "plain.db"), "--format", "json")
    assert sqlite.returncode == 0 and sqlite.stdout.strip() == "[]"
