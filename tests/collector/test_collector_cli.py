"""`python -m collectors dockerhub` end to end: a misbehaving loopback Docker Hub, a real SQLite store."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.wrappers import Response

NGINX_PULLS = 12_981_954_060
INT32_CAP = 2_147_483_647
ROOT = Path(__file__).resolve().parents[2]


def serve_misbehaving_hub(hub, repo_answer, recorded_answer) -> threading.Event:
    """Serve every fault the collector must survive; return the event that frees the slow answer."""
    repos = "/v2/namespaces/library/repositories"
    hub.expect_request(f"{repos}/ubuntu").respond_with_json(recorded_answer("ubuntu"))
    hub.expect_request(f"{repos}/nginx").respond_with_json(repo_answer("library", "nginx", NGINX_PULLS))
    hub.expect_oneshot_request(f"{repos}/redis").respond_with_data("", status=429, headers={"Retry-After": "1"})
    hub.expect_request(f"{repos}/redis").respond_with_json(repo_answer("library", "redis", INT32_CAP, star_count=9))
    hub.expect_oneshot_request(f"{repos}/postgres").respond_with_data(
        "", status=429, headers={"X-Retry-After": str(int(time.time()) + 1)}
    )
    hub.expect_request(f"{repos}/postgres").respond_with_json(repo_answer("library", "postgres", 1_000_000_001))
    for _ in range(2):
        hub.expect_oneshot_request(f"{repos}/alpine").respond_with_data("Service Unavailable", status=503)
    hub.expect_request(f"{repos}/alpine").respond_with_json(repo_answer("library", "alpine", 9_876_543_210))
    hub.expect_request(f"{repos}/broken").respond_with_data("<html>maintenance</html>", content_type="text/html")
    release = threading.Event()

    def slow(_request):
        release.wait(3.0)
        return Response("{}", content_type="application/json")

    hub.expect_request(f"{repos}/slow").respond_with_handler(slow)
    pages = [["perceval", "sortinghat"], ["kingarthur", "grimoirelab"], ["mordred"]]
    path = "/v2/namespaces/grimoirelab/repositories"
    for number, names in enumerate(pages, start=1):
        body = {
            "count": 5,
            "next": None if number == 3 else hub.url_for(f"{path}?page={number + 1}&page_size=100"),
            "results": [{"name": name, "namespace": "grimoirelab", "pull_count": len(name)} for name in names],
        }
        query = {"page_size": "100"} if number == 1 else {"page": str(number), "page_size": "100"}
        hub.expect_request(path, query_string=query).respond_with_json(body)
    return release


def test_a_misbehaving_hub_saves_every_reachable_image_and_names_the_rest(
    hub, repo_answer, recorded_answer, run_cli, db_path, store
):
    release = serve_misbehaving_hub(hub, repo_answer, recorded_answer)
    images = ["ubuntu", "library/nginx", "redis", "postgres", "alpine", "nope", "broken", "slow"]
    flags = [arg for image in images for arg in ("--image", image)]
    try:
        code, out, err = run_cli(
            "dockerhub", *flags, "--namespace", "grimoirelab", "--db", str(db_path),
            "--api-url", hub.url_for("/"), "--timeout", "0.5", "--workers", "4",
        )  # fmt: skip
    finally:
        release.set()
    assert code == 1
    assert store.rows() == [
        ("grimoirelab", "grimoirelab", 11, None, 1),
        ("grimoirelab", "kingarthur", 10, None, 1),
        ("grimoirelab", "mordred", 7, None, 1),
        ("grimoirelab", "perceval", 8, None, 1),
        ("grimoirelab", "sortinghat", 10, None, 1),
        ("library", "alpine", 9_876_543_210, 2954, 1),
        ("library", "nginx", NGINX_PULLS, 2954, 1),
        ("library", "postgres", 1_000_000_001, 2954, 1),
        ("library", "redis", INT32_CAP, 9, 1),
        ("library", "ubuntu", 37627788, 2954, 1),
    ]
    failed = dict(re.findall(r"^failed: (\S+): (.+)$", err, flags=re.MULTILINE))
    assert sorted(failed) == ["library/broken", "library/nope", "library/slow"]
    assert "HTTP 404" in failed["library/nope"]
    assert "not JSON" in failed["library/broken"]
    assert "no complete answer within 0.5 s" in failed["library/slow"]
    assert store.failures() == failed
    assert store.runs() == [(1, 1, 13, 10, 3)]
    assert "collected 10 of 13 images" in out


def test_every_image_collected_exits_0(hub, repo_answer, run_cli, db_path, store):
    hub.expect_request("/v2/namespaces/library/repositories/nginx").respond_with_json(
        repo_answer("library", "nginx", 7)
    )
    hub.expect_request("/v2/namespaces/bitnami/repositories/redis").respond_with_json(
        repo_answer("bitnami", "redis", 8)
    )
    code, out, err = run_cli(
        "dockerhub", "--image", "nginx", "--image", "bitnami/redis", "--image", "library/nginx",
        "--db", str(db_path), "--api-url", hub.url_for(""),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert [row[:3] for row in store.rows()] == [("bitnami", "redis", 8), ("library", "nginx", 7)]
    assert store.runs() == [(1, 1, 2, 2, 0)]
    assert store.failures() == {}


def test_api_url_and_store_come_from_the_environment(hub, repo_answer, run_cli, db_path, store, monkeypatch):
    hub.expect_request("/v2/namespaces/library/repositories/nginx").respond_with_json(
        repo_answer("library", "nginx", 7)
    )
    monkeypatch.setenv("DOCKERHUB_API_URL", hub.url_for(""))
    monkeypatch.setenv("ADOPTION_DB", str(db_path))
    assert run_cli("dockerhub", "--image", "nginx")[0] == 0
    assert [row[:3] for row in store.rows()] == [("library", "nginx", 7)]


def serve_any_repository(hub) -> None:
    """Answer every /v2/namespaces/NS/repositories/NAME with a count of len(NAME)."""

    def answer(request):
        _, _, namespace, _, name = request.path.strip("/").split("/")
        return Response(f'{{"namespace": "{namespace}", "name": "{name}", "pull_count": {len(name)}}}')

    hub.expect_request(re.compile(r"^/v2/namespaces/[^/]+/repositories/[^/]+$")).respond_with_handler(answer)


def test_without_images_the_default_watchlist_is_collected(hub, run_cli, db_path, store):
    serve_any_repository(hub)
    code, _, err = run_cli("dockerhub", "--db", str(db_path), "--api-url", hub.url_for(""))
    assert (code, err) == (0, "")
    listed = [line.split("#")[0].strip() for line in (ROOT / "data" / "watchlist.txt").read_text().splitlines()]
    expected = sorted(("library", entry) if "/" not in entry else tuple(entry.split("/")) for entry in listed if entry)
    assert [row[:2] for row in store.rows()] == expected
    assert {"ubuntu", "nginx", "alpine", "redis", "postgres", "node", "python", "traefik"} <= {n for _, n in expected}


def test_a_watchlist_file_with_comments(hub, run_cli, db_path, store, tmp_path):
    serve_any_repository(hub)
    watchlist = tmp_path / "images.txt"
    watchlist.write_text("# talks\nnginx   # the web server\n\n  grafana/grafana\n", encoding="utf-8")
    code, _, _ = run_cli("dockerhub", "--watchlist", str(watchlist), "--db", str(db_path), "--api-url", hub.url_for(""))
    assert code == 0
    assert [row[:3] for row in store.rows()] == [("grafana", "grafana", 7), ("library", "nginx", 5)]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--image", "a/b/c"], "not an image name"),
        (["--image", "../etc"], "not a Docker Hub name"),
        (["--namespace", "bad name"], "not a Docker Hub name"),
        (["--watchlist", "/nonexistent/list.txt"], "watchlist not found"),
        (["--image", "nginx", "--workers", "0"], "--workers must be between 1 and 64"),
        (["--image", "nginx", "--timeout", "0"], "--timeout must be a positive"),
        (["--image", "nginx", "--api-url", "hub.docker.com"], "API URL must look like"),
    ],
)
def test_usage_errors_exit_2_with_one_line(run_cli, db_path, flags, message):
    code, out, err = run_cli("dockerhub", "--db", str(db_path), *flags)
    assert code == 2
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert not db_path.exists()


def test_an_empty_watchlist_is_a_usage_error(run_cli, db_path, tmp_path):
    watchlist = tmp_path / "empty.txt"
    watchlist.write_text("# nothing yet\n", encoding="utf-8")
    code, _, err = run_cli("dockerhub", "--watchlist", str(watchlist), "--db", str(db_path))
    assert code == 2 and "lists no images" in err


def test_an_unknown_flag_exits_2(run_cli):
    with pytest.raises(SystemExit) as exit_info:
        run_cli("dockerhub", "--no-such-flag")
    assert exit_info.value.code == 2


@pytest.mark.parametrize("command", [[], ["dockerhub"]])
def test_every_command_prints_help(command):
    result = subprocess.run(
        [sys.executable, "-m", "collectors", *command, "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m collectors")
    if command:
        for flag in ("--image", "--namespace", "--watchlist", "--db", "--api-url", "--workers", "--timeout"):
            assert flag in result.stdout
        assert "DOCKERHUB_TOKEN" in result.stdout
    else:
        assert "dockerhub" in result.stdout


def test_an_answer_without_some_details_keeps_those_stored_before(hub, repo_answer, run_cli, db_path):
    flags = ("--image", "nginx", "--db", str(db_path), "--api-url", hub.url_for(""), "--resume-within", "0")
    full = repo_answer("library", "nginx", 7, date_registered="2014-06-05T19:14:45Z", repository_type="image")
    hub.expect_oneshot_request("/v2/namespaces/library/repositories/nginx").respond_with_json(full)
    assert run_cli("dockerhub", *flags)[0] == 0
    hub.expect_oneshot_request("/v2/namespaces/library/repositories/nginx").respond_with_json(
        repo_answer("library", "nginx", 8)
    )
    assert run_cli("dockerhub", *flags)[0] == 0
    with sqlite3.connect(db_path) as connection:
        details = connection.execute("SELECT date_registered, repository_type, is_private FROM images").fetchall()
    assert details == [("2014-06-05T19:14:45Z", "image", 0)]
