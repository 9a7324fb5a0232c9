"""`python -m collectors copy-store`: move a whole store (SQLite, PostgreSQL, ...) to another backend."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.toolkit import EXIT_OK, UserError, number_flag, say
from exports.tables import visible_controls
from store.config import resolve_db_url
from store.errors import shown_url

MAX_BATCH = 1_000_000

EPILOG = """\
Copies snapshots, images, runs and their failures, catalog snapshots and their entries, and the
records of imported files, ids kept, parents first, in batches (one transaction each), with progress
on stderr. A copy killed halfway is resumed by running the same command again: rows already copied
are skipped, never doubled. At the end every table's count is compared with the source's.

The target must be empty or hold only rows of this same source (a copy begun earlier): a target with
other data under the same keys is refused before anything is written.

Exit status: 0 when every table was copied and its count matches; 2 for a refused target, a count
that differs after the copy (the table is named), a store that cannot be opened, or a usage error.

Store URLs: a SQLite path or sqlite:///PATH, postgresql://USER[:PASSWORD]@HOST/DB (passwords are
never printed).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `copy-store` command."""
    parser = subparsers.add_parser(
        "copy-store",
        help="copy a whole store to another one (any two backends), resumable, counts checked",
        description="Copy every table of one store into another, e.g. from SQLite to PostgreSQL.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--from", dest="source", required=True, metavar="URL", help="the store to copy from")
    parser.add_argument("--to", dest="target", required=True, metavar="URL", help="the store to copy into")
    parser.add_argument(
        "--batch",
        type=number_flag(whole=True),
        default=5_000,
        metavar="ROWS",
        help="rows per read and per transaction (default 5000)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Copy --from into --to; return 0, or raise the store's one-line error (exit 2)."""
    from store import open_store
    from store.copy import copy_store

    if not 1 <= args.batch <= MAX_BATCH:
        raise UserError(f"--batch must be from 1 to {MAX_BATCH:,} rows, not {args.batch:g}")
    source_url, target_url = resolve_db_url(args.source), resolve_db_url(args.target)
    if source_url == target_url:
        raise UserError(f"--from and --to name the same store ({shown_url(source_url)})")
    _require_existing(source_url)
    source = open_store(source_url)
    try:
        target = open_store(target_url)
        try:
            say(f"copying {shown_url(source_url)} -> {shown_url(target_url)}")
            copies = copy_store(source, target, int(args.batch), _progress)
        finally:
            target.close()
    finally:
        source.close()
    for copied in copies:
        kept = copied.source_rows - copied.added
        say(f"{copied.table}: {copied.source_rows:,} rows ({copied.added:,} copied, {kept:,} already there)")
    say(f"copy complete: every table's count matches the source ({shown_url(target_url)})")
    return EXIT_OK


def _require_existing(url: str) -> None:
    """Refuse a SQLite source that does not exist, rather than creating an empty one and copying nothing."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise UserError(f"--from: no store at {shown_url(url)}")


def _progress(table: str, done: int, total: int) -> None:
    print(visible_controls(f"  {table}: {done:,} of {total:,} rows"), file=sys.stderr, flush=True)
