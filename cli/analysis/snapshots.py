"""`python -m analysis snapshots`: the stored snapshots, as a table, CSV or JSON."""

from __future__ import annotations

import argparse

from analysis.pulls.anomalies import snapshot_faults
from cli.toolkit import EXIT_OK, UserError, add_db_flag, add_format_flag, emit
from collectors.bundled import open_store_with_bundled_history
from exports.tables import render
from store.values import split_image

COLUMNS = ["namespace", "name", "observed_at", "pull_count", "star_count", "flag"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the snapshots command."""
    parser = subparsers.add_parser(
        "snapshots",
        help="list stored pull-count snapshots",
        description="List the pull-count snapshots in the store, oldest first for each image. "
        "observed_at is ISO 8601 in UTC. flag names a counter fault: cap (stuck at 2,147,483,647, as nginx, "
        "redis and traefik were until early 2021), decrease (a reset: below an earlier count), stall (flat "
        "for days where the image's usual rate says otherwise); growth figures leave such counts out.",
    )
    add_db_flag(parser)
    parser.add_argument(
        "--image",
        action="append",
        metavar="NS/NAME",
        help="only this image (repeatable); a bare NAME means library/NAME",
    )
    add_format_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the snapshots asked for."""
    try:
        wanted = [f"{ns}/{name}" for ns, name in map(split_image, args.image or [])]
    except ValueError as error:
        raise UserError(str(error)) from error
    store = open_store_with_bundled_history(args.db)
    frame = snapshot_faults(store.read_snapshots(wanted or None))[COLUMNS]
    emit(render(frame, args.format))
    return EXIT_OK
