"""A small Docker Hub catalog served on loopback: search in three shapes, namespace listings in both API shapes.

Listings answer on the current `/v2/namespaces/{ns}/repositories` and the deprecated `/v2/repositories/{ns}/`;
a namespace in `retired` answers 410 on the current one (only the deprecated one serves it).
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "catalog" / "imrealq_4fun-dockerhub" / "docker_hub_images_info.json"
LADDER = (10**9, 5 * 10**8, 10**8, 5 * 10**7, 10**7, 5 * 10**6, 10**6, 5 * 10**5, 10**5, 5 * 10**4, 10**4)
BADGES = {"official": "official", "verified": "verified_publisher", "open_source": "open_source"}


def humanised(count: int) -> str:
    """Return `count` as Docker Hub's search shows it: "10M+" from 10,000 on, "7.9K" below."""
    for step in LADDER:
        if count >= step:
            for unit, size in (("B", 10**9), ("M", 10**6), ("K", 10**3)):
                if step >= size:
                    return f"{step // size}{unit}+"
    return f"{count / 1000:.1f}K" if count >= 1000 else str(count)


class FakeCatalog:
    """Repositories {(ns, name): pulls} with publishers; answers search and listing requests, counting them."""

    def __init__(self, repos: dict[tuple[str, str], int], publishers: dict[tuple[str, str], str] | None = None):
        self.repos = repos
        self.publishers = publishers or {}
        self.requests: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.missing: set[str] = set()  # namespaces that answer 404
        self.hold: threading.Event | None = None  # when set up, listings of `held` wait for it
        self.held: set[str] = set()
        self.retired: set[str] = set()  # namespaces the current listing endpoint answers 410 for
        self.throttled: Counter[str] = Counter()  # namespaces answering 429 (Retry-After: 1) this many more times
        self.listing_queries: list[tuple[str, dict[str, str]]] = []  # (path, query) of every listing request

    def ranked(self, badge: str | None = None) -> list[tuple[tuple[str, str], int]]:
        rows = sorted(self.repos.items(), key=lambda kv: (-kv[1], kv[0]))
        if badge:
            rows = [row for row in rows if BADGES.get(self.publishers.get(row[0], ""), "") == badge]
        return rows

    def _count(self, key: str) -> None:
        with self.lock:
            self.requests[key] += 1

    def search_v4(self, request: Request) -> Response:
        self._count("search")
        start, size = int(request.args.get("from", 0)), int(request.args.get("size", 25))
        rows = self.ranked(request.args.get("badges"))
        results = [
            {"name": f"{ns}/{name}", "badge": BADGES.get(self.publishers.get((ns, name), ""), "none"),
             "pull_count": humanised(pulls), "star_count": 1}
            for (ns, name), pulls in rows[start : start + size]
        ]  # fmt: skip
        return Response(json.dumps({"total": len(rows), "results": results}), content_type="application/json")

    def search_v3(self, request: Request) -> Response:
        self._count("search")
        start, size = int(request.args.get("from", 0)), int(request.args.get("size", 25))
        results = []
        for (ns, name), pulls in self.ranked()[start : start + size]:
            repo = {"namespace": ns, "name": name, "pull_count": humanised(pulls), "is_official": ns == "library"}
            source = "store" if ns == "library" else "open_source"
            results.append(
                {"id": f"{ns}/{name}", "source": source, "star_count": 2, "rate_plans": [{"repositories": [repo]}]}
            )
        return Response(json.dumps({"total": len(self.repos), "results": results}), content_type="application/json")

    def search_v2(self, request: Request) -> Response:
        self._count("search")
        size, page = int(request.args.get("page_size", 25)), int(request.args.get("page", 1))
        rows = self.ranked()
        chunk = rows[(page - 1) * size : page * size]
        results = [
            {"repo_name": name if ns == "library" else f"{ns}/{name}", "pull_count": pulls, "star_count": 3,
             "is_official": ns == "library"}
            for (ns, name), pulls in chunk
        ]  # fmt: skip
        more = page * size < len(rows)
        following = f"{request.base_url}?{urlencode({'page': page + 1, 'page_size': size})}" if more else None
        return Response(
            json.dumps({"count": len(rows), "next": following, "results": results}), content_type="application/json"
        )

    def listing(self, request: Request) -> Response:
        namespace = request.path.strip("/").split("/")[2]  # v2/namespaces/NS/repositories or v2/repositories/NS
        self._count(namespace)
        with self.lock:
            self.listing_queries.append((request.path, dict(request.args)))
            if self.throttled[namespace] > 0:
                self.throttled[namespace] -= 1
                return Response("", status=429, headers={"Retry-After": "1"})
        if int(request.args.get("page_size", 10)) > 100:
            return Response('{"message": "page_size must be at most 100"}', status=400, content_type="application/json")
        if namespace in self.missing:
            return Response('{"message": "object not found"}', status=404, content_type="application/json")
        if namespace in self.retired and request.path.startswith("/v2/namespaces/"):
            return Response('{"message": "gone"}', status=410, content_type="application/json")
        if self.hold is not None and namespace in self.held:
            self.hold.wait(30)
        size, page = int(request.args.get("page_size", 10)), int(request.args.get("page", 1))
        rows = [(name, pulls) for (ns, name), pulls in self.repos.items() if ns == namespace]
        reverse = request.args.get("ordering") == "-pull_count"
        rows.sort(key=lambda row: (-row[1], row[0]) if reverse else (row[0], 0))
        chunk = rows[(page - 1) * size : page * size]
        results = [
            {"namespace": namespace, "name": name, "pull_count": pulls, "star_count": 4} for name, pulls in chunk
        ]
        more = page * size < len(rows)
        query = urlencode({"page": page + 1, "page_size": size, "ordering": request.args.get("ordering", "")})
        following = f"{request.base_url}?{query}" if more else None
        body = {"count": len(rows), "next": following, "previous": None, "results": results}
        return Response(json.dumps(body), content_type="application/json")

    def serve(self, server: HTTPServer) -> None:
        """Route the hub's paths to this catalog."""
        server.expect_request("/api/search/v4").respond_with_handler(self.search_v4)
        server.expect_request("/api/search/v3/catalog/search").respond_with_handler(self.search_v3)
        server.expect_request("/v2/search/repositories/").respond_with_handler(self.search_v2)
        server.expect_request(re.compile(r"^/v2/namespaces/[^/]+/repositories$")).respond_with_handler(self.listing)
        server.expect_request(re.compile(r"^/v2/repositories/[^/]+/$")).respond_with_handler(self.listing)


def small_catalog() -> FakeCatalog:
    """A catalog with a 250-repository namespace, a few official images and one-repository namespaces."""
    repos = {("library", name): pulls for name, pulls in [("nginx", 12_981_954_060), ("redis", 2_000_000_000),
                                                          ("alpine", 900_000_000)]}  # fmt: skip
    repos |= {("bitnami", f"app{n:03d}"): 50_000_000 - n * 100_000 for n in range(250)}
    repos |= {(f"solo{n}", "tool"): 20_000_000 - n for n in range(5)}
    publishers = {key: "official" for key in repos if key[0] == "library"}
    publishers |= {key: "verified" for key in repos if key[0] == "bitnami"}
    return FakeCatalog(repos, publishers)
