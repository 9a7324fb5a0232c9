"""`python -m collectors import-history`: keep the years of history other trackers recorded."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.toolkit import EXIT_OK, add_db_flag, say
from collectors.history.importer import import_histories
from collectors.history.read import read_history
from exports.tables import visible_controls
from store import open_store, resolve_db_url

DESCRIPTION = """\
Import pull-count histories recorded by other trackers into the snapshot store.

Understood layouts:
  docker-pulls-scraper      Date,Count,Delta per image (dates YYYY/MM/DD); the image is taken
                            from a namespace_name.csv file name unless --image is given
  docker-pulls-statistics   date,ns/name,ns/name,... one column per image (dates YYYY-MM-DD);
                            --image picks columns (default: all)

A day is stored as midnight UTC. A date repeated within a file keeps its last row. Importing the
same file twice adds nothing. Every row is checked as the collector checks Docker Hub's answers:
counts are whole numbers from 0 to 10^15, dates lie between 2013-01-01 (Docker Hub's start) and
tomorrow, names follow Docker Hub's rule. All files are read and checked before anything is saved:
one bad value is reported with its file and line (exit 2) and no file is imported.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the import-history command."""
    parser = subparsers.add_parser(
        "import-history",
        help="import pull histories recorded by other trackers",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path, help="history CSV file(s)")
    parser.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="NS/NAME",
        help="the image of a one-image file (instead of its file name), or a column to take from a wide file",
    )
    add_db_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read and check every file, then save each in its own transaction and print what it added."""
    # A HistoryError (a CollectorError) is one line and exit 2, like every collector's refusal.
    histories = [read_history(path, args.image) for path in args.files]
    store = open_store(resolve_db_url(args.db))
    results = []
    for result in import_histories(store, histories):
        results.append(result)
        say(
            f"{result.path}: {result.layout}, {result.images} image(s), {result.rows_read} snapshots read, "
            f"{result.rows_added} added ({result.rows_read - result.rows_added} already stored)"
        )
        for note in result.notes:
            print(f"  note: {visible_controls(note)}", file=sys.stderr)
    if len(results) > 1:
        total_read = sum(result.rows_read for result in results)
        say(f"total: {total_read} snapshots read, {sum(result.rows_added for result in results)} added")
    return EXIT_OK
