"""Docker Hub's current endpoints first, the deprecated ones only after a 404 or 410, and which answered counted."""

from __future__ import annotations

import pytest

from collectors.dockerhub.api import (
    CURRENT,
    DEPRECATED,
    DockerHubError,
    GoneError,
    HubClient,
    NotFoundError,
    RateLimitedError,
    fetch_repository,
)
from collectors.dockerhub.http import RetrySettings
from collectors.dockerhub.listing import fetch_namespace

CURRENT_PATH = "/v2/namespaces/{}/repositories/{}"
DEPRECATED_PATH = "/v2/repositories/{}/{}/"


def client_for(hub) -> HubClient:
    return HubClient(hub.url_for("").rstrip("/"), timeout=5, retry=RetrySettings(retries=1, backoff=0.01))


def serve(hub, repo_answer, namespace: str, name: str, current: int | None, deprecated: int | None) -> None:
    """Serve one repository in the current shape, the deprecated one, or both (None: that shape answers 404)."""
    if current is not None:
        body = repo_answer(namespace, name, current)
        del body["user"]  # the current shape has no `user`
        hub.expect_request(CURRENT_PATH.format(namespace, name)).respond_with_json(body)
    if deprecated is not None:
        hub.expect_request(DEPRECATED_PATH.format(namespace, name)).respond_with_json(
            repo_answer(namespace, name, deprecated)
        )


def paths(hub) -> list[str]:
    return [request.path for request, _ in hub.log]


def test_the_current_endpoint_is_asked_first_and_the_old_one_not_at_all(hub, repo_answer):
    serve(hub, repo_answer, "library", "nginx", current=11, deprecated=22)
    client = client_for(hub)
    assert fetch_repository(client, "library", "nginx")["pull_count"] == 11
    assert paths(hub) == ["/v2/namespaces/library/repositories/nginx"]
    assert dict(client.endpoints) == {CURRENT: 1}
    assert client.endpoint_words() == "endpoints: 1 current"


@pytest.mark.parametrize("status", [404, 410])
def test_a_404_or_410_from_the_current_endpoint_falls_back_to_the_deprecated_one(hub, repo_answer, status):
    hub.expect_request(CURRENT_PATH.format("acme", "tool")).respond_with_json({"message": "gone"}, status=status)
    serve(hub, repo_answer, "acme", "tool", current=None, deprecated=33)
    client = client_for(hub)
    record = fetch_repository(client, "acme", "tool")
    assert (record["namespace"], record["name"], record["pull_count"]) == ("acme", "tool", 33)
    assert paths(hub) == ["/v2/namespaces/acme/repositories/tool", "/v2/repositories/acme/tool/"]
    assert dict(client.endpoints) == {DEPRECATED: 1}


def test_missing_from_both_is_not_found_and_counts_no_answer(hub):
    client = client_for(hub)
    with pytest.raises(NotFoundError, match="HTTP 404"):
        fetch_repository(client, "acme", "nothing")
    assert paths(hub) == ["/v2/namespaces/acme/repositories/nothing", "/v2/repositories/acme/nothing/"]
    assert client.endpoint_words() == "endpoints: none answered"


def test_a_410_from_both_is_said_as_gone(hub):
    for path in (CURRENT_PATH.format("acme", "old"), DEPRECATED_PATH.format("acme", "old")):
        hub.expect_request(path).respond_with_json({"message": "gone"}, status=410)
    with pytest.raises(GoneError, match="HTTP 410"):
        fetch_repository(client_for(hub), "acme", "old")


@pytest.mark.parametrize(
    ("status", "headers", "error", "words"),
    [
        (429, {"Retry-After": "3600"}, RateLimitedError, "rate limited"),
        (500, {}, DockerHubError, "HTTP 500"),
        (503, {}, DockerHubError, "HTTP 503"),
        (401, {}, DockerHubError, "HTTP 401"),
        (403, {}, DockerHubError, "HTTP 403"),
    ],
)
def test_other_failures_of_the_current_endpoint_do_not_fall_back(hub, repo_answer, status, headers, error, words):
    hub.expect_request(CURRENT_PATH.format("library", "redis")).respond_with_data("", status=status, headers=headers)
    serve(hub, repo_answer, "library", "redis", current=None, deprecated=44)
    client = client_for(hub)
    with pytest.raises(error, match=words):
        fetch_repository(client, "library", "redis")
    assert "/v2/repositories/library/redis/" not in paths(hub)
    assert not client.endpoints


def test_a_410_on_the_current_listing_falls_back_to_the_deprecated_listing(hub):
    hub.expect_request("/v2/namespaces/acme/repositories").respond_with_json({"message": "gone"}, status=410)
    hub.expect_request("/v2/repositories/acme/").respond_with_json(
        {"count": 1, "next": None, "results": [{"namespace": "acme", "name": "tool", "pull_count": 5}]}
    )
    client = client_for(hub)
    assert [record["pull_count"] for record in fetch_namespace(client, "acme")] == [5]
    assert dict(client.endpoints) == {DEPRECATED: 1}


def test_a_500_on_the_current_listing_is_a_failure_without_fallback(hub):
    hub.expect_request("/v2/namespaces/acme/repositories").respond_with_data("", status=500)
    hub.expect_request("/v2/repositories/acme/").respond_with_json({"count": 0, "next": None, "results": []})
    with pytest.raises(DockerHubError, match="HTTP 500"):
        list(fetch_namespace(client_for(hub), "acme"))
    assert "/v2/repositories/acme/" not in paths(hub)


def test_the_command_says_which_endpoint_answered_and_records_failures_not_zeros(
    hub, repo_answer, run_cli, db_path, store
):
    serve(hub, repo_answer, "library", "nginx", current=7, deprecated=None)
    serve(hub, repo_answer, "acme", "legacy", current=None, deprecated=8)
    hub.expect_request(CURRENT_PATH.format("acme", "busy")).respond_with_data("", status=503)
    serve(hub, repo_answer, "acme", "busy", current=None, deprecated=9)
    flags = ("--db", str(db_path), "--api-url", hub.url_for(""))
    code, out, err = run_cli("dockerhub", "--image", "nginx", "--image", "acme/legacy", "--image", "acme/busy", *flags)
    assert code == 1
    assert "endpoints: 1 current, 1 deprecated" in out
    assert [row[:3] for row in store.rows()] == [("acme", "legacy", 8), ("library", "nginx", 7)]
    assert list(store.failures()) == ["acme/busy"]
    assert "HTTP 503" in store.failures()["acme/busy"]
    assert "failed: acme/busy" in err
