"""`python -m collectors dockerhub-catalog`: a catalog snapshot of Docker Hub's top repositories."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cli.collectors.dockerhub import (
    MAX_RESUME_MINUTES,
    MAX_TIMEOUT,
    configure_logging,
    hub_client,
    parse_namespace,
)
from cli.toolkit import EXIT_OK, EXIT_PARTIAL, UserError, add_db_flag, number_flag, say
from collectors.dockerhub.api import DEFAULT_TIMEOUT, HubClient, resolve_api_url
from collectors.dockerhub.http import RateLimiter, RequestBudget
from exports.tables import visible_controls
from settings import ENV_API_URL, ENV_HUB_PER_MINUTE, ENV_TOKEN, ENV_USERNAME, hub_requests_per_minute
from store.config import resolve_db_url
from store.errors import shown_url

DEFAULT_TOP = 1000
MAX_TOP = 1_000_000
DEFAULT_WORKERS = 4
MAX_WORKERS = 32
MAX_PER_MINUTE = 1_000_000
DEFAULT_RESUME_MINUTES = 24 * 60  # a daily snapshot of 100,000 repositories takes hours
SOURCES = ("official", "verified", "open_source", "all")
SHAPES = ("v4", "v3", "v2")

EPILOG = f"""\
How it works: Docker Hub's search names the top repositories (by pull count) with humanised counts
("10M+"); each one's namespace is then listed, 100 repositories a request, busiest first, which
gives exact counts. A repository whose exact count cannot be taken keeps the search's range and is
named on stderr (never stored as 0). --namespace lists a whole namespace without the search.

Crawl: the search stops near 2,500 results, so --namespaces FILE (one namespace a line, '#' starts
a comment) lists whole namespaces instead: those of the file, plus, with --top N, every namespace
the search found (each listed whole, not only its top repositories). The summary gives the
coverage ("N repositories in M namespaces; K namespaces failed"; each failure named on stderr with
its reason), and progress goes to stderr. A namespace is saved when its listing ends, so a crawl
killed halfway and run again lists only the namespaces it had not finished.

Pacing: at most --per-minute requests in any minute (retries included), and never more than the
server's X-RateLimit-* headers allow; 429 answers are retried after Retry-After. A run killed
halfway keeps every page it saved; the same command resumes it (within --resume-within).

--search picks the search endpoint: v4 (/api/search/v4, what Docker's own Hub MCP server calls),
v3 (/api/search/v3/catalog/search, recorded in 2024), v2 (/v2/search/repositories/, exact counts).

Exit status: 0 when every repository got its exact count, 1 when some failed, 2 for a usage error.

environment:
  {ENV_HUB_PER_MINUTE}
                             requests a minute when --per-minute is absent (default 180)
  {ENV_API_URL}, {ENV_USERNAME}, {ENV_TOKEN}, ADOPTION_DB_URL, ADOPTION_DB,
  ADOPTION_HTTP_RETRIES, ADOPTION_HTTP_BACKOFF, ADOPTION_HTTP_RETRY_AFTER_MAX
                             as for `python -m collectors dockerhub`
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `dockerhub-catalog` command."""
    parser = subparsers.add_parser(
        "dockerhub-catalog",
        help="snapshot the pull counts of Docker Hub's top repositories (a catalog snapshot)",
        description="Find Docker Hub's top repositories by search, then take their exact pull counts by "
        "namespace listing, into one catalog snapshot.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--top",
        type=number_flag(whole=True),
        metavar="N",
        help=f"the search's top N repositories (default {DEFAULT_TOP} without --namespace)",
    )
    parser.add_argument(
        "--namespace", action="append", default=[], metavar="NS", help="list every repository of NS (repeatable)"
    )
    parser.add_argument(
        "--namespaces",
        metavar="FILE",
        help="crawl: list whole every namespace of FILE (one a line), plus those the search finds with --top",
    )
    parser.add_argument("--source", choices=SOURCES, default="all", help="which publishers the search covers")
    parser.add_argument("--search", choices=SHAPES, default="v4", help="search endpoint (default v4)")
    add_db_flag(parser)
    parser.add_argument("--api-url", metavar="URL", help=f"Docker Hub API base (default ${ENV_API_URL})")
    parser.add_argument(
        "--per-minute",
        type=number_flag(whole=True),
        metavar="N",
        help=f"most requests in any minute (default ${ENV_HUB_PER_MINUTE}, 180)",
    )
    parser.add_argument(
        "--workers",
        type=number_flag(whole=True),
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"listings in flight (default {DEFAULT_WORKERS})",
    )
    parser.add_argument(
        "--timeout", type=number_flag(), default=DEFAULT_TIMEOUT, metavar="SECONDS", help="per request and attempt"
    )
    parser.add_argument(
        "--resume-within",
        type=number_flag(),
        default=DEFAULT_RESUME_MINUTES,
        metavar="MINUTES",
        help="resume the same request's interrupted run if it started this recently; 0 never "
        f"(default {DEFAULT_RESUME_MINUTES})",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log each namespace (-vv: each request)")
    parser.set_defaults(handler=run)


def build_request(args: argparse.Namespace):  # noqa: ANN201
    """Turn the flags into a CatalogRequest, or raise UserError."""
    from collectors.catalog.run import CatalogRequest

    if not 1 <= args.workers <= MAX_WORKERS:
        raise UserError(f"--workers must be between 1 and {MAX_WORKERS}, not {args.workers}")
    if not 0 < args.timeout <= MAX_TIMEOUT or not 0 <= args.resume_within <= MAX_RESUME_MINUTES:
        raise UserError(f"--timeout must be above 0 (up to {MAX_TIMEOUT:,}) and --resume-within 0 or more minutes")
    if args.per_minute is not None and not 1 <= args.per_minute <= MAX_PER_MINUTE:
        raise UserError(f"--per-minute must be from 1 to {MAX_PER_MINUTE:,}, not {args.per_minute}")
    namespaces = tuple(dict.fromkeys(parse_namespace(text) for text in args.namespace))
    crawl = args.namespaces is not None
    if crawl:
        from collectors.catalog.seeds import read_namespace_file

        namespaces = tuple(dict.fromkeys(namespaces + read_namespace_file(Path(args.namespaces))))
    top = args.top if args.top is not None else (0 if namespaces else DEFAULT_TOP)
    if not 0 <= top <= MAX_TOP or (top == 0 and not namespaces):
        raise UserError(f"--top must be between 1 and {MAX_TOP:,} (or give --namespace), not {top}")
    try:
        api_url = resolve_api_url(args.api_url)
    except ValueError as error:
        raise UserError(f"{error} (from --api-url or ${ENV_API_URL})") from None
    return CatalogRequest(
        api_url=api_url, top=top, namespaces=namespaces, source=args.source, shape=args.search, crawl=crawl
    )


def build_client(args: argparse.Namespace, api_url: str) -> HubClient:
    """Return a client paced to --per-minute (or the setting) and logged in when credentials are set."""
    per_minute = args.per_minute or hub_requests_per_minute()
    return hub_client(args, api_url, RateLimiter(budget=RequestBudget(per_minute)))


def run(args: argparse.Namespace) -> int:
    """Take the catalog snapshot; return 0, or 1 when some repositories failed."""
    from collectors.catalog.run import collect_catalog
    from store import open_store

    configure_logging(args.verbose)
    request = build_request(args)
    client = build_client(args, request.api_url)
    db_url = resolve_db_url(args.db)
    store = open_store(db_url)
    started = time.monotonic()
    outcome = collect_catalog(client, store, request, args.workers, args.resume_within * 60, _progress)
    for label, reason in sorted(outcome.failures.items()):
        print(visible_controls(f"failed: {label}: {reason}"), file=sys.stderr)
    summary = outcome.summary(time.monotonic() - started, client.limiter.issued, shown_url(db_url))
    say(f"{summary}; {client.endpoint_words()}")
    return EXIT_PARTIAL if outcome.failures else EXIT_OK


def _progress(done: int, total: int, namespace: str, repositories: int) -> None:
    """Say on stderr how far the listings are: each one up to 100 namespaces, then every 1% of them."""
    if total <= 100 or done % max(total // 100, 1) == 0 or done == total:
        line = f"  namespaces: {done:,} of {total:,} listed ({namespace}: {repositories:,})"
        print(visible_controls(line), file=sys.stderr, flush=True)
