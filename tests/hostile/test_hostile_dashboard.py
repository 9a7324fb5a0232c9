"""Issue 14, items 15-18: HTML from data or a link stays text in charts; links are parsed with bounds;
uploads are kept per session within quotas and expire; Collect now keeps the store's password off argv."""

from __future__ import annotations

import base64
import inspect
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

import settings
from dashboard import charts, collect, state, uploads
from tests.hostile.hostile_helpers import HOSTILE_EVENT, HOSTILE_NAMES, as_shown, stray_tags

PULLS, SURVEYS, UPLOAD, OVERVIEW = (f"app_pages/{page}.py" for page in ("pulls", "surveys", "upload", "overview"))
LINK = '<a href="https://evil.example">Click</a>'
STYLED = '<span style="font-size:60px;color:red">big</span>'
HOSTILE = f"{LINK} {STYLED} <b>bold</b> <img src=x> &"


# ---- 15: one escaping function, used by every figure builder -------------------------------------------------


def _series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "image": [LINK] * 3 + [STYLED] * 3,
            "period": list(pd.date_range("2024-01-01", periods=3)) * 2,
            "value": [1.0, 2.0, 3.0, 5.0, 4.0, 6.0],
            "flag": ["", HOSTILE, "decrease", "", "gap", ""],
            "marker_y": [1.0, 2.0, 3.0, 5.0, 4.0, 6.0],
        }
    )


def _shares() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "answer": [LINK, STYLED],
            "share": [0.4, 0.6],
            "ci_low": [0.3, 0.5],
            "ci_high": [0.5, 0.7],
            "count": [4, 6],
            "base": [10, 10],
            "segment": [HOSTILE, HOSTILE],
            "small_base": [True, False],
        }
    )


def _trend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": [f"{LINK} 2023", f"{STYLED} 2024"],
            "base": [100, 120],
            "share": [0.4, 0.5],
            "ci_low": [0.3, 0.4],
            "ci_high": [0.5, 0.6],
            "change": [np.nan, 0.1],
            "p_value": [np.nan, 0.2],
            "break_before": ["", HOSTILE],  # a mapping's break reason goes to the hover
        }
    )


BUILDERS = {
    "framed": lambda: charts.framed(go.Figure(), HOSTILE, charts.footer_text(HOSTILE, HOSTILE)),
    "pulls_over_time": lambda: charts.pulls_over_time(
        _series(), HOSTILE, HOSTILE, charts.footer_text(HOSTILE, HOSTILE), events=[(pd.Timestamp("2024-01-02"), LINK)]
    ),
    "projection": lambda: charts.projection(
        _series().assign(image="x"),
        pd.DataFrame({"period": pd.date_range("2024-02-01", periods=2), "fast": 1, "expected": 2, "slow": 3}),
        10,
        HOSTILE,
        charts.footer_text(HOSTILE, HOSTILE),
    ),
    "share_bars": lambda: charts.share_bars(_shares(), HOSTILE, charts.footer_text(HOSTILE, HOSTILE), HOSTILE),
    "grouped_share_bars": lambda: charts.grouped_share_bars(
        _shares(), HOSTILE, charts.footer_text(HOSTILE, HOSTILE), HOSTILE
    ),
    "share_trend": lambda: charts.share_trend(_trend(), HOSTILE, charts.footer_text(HOSTILE, HOSTILE)),
}


def test_every_figure_builder_is_walked() -> None:
    builders = {
        name
        for name, function in inspect.getmembers(charts, inspect.isfunction)
        if function.__module__ == charts.__name__ and inspect.signature(function).return_annotation == "go.Figure"
    }
    assert {name for name in builders if not name.startswith("_")} == set(BUILDERS)


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_no_tag_from_data_survives_in_a_figure(builder: str) -> None:
    figure = BUILDERS[builder]()
    assert isinstance(figure, go.Figure)
    spec = json.loads(figure.to_json())
    text = json.dumps(spec)
    assert stray_tags(spec) == []
    assert "<a" not in text and "<span" not in text and "<img" not in text
    assert "&lt;a href" in text  # the words are still shown, as text


def test_escape_is_idempotent_and_keeps_entities() -> None:
    assert charts.escape("R&D <b>") == "R&amp;D &lt;b&gt;"
    assert charts.escape(charts.escape(HOSTILE)) == charts.escape(HOSTILE)
    assert charts.escape("&lt;a&gt; &#60; &amp;") == "&lt;a&gt; &#60; &amp;"
    assert charts.plain("a\n\tb" + "c" * 200, 10) == "a bcccccc…"


def _specs(at: AppTest) -> list[dict]:
    return [_decode(json.loads(element.proto.spec)) for element in at.get("plotly_chart")]


def _decode(value: object) -> object:
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _legend_names(at: AppTest) -> set[str]:
    return {trace.get("name", "") for spec in _specs(at) for trace in spec["data"]}


def test_html_in_image_names_and_events_is_text_in_every_pulls_chart(app: AppTest) -> None:
    app.query_params.update({"events": HOSTILE_EVENT})
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    overview = _specs(app)
    app.switch_page(PULLS).run()
    assert not app.exception, [e.value for e in app.exception]
    pulls = _specs(app)

    assert all(stray_tags(spec) == [] for spec in overview + pulls)
    shown = {charts.escape(f"evil/{name}") for name in HOSTILE_NAMES}
    assert shown <= _legend_names(app)
    notes = [note["text"] for note in pulls[0]["layout"]["annotations"]]
    assert charts.escape(HOSTILE_EVENT.split(" ", 1)[1]) in notes


def test_markdown_in_an_image_name_is_text_in_a_card(app: AppTest) -> None:
    app.run()

    label = next(metric.label for metric in app.metric if metric.label.startswith("Biggest stored image"))
    assert "[Click](" not in label and "www.evil" not in label
    assert label.endswith("\\[Click\\]\\(https:evil\\.example\\) www\\.evil\\.example")


def _hostile_survey(folder: Path) -> str:
    lines = ['respondent,"<a href=""https://evil.example"">Which cloud?</a>","<span style=""color:red"">Team</span>"']
    lines += [
        f'{n},"<span style=""color:red"">AWS</span>",{"<b>big</b>" if n % 2 else "small & co"}' for n in range(40)
    ]
    data = ("\n".join(lines) + "\n").encode()
    policy = uploads.UploadPolicy(folder, uploads.SHARED_OWNER, 10**9, 10**9, 3600)
    path = uploads.keep(policy, "hostile.csv", data)
    return f"{uploads.KEY_PREFIX}{path.parent.name[:12]}"


def test_html_in_a_survey_file_is_text_in_every_survey_chart(app: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("ADOPTION_SHARED_UPLOADS", "1")
    key = _hostile_survey(settings.upload_dir())
    question, segment = '<a href="https://evil.example">Which cloud?</a>', '<span style="color:red">Team</span>'
    app.query_params.update({"survey": key, "q": question, "by": segment})
    app.run()
    app.switch_page(SURVEYS).run()

    assert not app.exception, [e.value for e in app.exception]
    specs = _specs(app)
    assert len(specs) == 2  # the shares and the crosstab
    assert all(stray_tags(spec) == [] for spec in specs)
    assert charts.escape(question) in specs[0]["layout"]["title"]["text"]


# ---- 16: query parameters parsed with bounds ------------------------------------------------------------------

HOSTILE_PARAMS = {
    "slide": "maybe",
    "target": "99999999999999999999999999",
    "image": [f"nobody/image-{n}" for n in range(60)],
    "ns": "<script>",
    "measure": "<b>year</b>",
    "scale": "sideways",
    "events": "2024-01-01 x\n" * 400,
    "mimage": "nobody/nothing",
    "survey": "upload:deadbeef",
    "q": "Q" * 5000,
    "item": "\x00\x1b[2J",
    "base": "everyone",
    "by": "nothing",
    "answer": "nothing",
    "search": "s" * 5000,
}
EXPECTED_NOTICES = {
    OVERVIEW: {"slide"},
    PULLS: {"target", "image", "ns", "measure", "scale", "events"},
    SURVEYS: {"survey", "base", "by", "search"},
    UPLOAD: set(),
}


def _noticed(at: AppTest) -> set[str]:
    return {
        param for toast in at.toast for param in HOSTILE_PARAMS if f"link's {param} parameter" in as_shown(toast.value)
    }


@pytest.mark.parametrize("page", [OVERVIEW, PULLS, SURVEYS, UPLOAD])
def test_hostile_query_params_are_ignored_with_a_notice_on_every_page(app: AppTest, page: str) -> None:
    app.query_params.update(HOSTILE_PARAMS)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    noticed = _noticed(app)
    if page != OVERVIEW:
        app.switch_page(page).run()
        assert not app.exception, [e.value for e in app.exception]
        noticed = _noticed(app)

    assert app.title
    assert EXPECTED_NOTICES[page] <= noticed
    assert all("<script>" not in toast.value and "999999" not in toast.value for toast in app.toast)


def test_a_target_past_the_bound_is_ignored_and_the_next_round_number_used(app: AppTest) -> None:
    app.query_params.update({"target": "99999999999999999999999999"})
    app.run()
    app.switch_page(PULLS).run()

    assert not app.exception, [e.value for e in app.exception]
    assert app.number_input(key="pulls_target").value == 0
    assert any("link's target parameter" in as_shown(toast.value) for toast in app.toast)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 0), ("1_000", 1000), ("2,000,000", 2_000_000), (str(state.MAX_NUMBER), state.MAX_NUMBER)],
)
def test_whole_number_reads_what_people_write(raw: str, expected: int) -> None:
    assert state.whole_number(0, state.MAX_NUMBER)(raw) == expected


@pytest.mark.parametrize("raw", ["-1", "1e3", "1.5", "", "9" * 40, str(state.MAX_NUMBER + 1), "٣"])
def test_whole_number_refuses_the_rest(raw: str) -> None:
    with pytest.raises(state.BadParam):
        state.whole_number(0, state.MAX_NUMBER)(raw)


# ---- 17: uploads per session, quotas, expiry --------------------------------------------------------------------


def _policy(root: Path, owner: str, session_mb: float = 1, disk_mb: float = 2, hours: float = 24):
    return uploads.UploadPolicy(root, owner, int(session_mb * 2**20), int(disk_mb * 2**20), hours * 3600)


def test_an_upload_is_listed_only_for_its_own_session(tmp_path: Path) -> None:
    alice, bob = _policy(tmp_path, "session-alice"), _policy(tmp_path, "session-bob")
    kept = uploads.keep(alice, "poll.csv", b"q1\nyes\n")

    assert list(uploads.listed(alice).values()) == [kept]
    assert uploads.listed(bob) == {}
    shared = _policy(tmp_path, uploads.SHARED_OWNER)
    uploads.keep(shared, "team.csv", b"q1\nno\n")
    assert len(uploads.listed(shared)) == 1 and len(uploads.listed(bob)) == 0


def test_the_session_quota_refuses_what_would_pass_it(tmp_path: Path) -> None:
    alice = _policy(tmp_path, "session-alice", session_mb=1)
    uploads.keep(alice, "a.csv", b"x" * 700_000)
    with pytest.raises(uploads.UploadRefused, match="ADOPTION_UPLOAD_QUOTA_MB"):
        uploads.keep(alice, "b.csv", b"y" * 400_000)
    uploads.keep(alice, "a.csv", b"x" * 700_000)  # the same file again costs nothing
    assert len(uploads.listed(alice)) == 1


def test_the_disk_quota_counts_every_session(tmp_path: Path) -> None:
    for name in ("alice", "bob"):
        uploads.keep(_policy(tmp_path, f"session-{name}", disk_mb=2), "a.csv", name[:1].encode() * 800_000)
    with pytest.raises(uploads.UploadRefused, match="ADOPTION_UPLOAD_DISK_MB"):
        uploads.keep(_policy(tmp_path, "session-carol", disk_mb=2), "c.csv", b"c" * 600_000)


def test_expired_uploads_of_every_session_are_deleted_on_the_next_listing(tmp_path: Path) -> None:
    day = 86_400
    alice, bob = _policy(tmp_path, "session-alice", hours=24), _policy(tmp_path, "session-bob", hours=24)
    old = uploads.keep(alice, "old.csv", b"old\n", now=1_000_000)
    fresh = uploads.keep(alice, "fresh.csv", b"fresh\n", now=1_000_000 + day)
    stale = uploads.keep(bob, "stale.csv", b"stale\n", now=1_000_000)

    assert list(uploads.listed(alice, now=1_000_000 + day + 60).values()) == [fresh]
    assert not old.exists() and not stale.exists()
    assert not (tmp_path / "session-bob").exists()
    renewed = uploads.keep(alice, "fresh.csv", b"fresh\n", now=1_000_000 + 2 * day)
    assert uploads.listed(alice, now=1_000_000 + 2 * day + 3600) == {f"upload:{renewed.parent.name[:12]}": renewed}


def test_files_of_the_older_flat_layout_expire_too(tmp_path: Path) -> None:
    legacy = tmp_path / ("a" * 64)
    legacy.mkdir()
    (legacy / "poll.csv").write_text("q\n")
    os.utime(legacy, (1_000_000, 1_000_000))
    assert uploads.expire(tmp_path, 3600, now=1_000_000 + 7200) == 1
    assert not legacy.exists()


def test_upload_settings() -> None:
    assert settings.upload_quota_bytes({}) == 200 * 2**20
    assert settings.upload_disk_bytes({"ADOPTION_UPLOAD_DISK_MB": "10"}) == 10 * 2**20
    assert settings.upload_ttl_seconds({"ADOPTION_UPLOAD_TTL_HOURS": "2"}) == 7200
    assert settings.upload_ttl_seconds({"ADOPTION_UPLOAD_TTL_HOURS": "-1"}) == 24 * 3600
    assert settings.upload_quota_bytes({"ADOPTION_UPLOAD_QUOTA_MB": "lots"}) == 200 * 2**20
    assert not settings.shared_uploads({}) and settings.shared_uploads({"ADOPTION_SHARED_UPLOADS": "1"})


def test_another_sessions_upload_is_not_listed_on_the_surveys_page(app: AppTest) -> None:
    key = _hostile_survey(settings.upload_dir())  # kept as shared: this session is private by default
    app.query_params.update({"survey": key})
    app.run()
    app.switch_page(SURVEYS).run()

    assert not app.exception
    assert app.selectbox(key="survey_key").options
    assert not any(key in option for option in app.selectbox(key="survey_key").options)
    assert any("link's survey parameter" in as_shown(toast.value) for toast in app.toast)


# ---- 18: the store's password never on a command line -----------------------------------------------------------


def test_collect_now_runs_in_process_and_never_shows_the_store_password(monkeypatch) -> None:
    password = "s3cret-Pa55"
    url = f"postgresql+psycopg://adoption:{password}@127.0.0.1:9/adoption"

    def no_process(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - stands in for subprocess.Popen
        raise AssertionError("Collect now started a process")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    report = collect.run_collection(["library/nginx"], url)

    level, sentence = collect.plain_words(report)
    assert level == "error" and sentence.startswith("The collection could not start: cannot open the store ")
    assert password not in sentence and "adoption:***@127.0.0.1:9" in sentence


def test_a_target_beyond_any_date_is_said_in_words_not_a_crash() -> None:
    from analysis.pulls.milestones import milestone_path
    from analysis.pulls.periods import daily_pulls

    days = pd.date_range("2026-01-01", periods=120, freq="D")
    observations = pd.DataFrame(
        {
            "namespace": "issif",
            "name": "tcpdump",
            "observed_at": (days - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1),
            "pull_count": [1_000 + 3 * i for i in range(len(days))],
        }
    )
    failures = pd.DataFrame(columns=["namespace", "name", "failed_at"])
    summary, forecast = milestone_path(daily_pulls(observations, "spread", failures), 10**13)
    assert set(summary["date_reached"]) == {"not within 100 years at this rate"}
    assert len(forecast) > 1


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/pulls.py"])
def test_a_store_that_is_not_sqlite_stops_the_page_in_one_line(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    bad = tmp_path / "not-a-store.db"
    bad.write_bytes(b"these are not the bytes of a SQLite database\n" * 100)
    before = bad.read_bytes()
    monkeypatch.setenv("ADOPTION_DB", str(bad))
    at = app.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [item.value for item in at.exception]
    assert any("The store cannot be opened" in error.value for error in at.error)
    assert bad.read_bytes() == before
