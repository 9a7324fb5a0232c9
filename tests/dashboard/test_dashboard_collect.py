"""Collect now runs the collector in-process against a Docker Hub on loopback, and says how it went in plain words."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pandas as pd
from pytest_httpserver import HTTPServer
from streamlit.testing.v1 import AppTest
from werkzeug import Response

from dashboard import collect
from dashboard.collect_panel import page_reason
from store import open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PULLS = "app_pages/pulls.py"
NO_RUN_YET = "No collection has run"


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


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _texts(app: AppTest) -> list[str]:
    shown = [*app.error, *app.warning, *app.info, *app.success, *app.markdown, *app.code, *app.caption]
    return [str(element.value) for element in shown]


def _click_collect(app: AppTest, images: list[str]) -> AppTest:
    app.run()
    app.switch_page(PULLS).run()
    app.multiselect(key="pulls_images").set_value(images).run()
    button = next(b for b in app.button if b.label.startswith("Collect now"))
    assert not button.disabled
    return button.click().run()


def _hub(monkeypatch, url: str) -> None:
    monkeypatch.setenv("DOCKERHUB_API_URL", url.rstrip("/"))
    monkeypatch.setenv("ADOPTION_ALLOW_COLLECT", "1")
    monkeypatch.setenv("ADOPTION_HTTP_RETRIES", "1")
    monkeypatch.setenv("ADOPTION_HTTP_BACKOFF", "0.01")


def test_collect_now_saves_new_snapshots_and_says_so(app: AppTest, store_copy, httpserver: HTTPServer, monkeypatch):
    for name, count in (("cercat", 180_000), ("tcpdump", 90_000)):
        httpserver.expect_request(f"/v2/namespaces/issif/repositories/{name}").respond_with_json(
            _repository("issif", name, count)
        )
    _hub(monkeypatch, httpserver.url_for(""))
    before = AppTest.from_file(APP, default_timeout=120).run()
    assert any(NO_RUN_YET in text for text in _texts(before.switch_page(PULLS).run()))

    _click_collect(app, ["issif/cercat", "issif/tcpdump"])

    assert not app.exception
    assert [s.value for s in app.success] == ["Collected all 2 images; the charts now include the new counts."]
    assert not any(NO_RUN_YET in text for text in _texts(app))  # the stale notice is gone
    saved = open_store(f"sqlite:///{store_copy}").read_snapshots(["issif/cercat"])
    assert saved["pull_count"].iloc[-1] == 180_000
    assert saved["observed_at"].iloc[-1] > pd.Timestamp("2026-08-08", tz="UTC")


def test_some_images_failing_are_named_in_the_details(app: AppTest, httpserver: HTTPServer, monkeypatch) -> None:
    httpserver.expect_request("/v2/namespaces/issif/repositories/cercat").respond_with_json(
        _repository("issif", "cercat", 1)
    )
    for path in ("/v2/namespaces/issif/repositories/tcpdump", "/v2/repositories/issif/tcpdump/"):  # both shapes
        httpserver.expect_request(path).respond_with_json({"message": "no"}, status=404)
    _hub(monkeypatch, httpserver.url_for(""))

    _click_collect(app, ["issif/cercat", "issif/tcpdump"])

    # The collection's own warning comes first after the page's notice that its pull data is stale, if shown.
    warnings = [w.value for w in app.warning if not w.value.startswith("Pull data is not current")]
    assert warnings[0].startswith("1 of 2 images collected.")
    details = [code.value for code in app.code if code.value.startswith("issif/")]
    assert details == ["issif/tcpdump: not found on Docker Hub (HTTP 404): check the name, or that it is public"]


def test_an_unreachable_hub_is_one_plain_sentence(app: AppTest, store_copy, monkeypatch) -> None:
    _hub(monkeypatch, f"http://127.0.0.1:{_closed_port()}")
    before = len(open_store(f"sqlite:///{store_copy}").read_snapshots(["issif/cercat"]))

    _click_collect(app, ["issif/cercat"])

    assert not app.exception
    assert [e.value for e in app.error] == [
        "Docker Hub could not be reached from this server: no network, or a wrong address. Nothing was changed."
    ]
    assert not any(NO_RUN_YET in text for text in _texts(app))
    notices = [str(e.value) for e in (*app.error, *app.warning, *app.info)]
    assert not any("--" in text or "Retry" in text or "attempts" in text for text in notices)
    details = [code.value for code in app.code if code.value.startswith("issif/")]
    assert len(details) == 1 and "could not reach 127.0.0.1" in details[0] and "--" not in details[0]
    assert len(open_store(f"sqlite:///{store_copy}").read_snapshots(["issif/cercat"])) == before


def test_a_long_retry_after_ends_the_collection_at_once_and_says_how_long(
    app: AppTest, httpserver: HTTPServer, monkeypatch
) -> None:
    httpserver.expect_request("/v2/namespaces/issif/repositories/cercat").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "3600"})
    )
    _hub(monkeypatch, httpserver.url_for(""))

    _click_collect(app, ["issif/cercat"])

    assert not app.exception
    (sentence,) = [e.value for e in app.error]
    assert sentence.startswith("Docker Hub is limiting requests from this server and asked it to wait 60 minutes")
    assert "0 of 1 images collected. No pull counts were saved." in sentence
    assert len(httpserver.log) == 1  # it did not wait an hour, nor ask again


def test_two_sessions_clicking_at_once_collect_once(
    app: AppTest, store_copy, httpserver: HTTPServer, monkeypatch
) -> None:
    arrived, release = threading.Event(), threading.Event()

    def slow_answer(request):  # noqa: ANN001, ANN202
        arrived.set()
        release.wait(60)
        return Response(pd.Series(_repository("issif", "cercat", 5)).to_json(), content_type="application/json")

    httpserver.expect_request("/v2/namespaces/issif/repositories/cercat").respond_with_handler(slow_answer)
    _hub(monkeypatch, httpserver.url_for(""))
    app.run()
    app.switch_page(PULLS).run()
    app.multiselect(key="pulls_images").set_value(["issif/cercat"]).run()
    button = next(b for b in app.button if b.label.startswith("Collect now"))
    assert not button.disabled  # this session's page was drawn before the other session clicked
    # The other session's click: the same in-process call its button makes (AppTest runs one app at a time).
    other: list[collect.CollectReport] = []
    clicking = threading.Thread(
        target=lambda: other.append(collect.run_collection(["issif/cercat"], f"sqlite:///{store_copy}"))
    )
    clicking.start()
    try:
        assert arrived.wait(60)
        button.click().run()
        assert any(i.value.startswith("A collection is running, started at ") for i in app.info)
        assert not app.success and not app.error
    finally:
        release.set()
        clicking.join(120)
    assert other[0].collected == 1
    assert len(httpserver.log) == 1


def test_a_second_collection_of_the_same_store_is_refused_while_one_runs(store_copy, monkeypatch) -> None:
    url = f"sqlite:///{store_copy}"
    seen: list[str] = []

    def on_progress(done: int, total: int | None, image: str) -> None:
        try:
            collect.run_collection(["issif/cercat"], url)
        except collect.CollectionRunning as running:
            seen.append(str(running))

    monkeypatch.setenv("DOCKERHUB_API_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("ADOPTION_HTTP_RETRIES", "0")
    report = collect.run_collection(["issif/cercat"], url, on_progress)

    assert report.requested == 1 and report.collected == 0
    assert len(seen) == 1 and seen[0].startswith("a collection is running, started at ")
    assert collect.running_since(url) is None


def test_progress_names_the_image_and_count() -> None:
    assert collect.progress_text(12, 30, "library/nginx") == "12 of 30: library/nginx"


def test_reasons_on_the_page_carry_no_command_line_flags() -> None:
    assert page_reason("could not reach hub.docker.com (6 attempts): check the network or --api-url") == (
        "could not reach hub.docker.com (6 attempts)"
    )
    assert page_reason("not found on Docker Hub (HTTP 404): check the name, or that it is public") == (
        "not found on Docker Hub (HTTP 404): check the name, or that it is public"
    )


def test_collect_is_allowed_unless_switched_off(monkeypatch) -> None:
    monkeypatch.delenv(collect.ENV_ALLOW, raising=False)
    assert collect.allowed()
    for value in ("0", "false", "off"):
        monkeypatch.setenv(collect.ENV_ALLOW, value)
        assert not collect.allowed()
