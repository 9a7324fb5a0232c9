"""Retries against a loopback Docker Hub that misbehaves: 429s, 5xx, slow answers, no server at all."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from werkzeug.wrappers import Response

from collectors.dockerhub import http as dockerhub_http
from collectors.dockerhub.api import DockerHubError, HubClient, RateLimitedError, fetch_repository
from collectors.dockerhub.http import RetrySettings

PATH = "/v2/namespaces/library/repositories/nginx"


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """Record the waits the server asks for instead of sleeping through them."""
    asked: list[float] = []
    monkeypatch.setattr(dockerhub_http, "pause", asked.append)
    return asked


def client_for(hub, timeout: float = 5.0, retries: int = 3) -> HubClient:
    return HubClient(hub.url_for("").rstrip("/"), timeout=timeout, retry=RetrySettings(retries=retries, backoff=0.01))


def test_429_with_retry_after_waits_the_seconds_asked(hub, repo_answer, waits):
    hub.expect_oneshot_request(PATH).respond_with_data("Too Many Requests", status=429, headers={"Retry-After": "2"})
    hub.expect_request(PATH).respond_with_json(repo_answer("library", "nginx", 12_981_954_060))
    assert fetch_repository(client_for(hub), "library", "nginx")["pull_count"] == 12_981_954_060
    assert waits == [2]
    assert len(hub.log) == 2


def test_429_with_x_retry_after_waits_until_the_timestamp(hub, repo_answer, waits):
    until = int(time.time()) + 4
    hub.expect_oneshot_request(PATH).respond_with_data(
        "Too Many Requests", status=429, headers={"X-Retry-After": str(until)}
    )
    hub.expect_request(PATH).respond_with_json(repo_answer("library", "nginx", 5))
    assert fetch_repository(client_for(hub), "library", "nginx")["pull_count"] == 5
    assert len(waits) == 1 and 2 < waits[0] <= 4
    assert len(hub.log) == 2


def test_a_wait_longer_than_the_cap_is_a_rate_limit_failure_without_waiting(hub, repo_answer, waits):
    # Issue 20: a wait past ADOPTION_HTTP_RETRY_AFTER_MAX is not cut to the cap (a wasted wait, then likely
    # another 429) but the image's rate-limit failure, said in words.
    hub.expect_oneshot_request(PATH).respond_with_data(
        "", status=429, headers={"X-Retry-After": str(int(time.time()) + 86_400)}
    )
    hub.expect_request(PATH).respond_with_json(repo_answer("library", "nginx", 5))
    client = HubClient(hub.url_for("").rstrip("/"), retry=RetrySettings(retries=2, backoff=0, retry_after_max=7))
    with pytest.raises(RateLimitedError, match=r"rate limited: the server asked to wait 86,\d{3} s .* at most 7 s"):
        fetch_repository(client, "library", "nginx")
    assert waits == []
    assert len(hub.log) == 1


def test_503_twice_then_200_is_collected_on_the_third_attempt(hub, repo_answer, waits):
    for _ in range(2):
        hub.expect_oneshot_request(PATH).respond_with_data("Service Unavailable", status=503)
    hub.expect_request(PATH).respond_with_json(repo_answer("library", "nginx", 42))
    assert fetch_repository(client_for(hub), "library", "nginx")["pull_count"] == 42
    assert [response.status_code for _, response in hub.log] == [503, 503, 200]
    assert waits == []  # no Retry-After: exponential backoff only


def test_a_server_that_keeps_failing_is_given_up_after_the_retries(hub):
    hub.expect_request(PATH).respond_with_data("Bad Gateway", status=502)
    with pytest.raises(DockerHubError, match="HTTP 502 BAD GATEWAY after 3 attempts"):
        fetch_repository(client_for(hub, retries=2), "library", "nginx")
    assert len(hub.log) == 3


def test_an_answer_slower_than_the_timeout_fails_with_a_reason(hub, repo_answer):
    release = threading.Event()

    def slow(_request):
        release.wait(2.0)
        return Response("{}", content_type="application/json")

    hub.expect_request(PATH).respond_with_handler(slow)
    try:
        with pytest.raises(DockerHubError, match=r"no complete answer within 0.2 s \(2 attempts\)"):
            fetch_repository(client_for(hub, timeout=0.2, retries=1), "library", "nginx")
    finally:
        release.set()


def test_no_server_at_all_fails_with_a_reason():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HubClient(f"http://127.0.0.1:{port}", timeout=1, retry=RetrySettings(retries=1, backoff=0))
    with pytest.raises(DockerHubError, match=rf"could not reach 127.0.0.1:{port}"):
        fetch_repository(client, "library", "nginx")
