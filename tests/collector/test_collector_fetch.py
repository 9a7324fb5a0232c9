"""Fetch functions against a loopback Docker Hub replaying recorded answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collectors.dockerhub.api import (
    DockerHubError,
    HubClient,
    NotFoundError,
    fetch_repository,
    resolve_api_url,
)
from collectors.dockerhub.http import RetrySettings
from collectors.dockerhub.listing import fetch_namespace

NGINX_PULLS = 12_981_954_060
INT32_CAP = 2_147_483_647


def client_for(hub, timeout: float = 5.0) -> HubClient:
    return HubClient(hub.url_for("").rstrip("/"), timeout=timeout, retry=RetrySettings(retries=2, backoff=0.01))


def test_recorded_ubuntu_answer_becomes_a_record(hub, recorded_answer):
    hub.expect_request("/v2/namespaces/library/repositories/ubuntu").respond_with_json(recorded_answer("ubuntu"))
    before = datetime.now(UTC)
    record = fetch_repository(client_for(hub), "library", "ubuntu")
    assert before <= record["observed_at"] <= datetime.now(UTC)
    assert record["observed_at"].tzinfo is not None
    del record["observed_at"]
    assert record == {
        "namespace": "library",
        "name": "ubuntu",
        "pull_count": 37627788,
        "star_count": 2954,
        "last_updated": "2016-01-04T19:00:53.547174Z",
        "date_registered": None,  # the 2016 answer predates these two fields
        "repository_type": None,
        "is_private": False,
        "description": "Ubuntu is a Debian-based Linux operating system based on free software.",
    }


def test_recorded_perceval_answer_keeps_its_repository_type(hub, recorded_answer):
    hub.expect_request("/v2/namespaces/grimoirelab/repositories/perceval").respond_with_json(
        recorded_answer("perceval")
    )
    record = fetch_repository(client_for(hub), "grimoirelab", "perceval")
    assert (record["pull_count"], record["star_count"], record["repository_type"]) == (398, 1, "image")


@pytest.mark.parametrize("count", [0, NGINX_PULLS, INT32_CAP, 2**32 + 1, 10**15])
def test_counts_past_32_bits_and_the_2020_cap_are_kept_exactly(hub, repo_answer, count):
    hub.expect_request("/v2/namespaces/library/repositories/nginx").respond_with_json(
        repo_answer("library", "nginx", count)
    )
    assert fetch_repository(client_for(hub), "library", "nginx")["pull_count"] == count


@pytest.mark.parametrize("count", ["1B+", "12981954060", 1.5e10, None, True])
def test_a_count_that_is_not_an_exact_integer_is_refused(hub, repo_answer, count):
    hub.expect_request("/v2/namespaces/library/repositories/nginx").respond_with_json(
        repo_answer("library", "nginx", count)
    )
    with pytest.raises(DockerHubError, match="pull_count must be a whole number"):
        fetch_repository(client_for(hub), "library", "nginx")


@pytest.mark.parametrize("count", [-1, 10**15 + 1, 2**63 - 1, 10**20])
def test_a_count_out_of_range_is_refused(hub, repo_answer, count):
    hub.expect_request("/v2/namespaces/library/repositories/nginx").respond_with_json(
        repo_answer("library", "nginx", count)
    )
    with pytest.raises(DockerHubError, match=rf"pull_count {count} is outside 0..1000000000000000"):
        fetch_repository(client_for(hub), "library", "nginx")


def test_404_is_named_as_not_found(hub):
    with pytest.raises(NotFoundError, match="HTTP 404"):
        fetch_repository(client_for(hub), "library", "no-such-image")


def test_200_with_a_body_that_is_not_json_is_refused(hub):
    hub.expect_request("/v2/namespaces/library/repositories/redis").respond_with_data(
        "<html><body>Service temporarily unavailable</body></html>", content_type="text/html"
    )
    with pytest.raises(DockerHubError, match=r"not JSON \(text/html"):
        fetch_repository(client_for(hub), "library", "redis")


def test_json_that_is_not_an_object_is_refused(hub):
    hub.expect_request("/v2/namespaces/library/repositories/redis").respond_with_json([1, 2, 3])
    with pytest.raises(DockerHubError, match="not an object"):
        fetch_repository(client_for(hub), "library", "redis")


def listing_pages(hub, path: str, names: list[list[str]]) -> None:
    """Serve `names` as consecutive pages of `path`, each `next` an absolute URL as Docker Hub gives it."""
    for number, page in enumerate(names, start=1):
        last = number == len(names)
        body = {
            "count": sum(len(p) for p in names),
            "next": None if last else hub.url_for(f"{path}?page={number + 1}&page_size=2"),
            "previous": None,
            "results": [
                {"namespace": "grimoirelab", "name": name, "pull_count": 1000 + index, "star_count": index}
                for index, name in enumerate(page)
            ],
        }
        query = {"page_size": "100"} if number == 1 else {"page": str(number), "page_size": "2"}
        hub.expect_request(path, query_string=query).respond_with_json(body)


def test_namespace_listing_follows_next_over_three_pages(hub):
    pages = [["perceval", "sortinghat"], ["kingarthur", "grimoirelab"], ["mordred"]]
    listing_pages(hub, "/v2/namespaces/grimoirelab/repositories", pages)
    records = list(fetch_namespace(client_for(hub), "grimoirelab"))
    assert [(r["namespace"], r["name"], r["pull_count"]) for r in records] == [
        ("grimoirelab", "perceval", 1000),
        ("grimoirelab", "sortinghat", 1001),
        ("grimoirelab", "kingarthur", 1000),
        ("grimoirelab", "grimoirelab", 1001),
        ("grimoirelab", "mordred", 1000),
    ]
    assert len(hub.log) == 3


def test_namespace_listing_falls_back_to_the_older_endpoint_on_404(hub):
    listing_pages(hub, "/v2/repositories/grimoirelab/", [["perceval"], ["sortinghat"]])
    records = list(fetch_namespace(client_for(hub), "grimoirelab"))
    assert [r["name"] for r in records] == ["perceval", "sortinghat"]
    assert [request.path for request, _ in hub.log] == [
        "/v2/namespaces/grimoirelab/repositories",
        "/v2/repositories/grimoirelab/",
        "/v2/repositories/grimoirelab/",
    ]


def test_next_pointing_at_another_host_is_kept_on_the_api_host(hub):
    hub.expect_request("/v2/namespaces/acme/repositories", query_string="page_size=100").respond_with_json(
        {"next": "http://elsewhere.invalid:9/v2/namespaces/acme/repositories?page=2", "results": []}
    )
    hub.expect_request("/v2/namespaces/acme/repositories", query_string="page=2").respond_with_json(
        {"next": None, "results": [{"name": "tool", "pull_count": 7}]}
    )
    records = list(fetch_namespace(client_for(hub), "acme"))
    assert [(r["namespace"], r["name"], r["pull_count"]) for r in records] == [("acme", "tool", 7)]


def test_a_listing_that_loops_is_stopped(hub):
    hub.expect_request("/v2/namespaces/acme/repositories").respond_with_json(
        {"next": hub.url_for("/v2/namespaces/acme/repositories"), "results": []}
    )
    with pytest.raises(DockerHubError, match="loops back"):
        list(fetch_namespace(client_for(hub), "acme"))


@pytest.mark.parametrize("bad", ["ftp://hub", "hub.docker.com", "https://"])
def test_an_api_url_that_is_not_http_is_refused(bad):
    with pytest.raises(ValueError, match="API URL"):
        resolve_api_url(bad)


def test_api_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DOCKERHUB_API_URL", "http://127.0.0.1:1/")
    assert resolve_api_url() == "http://127.0.0.1:1"
    assert resolve_api_url("https://mirror.example") == "https://mirror.example"
