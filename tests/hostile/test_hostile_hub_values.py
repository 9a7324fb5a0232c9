"""Odd values in Docker Hub answers (issue 14, item 9), on SQLite and on PostgreSQL.

One odd answer is that image's recorded failure with its reason; the images before and after it
are saved and the run finishes. Both stores accept and refuse exactly the same answers.
"""

from __future__ import annotations

import re

import pytest
from pytest_httpserver import HTTPServer

from collectors.__main__ import main
from tests.hostile.hub_servers import StoreView, answer

ODD_ANSWERS = [
    ({"pull_count": 10**20}, "pull_count 100000000000000000000 is outside 0..1000000000000000"),
    ({"pull_count": 1e20}, "pull_count must be a whole number, not 1e+20"),
    ({"pull_count": -3}, "pull_count -3 is outside 0..1000000000000000"),
    ({"star_count": 10**20}, "star_count 100000000000000000000 is outside 0..2147483647"),
    ({"star_count": 3_000_000_000}, "star_count 3000000000 is outside 0..2147483647"),
    ({"star_count": 1e20}, "star_count must be a whole number, not 1e+20"),
    ({"star_count": "many"}, "star_count must be a whole number, not 'many'"),
    ({"is_private": "yes"}, "is_private must be true or false, not 'yes'"),
    ({"is_private": 1}, "is_private must be true or false, not 1"),
    ({"description": {"html": "<b>x</b>"}}, "description must be text, not {'html': '<b>x</b>'}"),
    ({"description": "d" * 5000}, "description is 5000 characters long, more than the 4000 the store keeps"),
    ({"last_updated": [2024, 1, 1]}, "last_updated must be text, not [2024, 1, 1]"),
    ({"last_updated": "2" * 41}, "last_updated is 41 characters long, more than the 40 the store keeps"),
    ({"date_registered": 20160101}, "date_registered must be text, not 20160101"),
    ({"repository_type": "t" * 65}, "repository_type is 65 characters long, more than the 64 the store keeps"),
]


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Few retries and none of the caller's own settings."""
    monkeypatch.setenv("ADOPTION_HTTP_RETRIES", "1")
    monkeypatch.setenv("ADOPTION_HTTP_BACKOFF", "0.01")
    for name in ("DOCKERHUB_API_URL", "DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN", "ADOPTION_DB_URL", "ADOPTION_DB"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store(db_url):
    """A view on the test's store."""
    view = StoreView(db_url)
    yield view
    view.close()


@pytest.fixture(scope="module")
def hub():
    """The API host on loopback."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.no_handler_status_code = 404
    server.start()
    yield server
    server.stop()


def collect(hub: HTTPServer, db_url: str, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["dockerhub", "--db", db_url, "--api-url", hub.url_for(""), "--workers", "1", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("fields", "reason"), ODD_ANSWERS)
def test_one_odd_answer_is_that_images_failure_and_the_run_goes_on(hub, db_url, store, capsys, fields, reason):
    hub.clear()
    hub.expect_request("/v2/namespaces/library/repositories/first").respond_with_json(answer("library", "first", 11))
    hub.expect_request("/v2/namespaces/library/repositories/odd").respond_with_json(
        {**answer("library", "odd", 5), **fields}
    )
    hub.expect_request("/v2/namespaces/library/repositories/later").respond_with_json(answer("library", "later", 12))
    code, out, err = collect(hub, db_url, capsys, "--image", "first", "--image", "odd", "--image", "later")
    assert code == 1
    assert "Traceback" not in err
    assert store.rows() == [("library", "first", 11), ("library", "later", 12)]
    assert store.images() == [("library", "first"), ("library", "later")]
    assert store.failures() == {"library/odd": f"answer refused: {reason}"}
    assert re.findall(r"^failed: .*$", err, flags=re.MULTILINE) == [f"failed: library/odd: answer refused: {reason}"]
    assert store.runs() == [(True, 3, 2, 1)]


def test_values_at_the_limits_are_kept_on_both_stores(hub, db_url, store, capsys):
    hub.clear()
    edge = answer("library", "edge", 10**15, star_count=2**31 - 1, description="d" * 4000, last_updated="2" * 40)
    hub.expect_request("/v2/namespaces/library/repositories/edge").respond_with_json(edge)
    code, _, err = collect(hub, db_url, capsys, "--image", "edge")
    assert (code, err) == (0, "")
    assert store.rows() == [("library", "edge", 10**15)]


@pytest.mark.parametrize("image", ["library/" + "n" * 300, "n" * 256 + "/tool"])
def test_a_name_longer_than_the_store_keeps_is_a_usage_error(hub, db_url, store, capsys, image):
    code, _, err = collect(hub, db_url, capsys, "--image", image)
    assert code == 2
    assert err.count("\n") == 1 and "characters long, more than 255" in err
    assert store.images() == []


def test_a_listing_with_a_300_character_name_and_a_3e9_star_count_saves_the_rest(hub, db_url, store, capsys):
    hub.clear()
    results = [answer("acme", "a" * 300, 1), answer("acme", "stars", 2, star_count=3 * 10**9), answer("acme", "ok", 3)]
    hub.expect_request("/v2/namespaces/acme/repositories").respond_with_json(
        {"count": 3, "next": None, "results": results}
    )
    code, _, err = collect(hub, db_url, capsys, "--namespace", "acme")
    assert code == 1
    assert store.rows() == [("acme", "ok", 3)]
    assert store.failures() == {
        "acme/* entry 1": "not a Docker Hub name: 300 characters long, more than 255: not kept",
        "acme/stars": "answer refused: star_count 3000000000 is outside 0..2147483647",
    }
    assert store.runs() == [(True, 3, 1, 2)]
