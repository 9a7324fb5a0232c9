"""`python -m collectors dockerhub`: take a snapshot of Docker Hub pull counts into the store."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cli.toolkit import EXIT_OK, EXIT_PARTIAL, UserError, add_db_flag, number_flag, say
from collectors.dockerhub.api import (
    DEFAULT_TIMEOUT,
    DockerHubError,
    HubClient,
    check_name_part,
    resolve_api_url,
)
from collectors.dockerhub.http import RateLimiter, RetrySettings
from collectors.dockerhub.watchlist import RUN_KIND, parse_image, read_watchlist
from exports.tables import visible_controls
from settings import (
    DATA_DIR,
    ENV_API_URL,
    ENV_BACKOFF,
    ENV_RETRIES,
    ENV_RETRY_AFTER_MAX,
    ENV_TOKEN,
    ENV_USERNAME,
    WATCHLIST,
    hub_credentials,
)
from store.config import resolve_db_url
from store.errors import shown_url

if TYPE_CHECKING:
    from collectors.dockerhub.run import Request

DEFAULT_WATCHLIST = WATCHLIST
DEFAULT_WORKERS = 8
MAX_WORKERS = 64
DEFAULT_RESUME_MINUTES = 60
MAX_TIMEOUT = 86_400  # a day per attempt: past it a timeout is a typo, and the deadline timer overflows
MAX_RESUME_MINUTES = 10**6

EPILOG = f"""\
Without --image, --namespace or --watchlist, the images listed in {DEFAULT_WATCHLIST.relative_to(DATA_DIR.parent)}
are collected. Exit status: 0 when every image was collected, 1 when some failed (the others are
saved and each failure is named on stderr), 2 for a usage error.

An answer with a value the store would not keep (a count past 10^15, a flag that is not true/false,
an oversized text) is that image's failure. A --namespace listing keeps only its own namespace's
entries with valid names (each entry left out is named on stderr), and reads at most the pages its
count implies. Each image is asked of /v2/namespaces/NS/repositories/NAME (each namespace of
/v2/namespaces/NS/repositories) first, and of the deprecated /v2/repositories/... only when that
answers 404 or 410; the summary counts which answered. Redirects to another host are never
followed, so credentials stay with the API host.

environment:
  {ENV_API_URL}          API base when --api-url is absent (default https://hub.docker.com)
  {ENV_USERNAME}, {ENV_TOKEN}
                             log in with a personal access token (higher rate limits, private repos)
  ADOPTION_DB_URL, ADOPTION_DB
                             the store when --db is absent (a SQLAlchemy URL, or a SQLite path)
  {ENV_RETRIES}      retries of a failed request (default 5)
  {ENV_BACKOFF}      exponential backoff factor in seconds (default 0.5)
  {ENV_RETRY_AFTER_MAX}
                             longest wait accepted from Retry-After / X-Retry-After (default 900 s)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `dockerhub` command."""
    parser = subparsers.add_parser(
        "dockerhub",
        help="snapshot Docker Hub pull counts into the store",
        description="Fetch the current pull and star counts of Docker Hub images and save them as a snapshot.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="NS/NAME",
        help="an image to collect; a bare NAME means the official image library/NAME (repeatable)",
    )
    parser.add_argument(
        "--namespace",
        action="append",
        default=[],
        metavar="NS",
        help="collect every repository of a Docker Hub namespace (user or organisation; repeatable)",
    )
    parser.add_argument("--watchlist", metavar="FILE", help="a file of images, one per line ('#' starts a comment)")
    add_db_flag(parser)
    parser.add_argument(
        "--api-url", metavar="URL", help=f"Docker Hub API base (default ${ENV_API_URL}, else https://hub.docker.com)"
    )
    parser.add_argument(
        "--workers",
        type=number_flag(whole=True),
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"requests in flight at once, 1..{MAX_WORKERS} (default {DEFAULT_WORKERS})",
    )
    parser.add_argument(
        "--timeout",
        type=number_flag(),
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="give up on a request whose complete answer (headers and body) has not arrived after this long, "
        f"per attempt, however slowly the server drips it (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--resume-within",
        type=number_flag(),
        default=DEFAULT_RESUME_MINUTES,
        metavar="MINUTES",
        help="resume the same request's interrupted run if it started this recently; 0 never resumes "
        f"(default {DEFAULT_RESUME_MINUTES})",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log each image (-vv: each request)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Collect what `args` asks for; return 0, or 1 when some images failed."""
    # Imported here so that `--help` does not wait for pandas and SQLAlchemy to load.
    from collectors.dockerhub.run import collect
    from store import open_store

    configure_logging(args.verbose)
    request = build_request(args)
    client = hub_client(args, request.api_url)
    db_url = resolve_db_url(args.db)
    store = open_store(db_url)
    started = time.monotonic()
    outcome = collect(client, store, request, workers=args.workers, resume_within=args.resume_within * 60)
    elapsed = time.monotonic() - started
    for image, reason in sorted(outcome.failures.items()):
        print(visible_controls(f"failed: {image}: {reason}"), file=sys.stderr)
    say(f"{outcome.summary(elapsed, shown_url(db_url))}; {client.endpoint_words()}")
    return EXIT_PARTIAL if outcome.failures else EXIT_OK


def build_request(args: argparse.Namespace) -> Request:
    """Turn the flags into a validated Request, or raise UserError."""
    from collectors.dockerhub.run import Request

    if not 1 <= args.workers <= MAX_WORKERS:
        raise UserError(f"--workers must be between 1 and {MAX_WORKERS}, not {args.workers}")
    if not 0 < args.timeout <= MAX_TIMEOUT:
        raise UserError(f"--timeout must be a positive number of seconds up to {MAX_TIMEOUT:,}, not {args.timeout:g}")
    if not 0 <= args.resume_within <= MAX_RESUME_MINUTES:
        raise UserError(f"--resume-within must be from 0 to {MAX_RESUME_MINUTES:,} minutes")
    try:
        api_url = resolve_api_url(args.api_url)
    except ValueError as error:
        raise UserError(f"{error} (from --api-url or ${ENV_API_URL})") from None
    images = [parse_image(text, "--image") for text in args.image]
    if args.watchlist:
        images += read_watchlist(Path(args.watchlist))
    namespaces = [parse_namespace(text) for text in args.namespace]
    if not images and not namespaces:
        images = read_watchlist(DEFAULT_WATCHLIST)
    images = list(dict.fromkeys(images))
    namespaces = list(dict.fromkeys(namespaces))
    return Request(api_url=api_url, images=images, namespaces=namespaces, kind=RUN_KIND)


def parse_namespace(text: str) -> str:
    """A --namespace value as a checked Docker Hub namespace (slashes and spaces around it dropped)."""
    try:
        return check_name_part(text.strip().strip("/"))
    except ValueError as error:
        raise UserError(f"--namespace: {error}") from None


def hub_client(args: argparse.Namespace, api_url: str, limiter: RateLimiter | None = None) -> HubClient:
    """Return the client of a collector command: --timeout, retries from the settings, logged in when credentials
    are set (both or neither); `limiter` paces it (default: the server's own rate-limit headers)."""
    try:
        retry = RetrySettings.from_env()
    except ValueError as error:
        raise UserError(str(error)) from None
    client = HubClient(api_url, timeout=args.timeout, retry=retry, limiter=limiter)
    username, token = hub_credentials()
    if bool(username) != bool(token):
        raise UserError(f"set both {ENV_USERNAME} and {ENV_TOKEN} to log in, or neither")
    if username:
        try:
            client.login(username, token)
        except DockerHubError as error:
            raise UserError(f"login to Docker Hub as {username} failed: {error}") from None
    return client


def configure_logging(verbosity: int) -> None:
    """Log the collectors' progress to stderr: warnings only, or each request with -v."""
    level = logging.WARNING if verbosity == 0 else logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("collectors").setLevel(level)
    logging.getLogger("urllib3").setLevel(logging.DEBUG if verbosity >= 2 else logging.WARNING)
