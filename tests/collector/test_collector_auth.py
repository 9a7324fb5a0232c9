"""Logging in with a personal access token, and the token never showing in logs, errors or the store."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from werkzeug.wrappers import Response

ROOT = Path(__file__).resolve().parents[2]
USERNAME = "octo-collector"
SECRET = "dckr_pat_S3cr3t-n0t-f0r-l0gs-4b7e"
ACCESS = "eyJhbGciOi.access-token-also-secret.Zm9v"


def serve_auth_hub(hub, repo_answer) -> None:
    """A hub that trades the right token for an access token and wants it on every repository request."""

    def login(request):
        body = json.loads(request.get_data() or b"{}")
        if body == {"identifier": USERNAME, "secret": SECRET}:
            return Response(json.dumps({"access_token": ACCESS}), content_type="application/json")
        return Response('{"detail": "Incorrect authentication credentials"}', status=401)

    def repository(request):
        if request.headers.get("Authorization") != f"Bearer {ACCESS}":
            return Response('{"detail": "authentication required"}', status=401)
        return Response(json.dumps(repo_answer("acme", "private-tool", 31)), content_type="application/json")

    hub.expect_request("/v2/auth/token", method="POST").respond_with_handler(login)
    hub.expect_request("/v2/namespaces/acme/repositories/private-tool").respond_with_handler(repository)


def all_bytes_under(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def test_a_token_is_exchanged_and_the_bearer_used(hub, repo_answer, run_cli, db_path, store, monkeypatch):
    serve_auth_hub(hub, repo_answer)
    monkeypatch.setenv("DOCKERHUB_USERNAME", USERNAME)
    monkeypatch.setenv("DOCKERHUB_TOKEN", SECRET)
    flags = ("--image", "acme/private-tool", "--db", str(db_path), "--api-url", hub.url_for(""))
    code, _, err = run_cli("dockerhub", *flags)
    assert (code, err) == (0, "")
    assert [row[:3] for row in store.rows()] == [("acme", "private-tool", 31)]
    assert [request.path for request, _ in hub.log] == [
        "/v2/auth/token",
        "/v2/namespaces/acme/repositories/private-tool",
    ]


def test_the_token_never_reaches_logs_output_or_store(hub, repo_answer, db_path, tmp_path, caplog, capfd, monkeypatch):
    serve_auth_hub(hub, repo_answer)
    monkeypatch.setenv("DOCKERHUB_USERNAME", USERNAME)
    monkeypatch.setenv("DOCKERHUB_TOKEN", SECRET)
    caplog.set_level(logging.DEBUG)
    from collectors.__main__ import main

    # -vv logs every request; one image succeeds and one fails, so errors are written too.
    code = main(["dockerhub", "-vv", "--image", "acme/private-tool", "--image", "acme/missing",
                 "--db", str(db_path), "--api-url", hub.url_for("")])  # fmt: skip
    captured = capfd.readouterr()
    assert code == 1
    assert "acme/missing" in captured.err
    assert any("private-tool" in message for message in caplog.messages)
    for secret in (SECRET, ACCESS):
        assert secret not in caplog.text
        assert secret not in captured.out + captured.err
        assert secret.encode() not in all_bytes_under(tmp_path)


def test_the_token_stays_out_of_a_real_processes_stderr(hub, repo_answer, db_path, tmp_path):
    serve_auth_hub(hub, repo_answer)
    env = {**os.environ, "DOCKERHUB_USERNAME": USERNAME, "DOCKERHUB_TOKEN": SECRET}
    result = subprocess.run(
        [sys.executable, "-m", "collectors", "dockerhub", "-vv", "--image", "acme/private-tool",
         "--db", str(db_path), "--api-url", hub.url_for("")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "/v2/namespaces/acme/repositories/private-tool" in result.stderr  # the request log is there...
    assert SECRET not in result.stdout + result.stderr  # ...and the secrets are not
    assert ACCESS not in result.stdout + result.stderr
    assert SECRET.encode() not in all_bytes_under(tmp_path)


def test_a_refused_login_is_a_usage_error_without_the_secret(hub, repo_answer, run_cli, db_path, monkeypatch):
    serve_auth_hub(hub, repo_answer)
    monkeypatch.setenv("DOCKERHUB_USERNAME", USERNAME)
    monkeypatch.setenv("DOCKERHUB_TOKEN", "dckr_pat_wrong-and-private")
    flags = ("--image", "acme/private-tool", "--db", str(db_path), "--api-url", hub.url_for(""))
    code, out, err = run_cli("dockerhub", *flags)
    assert code == 2
    assert err.startswith(f"error: login to Docker Hub as {USERNAME} failed: refused (HTTP 401)")
    assert "wrong-and-private" not in out + err


def test_a_username_without_a_token_is_a_usage_error(run_cli, db_path, monkeypatch):
    monkeypatch.setenv("DOCKERHUB_USERNAME", USERNAME)
    code, _, err = run_cli("dockerhub", "--image", "nginx", "--db", str(db_path))
    assert code == 2 and "set both DOCKERHUB_USERNAME and DOCKERHUB_TOKEN" in err
