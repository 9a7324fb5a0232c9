"""Docker Hub: fetch repository pull counts as plain records (HTTP only; saving is the store's job)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from urllib3.exceptions import MaxRetryError, ReadTimeoutError

import settings
from collectors.dockerhub_http import RETRY_STATUSES, RateLimiter, RetrySettings, build_session

DEFAULT_API_URL = "https://hub.docker.com"
DEFAULT_TIMEOUT = 30.0
PAGE_SIZE = 100
MAX_PAGES = 10_000
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
_NAME_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class DockerHubError(Exception):
    """A request to Docker Hub that did not give a usable answer; the message says why."""


class NotFoundError(DockerHubError):
    """Docker Hub answered 404: the repository or namespace does not exist (or is private)."""


def resolve_api_url(api_url: str | None = None) -> str:
    """Return the API base from `api_url`, $DOCKERHUB_API_URL, or https://hub.docker.com."""
    base = api_url or settings.api_url() or DEFAULT_API_URL
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"the API URL must look like https://host[:port], not {base!r}")
    return base.rstrip("/")


def check_name_part(part: str) -> str:
    """Return `part` if it can be a Docker Hub namespace or repository name, else raise ValueError."""
    if not _NAME_PART.match(part):
        raise ValueError(f"not a Docker Hub name: {part!r} (letters, digits, '.', '_' and '-' only)")
    return part


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
        self.timeout = timeout
        self.retry = retry or RetrySettings.from_env()
        self.limiter = limiter or RateLimiter()
        self.session = build_session(self.retry, self.limiter)

    def __repr__(self) -> str:
        authed = "Authorization" in self.session.headers
        return f"HubClient({self.api_url!r}, timeout={self.timeout}, authenticated={authed})"

    def url(self, path: str) -> str:
        """Return the absolute URL of an API path such as /v2/repositories/library/nginx/."""
        return self.api_url + path

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET `url` and return its JSON object, or raise DockerHubError saying what went wrong."""
        response = self._send("GET", url, params=params)
        return _json_object(response)

    def login(self, username: str, token: str) -> None:
        """Exchange a personal access token for a bearer token used on every later request."""
        response = self._send("POST", self.url("/v2/auth/token"), json={"identifier": username, "secret": token})
        body = _json_object(response)
        access = body.get("access_token") or body.get("token")
        if not isinstance(access, str) or not access:
            raise DockerHubError("login answer carries no access_token: check DOCKERHUB_USERNAME and DOCKERHUB_TOKEN")
        self.session.headers["Authorization"] = f"Bearer {access}"

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.exceptions.Timeout:
            raise DockerHubError(self._timeout_reason()) from None
        except requests.exceptions.ConnectionError as error:
            raise DockerHubError(self._connection_reason(error)) from None
        except requests.exceptions.RequestException as error:
            raise DockerHubError(f"request failed: {type(error).__name__}") from None
        if response.status_code == 404:
            raise NotFoundError("not found on Docker Hub (HTTP 404): check the name, or that it is public")
        if response.status_code in (401, 403):
            raise DockerHubError(
                f"refused (HTTP {response.status_code}): check DOCKERHUB_USERNAME and DOCKERHUB_TOKEN, or access rights"
            )
        if response.status_code >= 400:
            tries = f" after {self.retry.retries + 1} attempts" if response.status_code in RETRY_STATUSES else ""
            raise DockerHubError(f"HTTP {response.status_code} {response.reason}{tries}: try again later")
        return response

    def _timeout_reason(self) -> str:
        attempts = self.retry.retries + 1
        return f"no answer within {self.timeout:g} s ({attempts} attempts): raise --timeout or retry later"

    def _connection_reason(self, error: requests.exceptions.ConnectionError) -> str:
        cause = error.args[0] if error.args else None
        if isinstance(cause, MaxRetryError) and isinstance(cause.reason, ReadTimeoutError):
            return self._timeout_reason()
        host = urlsplit(self.api_url).netloc
        return f"could not reach {host} ({self.retry.retries + 1} attempts): check the network or --api-url"


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        start = response.text[:40].strip().replace("\n", " ")
        raise DockerHubError(f"answer is not JSON ({kind}, starts {start!r})") from None
    if not isinstance(body, dict):
        raise DockerHubError(f"answer is JSON but not an object (a {type(body).__name__})")
    return body


def to_record(payload: dict[str, Any], observed_at: datetime, namespace: str | None = None) -> dict[str, Any]:
    """Return the fields kept from one repository object; raise DockerHubError when the count is unusable."""
    pull_count = payload.get("pull_count")
    # A bool is an int in Python, and the catalog endpoints give strings such as "1B+": refuse both.
    if isinstance(pull_count, bool) or not isinstance(pull_count, int) or pull_count < 0:
        raise DockerHubError(f"answer has no exact pull_count (got {pull_count!r})")
    star_count = payload.get("star_count")
    name = payload.get("name")
    if not isinstance(name, str) or not name:
        raise DockerHubError("answer has no repository name")
    return {
        "namespace": payload.get("namespace") or namespace,
        "name": name,
        "pull_count": pull_count,
        "star_count": star_count if isinstance(star_count, int) and not isinstance(star_count, bool) else None,
        "last_updated": payload.get("last_updated"),
        "date_registered": payload.get("date_registered"),
        "repository_type": payload.get("repository_type"),
        "is_private": payload.get("is_private"),
        "description": payload.get("description"),
        "observed_at": observed_at,
    }


def fetch_repository(client: HubClient, namespace: str, name: str) -> dict[str, Any]:
    """Return the record of one repository, e.g. ("library", "nginx")."""
    url = client.url(f"/v2/repositories/{check_name_part(namespace)}/{check_name_part(name)}/")
    payload = client.get_json(url)
    observed_at = datetime.now(UTC)
    record = to_record(payload, observed_at, namespace)
    # The record is about what we asked for, whatever spelling the answer uses.
    record["namespace"], record["name"] = namespace, name
    return record


def paginate(client: HubClient, url: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Yield every item of a listing, following `next` until it is null (kept on the configured API host)."""
    seen: set[str] = set()
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise DockerHubError(f"listing loops back to a page already read ({len(seen)} pages read)")
        seen.add(url)
        page = client.get_json(url, params=params if len(seen) == 1 else None)
        results = page.get("results")
        if not isinstance(results, list):
            raise DockerHubError(f"listing page {len(seen)} has no 'results' list")
        yield from results
        url = _on_api_host(client, page.get("next"))


def _on_api_host(client: HubClient, next_url: Any) -> str | None:
    """Return `next_url` rebased on the API host, so a bearer token never travels elsewhere."""
    if not next_url or not isinstance(next_url, str):
        return None
    base, link = urlsplit(client.api_url), urlsplit(next_url)
    if link.scheme and (link.scheme, link.netloc) != (base.scheme, base.netloc):
        link = link._replace(scheme=base.scheme, netloc=base.netloc)
    if not link.scheme:
        return client.url(next_url) if next_url.startswith("/") else None
    return urlunsplit(link)


def fetch_namespace(client: HubClient, namespace: str) -> Iterator[dict[str, Any]]:
    """Yield a record for every repository of `namespace`, page by page."""
    params = {"page_size": PAGE_SIZE}
    items = paginate(client, client.url(f"/v2/namespaces/{check_name_part(namespace)}/repositories"), params)
    try:
        first = next(items, None)
    except NotFoundError:
        # Older deployments list a namespace only under /v2/repositories/{ns}/.
        items = paginate(client, client.url(f"/v2/repositories/{namespace}/"), params)
        first = next(items, None)
    if first is None:
        return
    for item in itertools.chain([first], items):
        if not isinstance(item, dict):
            raise DockerHubError(f"listing of {namespace} holds an item that is not an object")
        yield to_record(item, datetime.now(UTC), namespace)
