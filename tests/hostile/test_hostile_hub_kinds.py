"""Issue 20, kinds 2, 3, 7 and 10 at the collector's doors: secrets in URLs, announced waits, numbers, causes.

Every server is on 127.0.0.1. The fuzz tests drive one raw socket server with random status lines,
headers and bodies (hypothesis, a modest budget so CI stays fast): whatever comes back, a fetch
gives a record or a DockerHubError in words, never another exception, and no wait past the cap.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import settings as adoption_settings
from collectors.__main__ import main
from collectors.dockerhub import http as dockerhub_http
from collectors.dockerhub.api import DockerHubError, HubClient, fetch_repository, resolve_api_url, shown_api_url
from collectors.dockerhub.http import RateLimiter, RetrySettings, WaitRefused, allowed_wait, announced_wait
from tests.hostile.hub_servers import RawHub, StoreView, answer, json_answer

PASSWORD = "s3cr3t-P4ssw0rd"
CAP = 1  # ADOPTION_HTTP_RETRY_AFTER_MAX in these tests
FUZZ_EXAMPLES = 60  # per property; recorded in docs/security.md
REPO = "/v2/namespaces/library/repositories/{}"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """One retry, tiny backoff, a one-second cap on announced waits, none of the caller's own settings."""
    monkeypatch.setenv("ADOPTION_HTTP_RETRIES", "1")
    monkeypatch.setenv("ADOPTION_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("ADOPTION_HTTP_RETRY_AFTER_MAX", str(CAP))
    for name in ("DOCKERHUB_API_URL", "DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN", "ADOPTION_DB_URL", "ADOPTION_DB"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def waits(monkeypatch):
    """Every wait the collector sits through for a server, instead of sleeping it."""
    seen: list[float] = []
    monkeypatch.setattr(dockerhub_http, "pause", seen.append)
    return seen


@pytest.fixture
def raw_hub():
    """A socket server answering each path with a behaviour written byte by byte."""
    server = RawHub()
    yield server
    server.close()


@pytest.fixture
def run_cli(capsys, tmp_path):
    """Run `python -m collectors dockerhub` in-process on the test's store; return (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["dockerhub", "--db", str(tmp_path / "adoption.db"), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def store(tmp_path):
    """A view on the test's SQLite store."""
    view = StoreView(f"sqlite:///{tmp_path / 'adoption.db'}")
    yield view
    view.close()


def raw_answer(status: str, headers: list[tuple[str, str]], body: bytes):
    """A behaviour answering with exactly this status line, these header lines and this body."""

    def behave(conn: socket.socket, _stop: threading.Event) -> None:
        lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers)]
        lines += [f"Content-Length: {len(body)}", "Connection: close"]
        conn.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)

    return behave


def _with_password(url: str) -> str:
    return url.replace("http://", f"http://alice:{PASSWORD}@")


# Kind 2: a password in --api-url is never printed nor stored.


def test_a_password_in_the_api_url_is_neither_printed_nor_stored(raw_hub, run_cli, store):
    raw_hub.routes[REPO.format("fine")] = json_answer(answer("library", "fine", 7))
    code, out, err = run_cli("--api-url", _with_password(raw_hub.url()), "--image", "fine", "--image", "gone", "-vv")
    assert code == 1  # library/gone is a 404: its failure is printed with the URL around
    assert store.rows() == [("library", "fine", 7)]
    sources = [row[0] for row in store._query("SELECT source FROM runs")]
    assert sources and all(PASSWORD not in source and "alice:***@" in source for source in sources)
    assert PASSWORD not in out + err


@pytest.mark.parametrize(
    "url",
    [
        f"http://alice:{PASSWORD}@127.0.0.1:99999/",
        f"http://alice:{PASSWORD}@127.0.0.1:port/",
        f"ftp://alice:{PASSWORD}@127.0.0.1/",
        f"http://alice:{PASSWORD}@127.0.0.1/\x1b[2J",
    ],
)
def test_a_bad_api_url_is_a_usage_error_without_its_password(run_cli, url):
    code, out, err = run_cli("--api-url", url, "--image", "fine")
    assert code == 2
    assert err.startswith("error: the API URL must look like https://host[:port]")
    assert PASSWORD not in out + err and "Traceback" not in err and "\x1b" not in err


def test_an_unreachable_api_url_names_the_host_without_the_password(run_cli):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = run_cli("--api-url", f"http://alice:{PASSWORD}@127.0.0.1:{port}", "--image", "fine")
    assert code == 1
    assert f"could not reach 127.0.0.1:{port}" in err
    assert PASSWORD not in out + err


def test_shown_api_url_masks_raw_and_percent_encoded_passwords():
    assert shown_api_url("http://alice:p%40ss@hub.example:8080/v2") == "http://alice:***@hub.example:8080/v2"
    assert shown_api_url("https://hub.docker.com") == "https://hub.docker.com"


# Kind 3: every announced wait is finite and capped; a longer one is that image's rate-limit failure.

HOSTILE_WAITS = [
    ("Retry-After", "nan"),
    ("Retry-After", "inf"),
    ("Retry-After", "-5"),
    ("Retry-After", "9" * 5000),
    ("Retry-After", "999999999"),
    ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"),
    ("X-Retry-After", "nan"),
    ("X-Retry-After", "inf"),
    ("X-Retry-After", "1e400"),
    ("X-Retry-After", "999999999999"),
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("header", "value"), HOSTILE_WAITS)
def test_an_announced_wait_is_finite_and_capped(raw_hub, run_cli, store, waits, header, value):
    raw_hub.routes[REPO.format("limited")] = raw_answer("429 Too Many Requests", [(header, value)], b"{}")
    raw_hub.routes[REPO.format("fine")] = json_answer(answer("library", "fine", 3))
    code, out, err = run_cli("--api-url", raw_hub.url(), "--image", "limited", "--image", "fine")
    assert code == 1 and "Traceback" not in err
    assert all(0 <= wait <= CAP for wait in waits)
    assert store.rows() == [("library", "fine", 3)]
    reason = store.failures()["library/limited"]
    assert reason.startswith(("rate limited: the server asked to wait", "HTTP 429")), reason
    assert store.runs() == [(True, 2, 1, 1)]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("reset", ["now+1000000", "999999999", "nan", "inf", "-1", "1e400"])
def test_an_advertised_reset_is_never_an_endless_wait(raw_hub, run_cli, store, reset):
    stamp = str(int(time.time()) + 10**6) if reset == "now+1000000" else reset
    spent = [("X-RateLimit-Limit", "1"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", stamp)]
    body = json.dumps(answer("library", "first", 1)).encode()
    raw_hub.routes[REPO.format("first")] = raw_answer("200 OK", [("Content-Type", "application/json"), *spent], body)
    raw_hub.routes[REPO.format("second")] = json_answer(answer("library", "second", 2))
    code, out, err = run_cli("--api-url", raw_hub.url(), "--image", "first", "--image", "second", "--workers", "1")
    assert "Traceback" not in err
    assert ("library", "first", 1) in store.rows()
    if code == 1:  # a reset far ahead: the second image is a rate-limit failure in words, not an 11-day wait
        assert store.failures()["library/second"].startswith("rate limited: the server asked to wait")
    else:  # a reset that is not a number (nan, inf, -1, 1e400) is not read
        assert code == 0 and reset in ("nan", "inf", "-1", "1e400")


def test_a_far_reset_in_the_limiter_is_refused_not_waited():
    limiter = RateLimiter(clock=lambda: 1_000.0)
    limiter.max_wait = 60
    ticket = limiter.acquire()
    limiter.release(ticket, {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1000000"})
    with pytest.raises(WaitRefused) as refused:
        limiter.acquire()
    assert refused.value.seconds == pytest.approx(1_000_000)  # under 1e9: seconds from now, not a unix time


@given(raw=st.one_of(st.text(max_size=40), st.sampled_from(["nan", "-inf", "1e999", "  12  ", "0x10", "١٢"])))
@settings(max_examples=200, deadline=None)
def test_announced_wait_is_always_finite_and_never_negative(raw):
    for header in ("Retry-After", "X-Retry-After"):
        seconds = announced_wait({header: raw}, now=1_700_000_000.0)
        assert seconds is None or 0 <= seconds < 1e12


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), -1.0, 61.0])
def test_allowed_wait_refuses_what_is_not_a_wait_within_the_cap(seconds):
    with pytest.raises(WaitRefused):
        allowed_wait(seconds, 60)
    assert allowed_wait(60.0, 60) == 60.0


# Kind 7: numbers from outside are finite and in range where they enter.


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--timeout", "nan"], "argument --timeout: the value must be a number"),
        (["--timeout", "inf"], "argument --timeout: the value must be a number"),
        (["--timeout", "1e308"], "argument --timeout: the value must be a number"),
        (["--timeout", "1e6"], "--timeout must be a positive number of seconds up to 86,400"),
        (["--resume-within", "1e12"], "--resume-within must be from 0 to"),
        (["--workers", "1e3"], "argument --workers: the value must be a whole number"),
    ],
)
def test_a_number_flag_that_is_not_finite_and_in_range_is_a_usage_error(run_cli, capsys, flags, words):
    try:
        code, _, err = run_cli("--api-url", "http://127.0.0.1:9", "--image", "fine", *flags)
    except SystemExit as exit_:  # argparse's own usage error
        code, err = exit_.code, capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADOPTION_HTTP_RETRIES", "2000"),
        ("ADOPTION_HTTP_RETRIES", "nan"),
        ("ADOPTION_HTTP_BACKOFF", "inf"),
        ("ADOPTION_HTTP_RETRY_AFTER_MAX", "1e308"),
        ("ADOPTION_HTTP_RETRY_AFTER_MAX", "-1"),
    ],
)
def test_a_setting_out_of_range_is_one_line_naming_it(run_cli, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    code, _, err = run_cli("--api-url", "http://127.0.0.1:9", "--image", "fine")
    assert code == 2
    assert err.startswith(f"error: {name} must be a")
    assert "Traceback" not in err


def test_a_login_token_that_is_not_latin1_is_a_login_failure(raw_hub, run_cli, store, monkeypatch):
    raw_hub.routes["/v2/auth/token"] = json_answer({"access_token": "tök€n-\u2603"})
    raw_hub.routes[REPO.format("fine")] = json_answer(answer("library", "fine", 1))
    monkeypatch.setenv("DOCKERHUB_USERNAME", "octo")
    monkeypatch.setenv("DOCKERHUB_TOKEN", "dckr_pat_x")
    code, _, err = run_cli("--api-url", raw_hub.url(), "--image", "fine")
    assert code == 2
    assert "login to Docker Hub as octo failed: login answer carries an access token that is not printable" in err
    assert "Traceback" not in err


@given(
    raw=st.one_of(
        st.text(max_size=30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**400), max_value=10**400),
    ),
    whole=st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_parse_number_gives_a_finite_number_in_range_or_bad_number(raw, whole):
    try:
        value = adoption_settings.parse_number(raw, "X", -1000, 1000, whole)
    except adoption_settings.BadNumber as error:
        assert str(error).startswith("X must be a")
        return
    assert -1000 <= value <= 1000
    assert not whole or isinstance(value, int)


# Kind 10: the message names the cause.


def test_a_server_answering_200_header_lines_is_not_could_not_reach(raw_hub, run_cli, store):
    padding = [(f"X-Pad-{number}", str(number)) for number in range(200)]
    raw_hub.routes[REPO.format("padded")] = raw_answer("200 OK", padding, b"{}")
    raw_hub.routes[REPO.format("fine")] = json_answer(answer("library", "fine", 5))
    code, _, err = run_cli("--api-url", raw_hub.url(), "--image", "padded", "--image", "fine")
    assert code == 1
    reason = store.failures()["library/padded"]
    assert reason.startswith("answer is not readable HTTP (got more than 100 headers)"), reason
    assert "could not reach" not in err


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1", "http"])
def test_an_invalid_port_is_a_usage_error(port):
    with pytest.raises(ValueError, match="must look like https://host"):
        resolve_api_url(f"http://127.0.0.1:{port}/")


# Fuzz: random status lines, headers and bodies from a loopback server.

HEADER_NAMES = [
    "Retry-After",
    "X-Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Content-Type",
    "Location",
    "X-Other",
]
HEADER_VALUE = st.one_of(
    st.sampled_from(["nan", "inf", "-1", "0", "1e400", "999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "/v2/x"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=30),
)
BODY = st.one_of(
    st.binary(max_size=200),
    st.builds(lambda count: json.dumps(answer("library", "fuzz", count)).encode(), st.integers(-(10**20), 10**20)),
    st.sampled_from([b"{}", b"[]", b"null", b'{"pull_count": NaN}', b"[" * 5000]),
)


@pytest.fixture(scope="module")
def fuzz_hub():
    """One raw server for every fuzz example (a fresh one per example would dominate the time)."""
    server = RawHub()
    yield server
    server.close()


@pytest.mark.timeout(300)
@given(
    status=st.sampled_from(["200 OK", "429 Too Many Requests", "503 Unavailable", "500 Error", "404 Gone", "302 Go"]),
    headers=st.lists(st.tuples(st.sampled_from(HEADER_NAMES), HEADER_VALUE), max_size=6),
    body=BODY,
)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_answer_is_a_record_or_a_reason_never_a_crash_or_a_long_wait(fuzz_hub, monkeypatch, status, headers, body):
    seen: list[float] = []
    monkeypatch.setattr(dockerhub_http, "pause", seen.append)
    fuzz_hub.routes[REPO.format("fuzz")] = raw_answer(status, headers, body)
    client = HubClient(fuzz_hub.url(), timeout=5, retry=RetrySettings(retries=1, backoff=0, retry_after_max=CAP))
    try:
        record = fetch_repository(client, "library", "fuzz")
    except DockerHubError as error:
        assert str(error) and "Traceback" not in str(error)
    else:
        assert record["name"] == "fuzz" and isinstance(record["pull_count"], int)
    assert all(0 <= wait <= CAP for wait in seen)


# Kind 7 in files: a targets file goes through the same parser.


@pytest.mark.parametrize("value", ["1e308", "nan", "inf", "-5", "١٢", "1_000", "0x10"])
def test_a_target_that_is_not_a_finite_number_in_range_is_refused(tmp_path, value):
    from analysis.errors import InvalidInput
    from analysis.surveys.weighting import read_targets

    path = tmp_path / "targets.csv"
    path.write_text(f"answer,target\nYes,{value}\nNo,1e308\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="every target must be a number from 0 to 1e\\+12"):
        read_targets(path)


def test_targets_written_as_percents_shares_or_counts_still_read(tmp_path):
    from analysis.surveys.weighting import read_targets

    path = tmp_path / "targets.csv"
    path.write_text("answer,target\nYes, 60% \nNo,40\nMaybe,0\n", encoding="utf-8")
    assert read_targets(path)["target"].tolist() == [60.0, 40.0, 0.0]


@pytest.mark.parametrize(("wait", "words"), [(1e300, "more than a week"), (90_000.0, "25.0 hours (until about")])
def test_collect_now_says_a_rate_limit_in_words_however_long_the_wait(wait, words):
    from collectors.dockerhub.api import RateLimitedError
    from dashboard.collect import CollectReport, plain_words

    report = CollectReport(
        1, 0, failures={"library/x": "rate limited"}, errors={"library/x": RateLimitedError("", wait)}
    )
    kind, sentence = plain_words(report)
    assert kind == "error"
    assert f"asked it to wait {words}" in sentence
