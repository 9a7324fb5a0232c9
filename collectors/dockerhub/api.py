"""Docker Hub: fetch repository pull counts as plain records (HTTP only; saving is the store's job)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

import settings
from collectors.dockerhub.guard import AttemptWatch, RedirectRefused, deadline
from collectors.dockerhub.http import RETRY_STATUSES, RateLimiter, RetrySettings, WaitRefused, build_session
from collectors.errors import CollectorError
from collectors.snapshot_check import check_name_part, check_snapshot
from store.errors import mask_secrets
from store.values import shown

__all__ = ["check_name_part"]  # re-exported: the CLI checks --image with the rule listings are held to

log = logging.getLogger("collectors.dockerhub.api")

DEFAULT_API_URL = "https://hub.docker.com"
DEFAULT_TIMEOUT = 30.0
MAX_ANSWER_BYTES = 8 * 1024 * 1024  # a page of 100 repositories is ~100 kB
MAX_TOKEN_CHARS = 16_384  # a bearer token is a JWT of a few kB
# Which of Docker Hub's two API shapes answered: /v2/namespaces/... (current) or /v2/repositories/... (deprecated
# 2025-06-27 for listings, 2025-09-19 for one repository). The deprecated one is asked only after a 404 or 410.
CURRENT = "current"
DEPRECATED = "deprecated"
# What an HTTP header may carry: a token outside it (not Latin-1, a newline) cannot be sent on any request.
_TOKEN_CHARACTERS = re.compile(r"[!-~]+")
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f]")
RECORD_FIELDS = (
    "namespace",
    "name",
    "pull_count",
    "star_count",
    "last_updated",
    "date_registered",
    "repository_type",
    "is_private",
    "description",
    "observed_at",
)


class DockerHubError(CollectorError):
    """A request to Docker Hub that did not give a usable answer; the message says why."""


class NotFoundError(DockerHubError):
    """Docker Hub answered 404: the repository or namespace does not exist (or is private)."""


class GoneError(NotFoundError):
    """Docker Hub answered 410: the endpoint (or the repository) is gone for good."""


class UnreachableError(DockerHubError):
    """No connection to Docker Hub could be made (no network, a wrong address, a host that refuses)."""


class RateLimitedError(DockerHubError):
    """Docker Hub asked for a wait longer than this run accepts (HTTP 429 or 503 with Retry-After)."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


def resolve_api_url(api_url: str | None = None) -> str:
    """Return the API base from `api_url`, $DOCKERHUB_API_URL, or https://hub.docker.com (ValueError if unusable)."""
    base = api_url or settings.api_url() or DEFAULT_API_URL
    parts = urlsplit(base)
    looks = f"the API URL must look like https://host[:port], not {shown(shown_api_url(base))}"
    if parts.scheme not in ("http", "https") or not parts.hostname or _URL_FORBIDDEN.search(base):
        raise ValueError(looks)
    try:
        parts.port  # noqa: B018 - reading it is the check: urllib refuses a port that is not 0..65535
    except ValueError:
        raise ValueError(f"{looks} (its port is not a number from 1 to 65535)") from None
    if parts.port == 0:
        raise ValueError(f"{looks} (its port is not a number from 1 to 65535)")
    return base.rstrip("/")


def shown_api_url(url: str) -> str:
    """Return an API URL as it may be printed, logged or stored: a password in it masked (`user:***@host`)."""
    try:
        password = urlsplit(url).password or ""
    except ValueError:
        password = ""
    return mask_secrets(url, (password, unquote(password)) if password else ())


class HubClient:
    """The one connection to Docker Hub: base URL, session, timeout and pacing."""

    def __init__(
        self,
        api_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetrySettings | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.api_url = resolve_api_url(api_url)
        self.shown_url = shown_api_url(self.api_url)
        self.timeout = timeout
        self.retry = retry or RetrySettings.from_env()
        self.limiter = limiter or RateLimiter()
        self.session = build_session(self.retry, self.limiter)
        self.endpoints: Counter[str] = Counter()  # answers by API shape (CURRENT, DEPRECATED) in this client's life
        self._endpoints_lock = threading.Lock()

    def answered_by(self, endpoint: str) -> None:
        """Count one answer (an image, or a namespace's listing) given by the `endpoint` shape."""
        with self._endpoints_lock:
            self.endpoints[endpoint] += 1

    def endpoint_words(self) -> str:
        """Return which API shape answered, for a run's summary: "endpoints: 12 current, 1 deprecated"."""
        with self._endpoints_lock:
            counts = {shape: self.endpoints[shape] for shape in (CURRENT, DEPRECATED) if self.endpoints[shape]}
        if not counts:
            return "endpoints: none answered"
        return "endpoints: " + ", ".join(f"{count:,} {shape}" for shape, count in counts.items())

    def __repr__(self) -> str:
        authed = "Authorization" in self.session.headers
        return f"HubClient({self.shown_url!r}, timeout={self.timeout}, authenticated={authed})"

    def url(self, path: str) -> str:
        """Return the absolute URL of an API path such as /v2/namespaces/library/repositories/nginx."""
        return self.api_url + path

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET `url` and return its JSON object, or raise DockerHubError saying what went wrong."""
        return _json_object(*self._send("GET", url, params=params))

    def login(self, username: str, token: str) -> None:
        """Exchange a personal access token for a bearer token used on every later request."""
        body = _json_object(
            *self._send("POST", self.url("/v2/auth/token"), json={"identifier": username, "secret": token})
        )
        access = body.get("access_token") or body.get("token")
        if not isinstance(access, str) or not access:
            raise DockerHubError("login answer carries no access_token: check DOCKERHUB_USERNAME and DOCKERHUB_TOKEN")
        if len(access) > MAX_TOKEN_CHARS or not _TOKEN_CHARACTERS.fullmatch(access):
            # Sent as it is, such a token would fail every later request (or split its headers).
            raise DockerHubError("login answer carries an access token that is not printable ASCII: refused")
        self.session.headers["Authorization"] = f"Bearer {access}"

    def _send(self, method: str, url: str, **kwargs: Any) -> tuple[requests.Response, bytes]:
        """Send one request; return the answer and its whole body, read within the deadline."""
        with deadline(self.timeout) as watch:
            try:
                response = self.session.request(method, url, timeout=self.timeout, stream=True, **kwargs)
                with response:
                    body = _read_body(response)
                watch.disarm()
            except RedirectRefused as error:
                raise DockerHubError(str(error)) from None
            except WaitRefused as error:
                raise RateLimitedError(_rate_limited_words(error), error.seconds) from None
            except UnicodeError:
                raise DockerHubError("request could not be sent: a header or address is not Latin-1 text") from None
            except requests.exceptions.Timeout:
                raise DockerHubError(self._timeout_reason(watch)) from None
            except requests.exceptions.RequestException as error:
                if watch.expired:
                    raise DockerHubError(self._timeout_reason(watch)) from None
                if isinstance(error, requests.exceptions.ConnectionError):
                    raise self._connection_error(error, watch) from None
                raise DockerHubError(f"request failed: {type(error).__name__}") from None
            if watch.cut:  # a server cut at the deadline can look like one that ended its answer early
                raise DockerHubError(self._timeout_reason(watch))
        _check_status(response, self.retry.retries + 1)
        return response, body

    def _timeout_reason(self, watch: AttemptWatch) -> str:
        attempts = max(watch.attempts, 1)
        tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
        return f"no complete answer within {self.timeout:g} s ({tries}): raise --timeout or retry later"

    def _connection_error(self, error: requests.exceptions.ConnectionError, watch: AttemptWatch) -> DockerHubError:
        cause = error.args[0] if error.args else None
        reason = cause.reason if isinstance(cause, MaxRetryError) else cause
        if isinstance(reason, ReadTimeoutError):
            return DockerHubError(self._timeout_reason(watch))
        if isinstance(reason, ProtocolError):
            # The server answered, but not in HTTP that can be read (200 header lines, a broken status line).
            detail = shown(mask_secrets(str(reason.args[-1] if reason.args else reason)))[1:-1][:120]
            return DockerHubError(f"answer is not readable HTTP ({detail}) ({self.retry.retries + 1} attempts)")
        parts = urlsplit(self.api_url)
        host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        return UnreachableError(
            f"could not reach {host} ({self.retry.retries + 1} attempts): check the network or --api-url"
        )


def _rate_limited_words(error: WaitRefused) -> str:
    asked = "more than a year" if error.seconds > 366 * 86_400 else f"{error.seconds:,.0f} s"
    longest = "longer than this run waits"
    if error.longest is not None:
        longest = f"this run waits at most {error.longest:,.0f} s"
    return f"rate limited: the server asked to wait {asked} before the next request; {longest}"


def _read_body(response: requests.Response) -> bytes:
    """Return the body of `response`, refusing one larger than MAX_ANSWER_BYTES."""
    body = bytearray()
    for chunk in response.iter_content(64 * 1024):
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            raise DockerHubError(f"answer is larger than {MAX_ANSWER_BYTES:,} bytes: refused")
    return bytes(body)


def _check_status(response: requests.Response, attempts: int) -> None:
    status = response.status_code
    if status == 404:
        raise NotFoundError("not found on Docker Hub (HTTP 404): check the name, or that it is public")
    if status == 410:
        raise GoneError("gone from Docker Hub (HTTP 410): the repository or the endpoint no longer exists")
    if status in (401, 403):
        raise DockerHubError(f"refused (HTTP {status}): check DOCKERHUB_USERNAME and DOCKERHUB_TOKEN, or access rights")
    if 300 <= status < 400:
        raise DockerHubError(f"HTTP {status} redirect without a usable Location: not followed")
    if status >= 400:
        tries = f" after {attempts} attempts" if status in RETRY_STATUSES else ""
        reason = shown(response.reason or "")[1:-1]
        raise DockerHubError(f"HTTP {status} {reason}{tries}: try again later")


def _json_object(response: requests.Response, body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        kind = shown(response.headers.get("Content-Type", "no content type"))[1:-1]
        start = body[:40].decode("utf-8", "replace").strip().replace("\n", " ")
        raise DockerHubError(f"answer is not JSON ({kind}, starts {shown(start)})") from None
    if not isinstance(payload, dict):
        raise DockerHubError(f"answer is JSON but not an object (a {type(payload).__name__})")
    return payload


def to_record(payload: dict[str, Any], observed_at: datetime, namespace: str | None = None) -> dict[str, Any]:
    """Return the fields kept from one repository object; raise DockerHubError naming the first unusable value."""
    record = {
        "namespace": payload.get("namespace") or namespace,
        "name": payload.get("name"),
        "pull_count": payload.get("pull_count"),
        "star_count": payload.get("star_count"),
        "last_updated": payload.get("last_updated"),
        "date_registered": payload.get("date_registered"),
        "repository_type": payload.get("repository_type"),
        "is_private": payload.get("is_private"),
        "description": payload.get("description"),
        "observed_at": observed_at,
    }
    try:
        return check_snapshot(record)
    except ValueError as error:
        raise DockerHubError(f"answer refused: {error}") from None


def fetch_repository(client: HubClient, namespace: str, name: str) -> dict[str, Any]:
    """Return the record of one repository, e.g. ("library", "nginx"), from the current endpoint or the old one.

    `/v2/namespaces/{ns}/repositories/{name}` is asked first; `/v2/repositories/{ns}/{name}/` only when it
    answers 404 or 410 (any other failure is the image's failure). The client counts which one answered.
    """
    namespace, name = check_name_part(namespace), check_name_part(name)
    try:
        payload = client.get_json(client.url(f"/v2/namespaces/{namespace}/repositories/{name}"))
        endpoint = CURRENT
    except NotFoundError:
        payload = client.get_json(client.url(f"/v2/repositories/{namespace}/{name}/"))
        endpoint = DEPRECATED
    client.answered_by(endpoint)
    # The record is about what we asked for, whatever spelling the answer uses.
    return to_record({**payload, "namespace": namespace, "name": name}, datetime.now(UTC))
