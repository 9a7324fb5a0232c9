"""Collection runs on a real store (every backend): started, failed images, finished."""

from __future__ import annotations

from store.timeutil import now_epoch
from tests.store.backends import raw_rows

RUN_ROWS = """
    SELECT run_id, kind, finished_at IS NULL, images_requested, images_collected, images_failed, source
    FROM runs ORDER BY run_id
"""
FAILURE_ROWS = "SELECT run_id, image, reason FROM run_failures ORDER BY run_id, image"


def test_a_started_run_is_incomplete_until_finished(engine) -> None:
    before = now_epoch()
    run_id = engine.start_run("collect", images_requested=3, source="watchlist")
    after = now_epoch()

    assert raw_rows(engine, RUN_ROWS) == [(run_id, "collect", True, 3, 0, 0, "watchlist")]
    [(started_at,)] = raw_rows(engine, "SELECT started_at FROM runs")
    assert before <= started_at <= after

    engine.finish_run(run_id, images_collected=2, images_failed=1)
    assert raw_rows(engine, RUN_ROWS) == [(run_id, "collect", False, 3, 2, 1, "watchlist")]


def test_failures_keep_the_latest_reason_per_image(engine) -> None:
    run_id = engine.start_run("collect", images_requested=2)
    engine.record_failure(run_id, "library/nginx", "HTTP 503 after 5 attempts")
    engine.record_failure(run_id, "someone/gone", "HTTP 404: no such repository")
    engine.record_failure(run_id, "library/nginx", "timed out after 10 s")

    assert raw_rows(engine, FAILURE_ROWS) == [
        (run_id, "library/nginx", "timed out after 10 s"),
        (run_id, "someone/gone", "HTTP 404: no such repository"),
    ]
    failures = engine.read_failures(run_id)
    assert failures[["image", "reason"]].values.tolist() == [
        ["library/nginx", "timed out after 10 s"],
        ["someone/gone", "HTTP 404: no such repository"],
    ]
    assert str(failures["failed_at"].dt.tz) == "UTC"


def test_failures_of_one_run_are_apart_from_another(engine) -> None:
    first = engine.start_run("collect", images_requested=1)
    second = engine.start_run("collect", images_requested=1)
    engine.record_failure(first, "library/nginx", "first reason")
    engine.record_failure(second, "library/nginx", "second reason")

    assert engine.read_failures(first)["reason"].tolist() == ["first reason"]
    assert engine.read_failures(second)["reason"].tolist() == ["second reason"]


def test_read_runs_lists_newest_first_and_flags_an_interrupted_run(engine) -> None:
    finished = engine.start_run("import", images_requested=1, source="history.csv")
    engine.finish_run(finished, images_collected=1, images_failed=0)
    interrupted = engine.start_run("collect", images_requested=14)

    frame = engine.read_runs()

    assert frame["run_id"].tolist() == [interrupted, finished]
    assert frame["kind"].tolist() == ["collect", "import"]
    assert frame["complete"].tolist() == [False, True]
    assert frame["finished_at"].isna().tolist() == [True, False]
    assert frame["images_requested"].tolist() == [14, 1]
    assert str(frame["started_at"].dt.tz) == "UTC"
    assert engine.read_runs(limit=1)["run_id"].tolist() == [interrupted]


def test_read_runs_on_an_empty_store(engine) -> None:
    frame = engine.read_runs()

    assert frame.empty
    assert "complete" in frame.columns
