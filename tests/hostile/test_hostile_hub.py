"""Hostile Docker Hubs (issue 14, items 8, 10, 11 and 12): no hang, no leaked token, no foreign writes.

Every server is on 127.0.0.1: pytest-httpserver for whole answers, a raw socket server (RawHub)
for answers that drip. No test asserts on wall-clock time; the timeout marks only turn a hang
(the behaviour before the fix) into a failure.
"""

from __future__ import annotations

import json
import re

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from collectors.__main__ import main
from collectors.dockerhub.api import DockerHubError, HubClient, fetch_repository
from collectors.dockerhub.guard import origin
from collectors.dockerhub.http import RetrySettings
from tests.hostile.hub_servers import (
    RawHub,
    StoreView,
    answer,
    drip_body,
    drip_status_line,
    endless_headers,
    json_answer,
)

USERNAME = "octo-collector"
SECRET = "dckr_pat_H0st1le-r3d1rect-n0t-f0r-y0u"
ACCESS = "eyJhbGciOi.bearer-for-the-api-host-only.Zm9v"
LISTING = "/v2/namespaces/{}/repositories"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """One retry, tiny backoff, and none of the caller's own settings."""
    monkeypatch.setenv("ADOPTION_HTTP_RETRIES", "1")
    monkeypatch.setenv("ADOPTION_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("ADOPTION_HTTP_RETRY_AFTER_MAX", "1")
    for name in ("DOCKERHUB_API_URL", "DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN", "ADOPTION_DB_URL", "ADOPTION_DB"):
        monkeypatch.delenv(name, raising=False)


def _server() -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.no_handler_status_code = 404
    server.start()
    return server


@pytest.fixture
def hub():
    """The API host."""
    server = _server()
    yield server
    server.stop()


@pytest.fixture
def elsewhere():
    """Another origin on loopback (another port); it records every request that reaches it."""
    server = _server()
    seen: list[Request] = []

    def record(request: Request) -> Response:
        seen.append(request)
        return Response(json.dumps({"access_token": "stolen"}), content_type="application/json")

    server.expect_request(re.compile(".*")).respond_with_handler(record)
    server.seen = seen
    yield server
    server.stop()


@pytest.fixture
def raw_hub():
    """A socket server whose answers can drip (see tests/hostile/hub_servers.py)."""
    server = RawHub()
    yield server
    server.close()


@pytest.fixture
def store(tmp_path):
    """A view on the test's SQLite store."""
    view = StoreView(f"sqlite:///{tmp_path / 'adoption.db'}")
    yield view
    view.close()


@pytest.fixture
def run_cli(capsys, tmp_path):
    """Run `python -m collectors dockerhub` in-process on the test's store; return (exit code, stdout, stderr)."""

    def run(api_url: str, *args: str) -> tuple[int, str, str]:
        code = main(["dockerhub", "--db", str(tmp_path / "adoption.db"), "--api-url", api_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def failures_on_stderr(err: str) -> dict[str, str]:
    return dict(re.findall(r"^failed: (.+?): (.+)$", err, flags=re.MULTILINE))


# Item 8: a total deadline on every exchange.


@pytest.mark.timeout(60)
@pytest.mark.parametrize("behaviour", [drip_body, endless_headers, drip_status_line])
def test_a_server_that_drips_its_answer_fails_the_request_at_the_deadline(raw_hub, behaviour):
    raw_hub.routes["/v2/namespaces/library/repositories/slow"] = behaviour
    client = HubClient(raw_hub.url(), timeout=1, retry=RetrySettings(retries=1, backoff=0.01))
    with pytest.raises(DockerHubError, match=r"^no complete answer within 1 s \(\d attempts?\)"):
        fetch_repository(client, "library", "slow")


@pytest.mark.timeout(60)
def test_a_dripping_image_is_its_own_recorded_failure_and_the_run_finishes(raw_hub, run_cli, store):
    raw_hub.routes["/v2/namespaces/library/repositories/slow"] = drip_body
    raw_hub.routes["/v2/namespaces/library/repositories/headers"] = endless_headers
    raw_hub.routes["/v2/namespaces/library/repositories/fine"] = json_answer(answer("library", "fine", 42))
    images = ("--image", "slow", "--image", "headers", "--image", "fine")
    code, out, err = run_cli(raw_hub.url(), *images, "--timeout", "1", "--workers", "3")
    assert code == 1
    assert store.rows() == [("library", "fine", 42)]
    failed = failures_on_stderr(err)
    assert sorted(failed) == ["library/headers", "library/slow"]
    assert all(reason.startswith("no complete answer within 1 s") for reason in failed.values())
    assert store.failures() == failed
    assert store.runs() == [(True, 3, 1, 2)]
    assert "collected 1 of 3 images" in out


@pytest.mark.timeout(60)
def test_a_login_that_drips_is_a_usage_error_not_a_hang(raw_hub, run_cli, monkeypatch):
    raw_hub.routes["/v2/auth/token"] = drip_body
    monkeypatch.setenv("DOCKERHUB_USERNAME", USERNAME)
    monkeypatch.setenv("DOCKERHUB_TOKEN", SECRET)
    code, _, err = run_cli(raw_hub.url(), "--image", "fine", "--timeout", "1")
    assert code == 2
    assert "login to Docker Hub as octo-collector failed: no complete answer within 1 s" in err
    assert SECRET not in err


# Item 10: credentials never follow a redirect to another origin.


def _login_with_credentials(monkeypatch) -> None:
    monkeypatch.setenv("DOCKERHUB_USERNAME", USERNAME)
    monkeypatch.setenv("DOCKERHUB_TOKEN", SECRET)


@pytest.mark.parametrize("status", [307, 308, 302])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_login_redirected_to_another_host_never_reaches_it(hub, elsewhere, run_cli, monkeypatch, status, host):
    target = f"http://{host}:{elsewhere.port}/v2/auth/token"
    hub.expect_request("/v2/auth/token", method="POST").respond_with_data(
        "", status=status, headers={"Location": target}
    )
    _login_with_credentials(monkeypatch)
    code, out, err = run_cli(hub.url_for(""), "--image", "acme/tool")
    assert code == 2
    assert "login to Docker Hub as octo-collector failed: answer redirects to another host" in err
    assert elsewhere.seen == []  # neither the token in the body nor anything else went there
    assert SECRET not in out + err


def test_a_redirect_to_the_same_port_under_another_host_name_is_refused(hub, run_cli, monkeypatch):
    target = f"http://localhost:{hub.port}/v2/auth/token"
    hub.expect_request("/v2/auth/token", method="POST").respond_with_data("", status=307, headers={"Location": target})
    _login_with_credentials(monkeypatch)
    code, _, err = run_cli(hub.url_for(""), "--image", "acme/tool")
    assert code == 2 and "redirects to another host ('http://localhost:" in err
    assert len(hub.log) == 1  # the POST was not sent again, under any name


@pytest.mark.parametrize(
    ("url", "same"),
    [
        ("http://api.example/v2/", True),
        ("http://API.example:80/other", True),
        ("https://api.example/v2/", False),
        ("http://api.example:8080/v2/", False),
        ("http://api.example.evil/v2/", False),
        ("http://127.0.0.1/v2/", False),
    ],
)
def test_an_origin_is_scheme_host_and_port(url, same):
    assert (origin(url) == origin("http://api.example/v2/auth/token")) is same


def _serve_login(hub) -> None:
    def login(request: Request) -> Response:
        if json.loads(request.get_data() or b"{}") == {"identifier": USERNAME, "secret": SECRET}:
            return Response(json.dumps({"access_token": ACCESS}), content_type="application/json")
        return Response("{}", status=401)

    hub.expect_request("/v2/auth/token", method="POST").respond_with_handler(login)


def _bearer_only(body: dict):
    def repository(request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {ACCESS}":
            return Response("{}", status=401)
        return Response(json.dumps(body), content_type="application/json")

    return repository


def test_an_authenticated_get_redirected_to_another_host_never_reaches_it(hub, elsewhere, run_cli, store, monkeypatch):
    _serve_login(hub)
    target = elsewhere.url_for("/v2/namespaces/acme/repositories/tool")
    hub.expect_request("/v2/namespaces/acme/repositories/tool").respond_with_data(
        "", status=302, headers={"Location": target}
    )
    hub.expect_request("/v2/namespaces/acme/repositories/kept").respond_with_handler(
        _bearer_only(answer("acme", "kept", 5))
    )
    _login_with_credentials(monkeypatch)
    code, _, err = run_cli(hub.url_for(""), "--image", "acme/tool", "--image", "acme/kept", "--workers", "1")
    assert code == 1
    assert elsewhere.seen == []
    assert failures_on_stderr(err)["acme/tool"].startswith("answer redirects to another host")
    assert store.rows() == [("acme", "kept", 5)]
    assert ACCESS not in err


def test_a_redirect_within_the_api_host_is_followed_with_the_token(hub, run_cli, store, monkeypatch):
    _serve_login(hub)
    hub.expect_request("/v2/namespaces/acme/repositories/old").respond_with_data(
        "", status=301, headers={"Location": "/v2/namespaces/acme/repositories/new"}
    )
    hub.expect_request("/v2/namespaces/acme/repositories/new").respond_with_handler(
        _bearer_only(answer("acme", "new", 9))
    )
    _login_with_credentials(monkeypatch)
    code, _, err = run_cli(hub.url_for(""), "--image", "acme/old")
    assert (code, err) == (0, "")
    assert store.rows() == [("acme", "old", 9)]  # stored under the name asked for


# Item 11: a namespace listing writes only that namespace, and only valid names.

HOSTILE_ENTRIES = [
    ({"namespace": "library", "name": "nginx", "pull_count": 1}, "belongs to namespace 'library', not evil"),
    ({"namespace": "evil", "name": "../../etc/passwd", "pull_count": 1}, "not a Docker Hub name: '../../etc/passwd'"),
    ({"namespace": "evil", "name": "<img src=x onerror=alert(1)>", "pull_count": 1}, "not a Docker Hub name: '<img"),
    ({"namespace": "evil", "name": "a/b/c", "pull_count": 1}, "not a Docker Hub name: 'a/b/c'"),
    ({"namespace": "evil", "name": "\x1b]0;pwned\x07\x1b[2J", "pull_count": 1}, "not a Docker Hub name: '\\x1b]0;"),
    ({"namespace": "evil", "name": "n" * 300, "pull_count": 1}, "300 characters long, more than 255"),
    ({"namespace": "evil", "name": "", "pull_count": 1}, "not a Docker Hub name: ''"),
    ("just a string", "not a repository object (a str)"),
]


def _listing(namespace: str, results: list, count: int | None = None, next_url: str | None = None) -> dict:
    return {"count": len(results) if count is None else count, "next": next_url, "previous": None, "results": results}


def test_a_listing_keeps_only_valid_entries_of_the_namespace_asked_for(hub, run_cli, store):
    entries = [entry for entry, _ in HOSTILE_ENTRIES]
    entries += [answer("evil", "tool", 5), answer("evil", "odd", 10**20), answer("EVIL", "caps", 6)]
    hub.expect_request(LISTING.format("evil")).respond_with_json(_listing("evil", entries))
    code, out, err = run_cli(hub.url_for(""), "--namespace", "evil")
    assert code == 1
    assert store.images() == [("evil", "caps"), ("evil", "tool")]
    assert store.rows() == [("evil", "caps", 6), ("evil", "tool", 5)]
    failed = failures_on_stderr(err)
    for position, (_, reason) in enumerate(HOSTILE_ENTRIES, start=1):
        assert reason in failed.pop(f"evil/* entry {position}")
    assert failed == {"evil/odd": "answer refused: pull_count 100000000000000000000 is outside 0..1000000000000000"}
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert store.runs() == [(True, len(entries), 2, len(entries) - 2)]


# Item 12: a listing cannot run on for ever.


def _endless(hub, namespace: str, count: int, same_results: bool = False) -> None:
    path = LISTING.format(namespace)

    def page(request: Request) -> Response:
        number = int(request.args.get("page", "1"))
        item = answer(namespace, "tool", 1) if same_results else answer(namespace, f"tool{number}", number)
        body = _listing(namespace, [item], count, hub.url_for(f"{path}?page={number + 1}"))
        return Response(json.dumps(body), content_type="application/json")

    hub.expect_request(path).respond_with_handler(page)


@pytest.mark.timeout(120)
def test_endless_pagination_stops_after_the_pages_the_count_implies(hub, run_cli, store):
    _endless(hub, "acme", count=3)
    code, _, err = run_cli(hub.url_for(""), "--namespace", "acme")
    assert code == 1
    assert len(hub.log) == 3 + 2  # ceil(count / page size) plus the slack of two pages
    assert [name for _, name, _ in store.rows()] == [f"tool{n}" for n in range(1, 6)]
    assert failures_on_stderr(err) == {
        "acme/*": "listing stopped after 5 images: listing goes on past the 5 pages its count implies: stopped"
    }


@pytest.mark.timeout(120)
def test_a_listing_that_serves_the_same_page_again_is_stopped(hub, run_cli, store):
    _endless(hub, "acme", count=10**9, same_results=True)
    code, _, err = run_cli(hub.url_for(""), "--namespace", "acme")
    assert code == 1
    assert len(hub.log) == 2
    assert store.rows() == [("acme", "tool", 1)]
    assert "listing page 2 repeats an earlier page" in failures_on_stderr(err)["acme/*"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("count", [10**400, -5, "3", True])
def test_a_listing_with_an_absurd_count_is_capped_at_max_pages(hub, monkeypatch, count):
    from collectors.dockerhub import listing as dockerhub

    monkeypatch.setattr(dockerhub, "MAX_PAGES", 4)
    _endless(hub, "acme", count=count)  # type: ignore[arg-type]
    client = HubClient(hub.url_for("").rstrip("/"), timeout=5, retry=RetrySettings(retries=0))
    records = []
    with pytest.raises(DockerHubError, match="goes on past the 4 pages"):
        records.extend(dockerhub.fetch_namespace(client, "acme"))
    assert len(records) == 4 and len(hub.log) == 4


@pytest.mark.timeout(120)
def test_a_listing_without_a_count_is_still_capped(hub, monkeypatch):
    from collectors.dockerhub import listing as dockerhub

    monkeypatch.setattr(dockerhub, "MAX_PAGES", 7)
    path = LISTING.format("acme")

    def page(request: Request) -> Response:
        number = int(request.args.get("page", "1"))
        body = {"next": hub.url_for(f"{path}?page={number + 1}"), "results": [answer("acme", f"t{number}", 1)]}
        return Response(json.dumps(body), content_type="application/json")

    hub.expect_request(path).respond_with_handler(page)
    client = HubClient(hub.url_for("").rstrip("/"), timeout=5, retry=RetrySettings(retries=0))
    records = []
    with pytest.raises(DockerHubError, match="goes on past the 7 pages"):
        records.extend(dockerhub.fetch_namespace(client, "acme"))
    assert len(records) == 7 and len(hub.log) == 7


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "answer is not JSON (application/json, starts '[[[["),
        ('{"pull_count": ' + "9" * 5000 + "}", "answer is not JSON"),
        ('{"pull_count": NaN, "name": "x"}', "pull_count must be a whole number, not nan"),
        ('{"pull_count": 1e999, "name": "x"}', "pull_count must be a whole number, not inf"),
    ],
)
def test_an_answer_that_breaks_the_json_reader_is_that_images_failure(hub, run_cli, store, body, reason):
    hub.expect_request("/v2/namespaces/library/repositories/odd").respond_with_data(
        body, content_type="application/json"
    )
    hub.expect_request("/v2/namespaces/library/repositories/fine").respond_with_json(answer("library", "fine", 4))
    code, _, err = run_cli(hub.url_for(""), "--image", "odd", "--image", "fine")
    assert code == 1
    assert reason in failures_on_stderr(err)["library/odd"]
    assert store.rows() == [("library", "fine", 4)]
    assert store.runs() == [(True, 2, 1, 1)]


def test_an_answer_larger_than_the_cap_is_refused_unread(hub, monkeypatch):
    from collectors.dockerhub import api as dockerhub

    monkeypatch.setattr(dockerhub, "MAX_ANSWER_BYTES", 100_000)
    big = answer("library", "big", 1, description="d" * 1_000_000)
    hub.expect_request("/v2/namespaces/library/repositories/big").respond_with_json(big)
    client = HubClient(hub.url_for("").rstrip("/"), timeout=5, retry=RetrySettings(retries=0))
    with pytest.raises(DockerHubError, match="answer is larger than 100,000 bytes: refused"):
        fetch_repository(client, "library", "big")
