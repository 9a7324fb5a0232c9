"""`python -m collectors import-history`: keep the years of history other trackers recorded."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from collectors.history import HistoryError
from collectors.history_import import import_history_file
from exports.cli import EXIT_OK, UserError, add_db_flag
from store import open_store, resolve_db_url

DESCRIPTION = """\
Import pull-count histories recorded by other trackers into the snapshot store.

Understood layouts:
  docker-pulls-scraper      Date,Count,Delta per image (dates YYYY/MM/DD); the image is taken
                            from a namespace_name.csv file name unless --image is given
  docker-pulls-statistics   date,ns/name,ns/name,... one column per image (dates YYYY-MM-DD);
                            --image picks columns (default: all)

A day is stored as midnight UTC. A date repeated within a file keeps its last row. Importing the
same file twice adds nothing. Each file is imported in one transaction: a file with an error adds
no rows, and files before it stay imported.
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
    """Import each file and print what it added."""
    engine = open_store(resolve_db_url(args.db))
    total_read = total_added = 0
    for path in args.files:
        try:
            result = import_history_file(engine, path, args.image)
        except HistoryError as error:
            raise UserError(str(error)) from None
        total_read += result.rows_read
        total_added += result.rows_added
        print(
            f"{path}: {result.layout}, {result.images} image(s), {result.rows_read} snapshots read, "
            f"{result.rows_added} added ({result.rows_read - result.rows_added} already stored)"
        )
        for note in result.notes:
            print(f"  note: {note}", file=sys.stderr)
    if len(args.files) > 1:
        print(f"total: {total_read} snapshots read, {total_added} added")
    return EXIT_OK
