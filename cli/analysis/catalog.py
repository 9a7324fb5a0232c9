"""`python -m analysis catalog threshold|distribution|concentration|by-source|total|over-time|claims`."""

from __future__ import annotations

import argparse

import pandas as pd

from analysis.catalog.claims import claims_beside_measures, read_claims
from analysis.catalog.over_time import crossings, over_time
from analysis.catalog.read import read_all_catalogs, read_catalog, snapshot_span
from analysis.catalog.stats import (
    DEFAULT_THRESHOLD,
    TOPS,
    by_source,
    concentration,
    distribution,
    parse_pulls,
    publisher_total,
    threshold_ladder,
)
from analysis.errors import InvalidInput
from analysis.views.catalog import threshold_history
from cli.toolkit import EXIT_OK, add_db_flag, add_format_flag, emit
from collectors.bundled import open_store_with_bundled_history
from exports.tables import render
from settings import CLAIMS_FILE
from store.interface import Store

EPILOG = """\
Counts from Docker Hub's search are buckets ("10M+": at least 10,000,000 and under 50,000,000;
"1B+": no upper bound); counts from namespace listings are exact. Each row says how many of its
images are exact and how many are bounds. A sum is exact only when every count in it is; otherwise
it is a lower bound ("at least"), never mixed in unmarked. The snapshot is the latest unless
--snapshot names one; the default store holds the bundled 2,251-image snapshot of 2024-08-17..20."""

VIEWS = {
    "threshold": "how many images have at least --pulls pulls (exact and bounded apart)",
    "distribution": "images per decade of pulls (1M-10M, 10M-100M, ...), exact and bounded apart",
    "concentration": "share of all catalog pulls held by the top 10 / 100 / 1,000 images, as bounds",
    "by-source": "official, verified publisher, open source and community images: counts and pulls",
    "total": "the total pulls of one publisher type (official by default): exact only where every count is",
    "over-time": "per snapshot: images at 10M+ and the official total; images crossing 10M per month",
    "claims": "published headline figures about Docker Hub beside the nearest measured figure",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the catalog command and its views."""
    parser = subparsers.add_parser(
        "catalog",
        help="Docker Hub catalog snapshots: thresholds, distribution, concentration, sources, totals",
        description="Answer questions about a Docker Hub catalog snapshot (many repositories observed at once): "
        "how many images have 10M+ pulls, how pulls are spread, what the official images add up to.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    views = parser.add_subparsers(dest="view", required=True, metavar="VIEW")
    for view, text in VIEWS.items():
        sub = views.add_parser(view, help=text, description=text[0].upper() + text[1:] + ".", epilog=EPILOG)
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
        add_db_flag(sub)
        sub.add_argument("--snapshot", type=int, metavar="ID", help="a catalog snapshot id (default: the latest)")
        if view == "threshold":
            sub.add_argument(
                "--pulls", action="append", help="a threshold: 10M, 1B, 500K or a number (repeatable; default 10M)"
            )
            sub.add_argument(
                "--over-time",
                action="store_true",
                help="one row per catalog snapshot (and threshold), oldest first, with how many of the images "
                "counted carry a known counter fault: cap (stuck at 2,147,483,647), decrease (a reset), stall",
            )
        if view in ("by-source", "over-time"):
            sub.add_argument("--pulls", default="10M", help="the threshold: 10M, 1B, 500K or a number (default 10M)")
        if view == "concentration":
            sub.add_argument("--top", type=int, action="append", metavar="N", help="top N (repeatable; 10, 100, 1000)")
        if view == "total":
            sub.add_argument(
                "--publisher",
                choices=["official", "verified", "open_source", "community", "unknown", "all"],
                default="official",
                help="whose images to add up (default official)",
            )
        add_format_flag(sub)
        sub.set_defaults(handler=run)


def _pulls(args: argparse.Namespace) -> int:
    return parse_pulls(args.pulls) if getattr(args, "pulls", None) else DEFAULT_THRESHOLD


def _describe(frame: pd.DataFrame, snapshot: pd.Series) -> pd.DataFrame:
    """Add the snapshot's id, date and source to every row, so a figure never travels without them."""
    return frame.assign(
        snapshot_id=int(snapshot["snapshot_id"]), observed=snapshot_span(snapshot), source=snapshot["source"]
    )


def _view(args: argparse.Namespace, store: Store) -> pd.DataFrame:
    if args.view == "over-time":
        entries, snapshots = read_all_catalogs(store)
        table = over_time(entries, snapshots, _pulls(args))
        crossed = crossings(entries, snapshots, _pulls(args))
        months = dict(zip(crossed.get("month", []), crossed.get("images_crossing", []), strict=True))
        month = table["observed_to"].dt.strftime("%Y-%m") if not table.empty else pd.Series(dtype=str)
        return table.assign(images_crossing_in_month=[months.get(m, 0) for m in month]).drop(columns="observed_to")
    if args.view == "threshold" and args.over_time:
        if args.snapshot is not None:
            raise InvalidInput("--over-time covers every snapshot: leave out --snapshot")
        tables = [threshold_history(store, parse_pulls(text)) for text in args.pulls or ["10M"]]
        return pd.concat(tables, ignore_index=True)
    entries, snapshot = read_catalog(store, args.snapshot)
    if args.view == "threshold":
        table = threshold_ladder(entries, [parse_pulls(text) for text in args.pulls or ["10M"]])
    elif args.view == "distribution":
        table = distribution(entries)
    elif args.view == "concentration":
        tops = args.top or list(TOPS)
        if any(top < 1 for top in tops):
            raise InvalidInput("--top must be 1 or more")
        table = concentration(entries, tops)
    elif args.view == "by-source":
        table = by_source(entries, _pulls(args))
    elif args.view == "total":
        table = publisher_total(entries, args.publisher)
    else:
        table = claims_beside_measures(read_claims(CLAIMS_FILE), entries, snapshot)
    return _describe(table, snapshot)


def run(args: argparse.Namespace) -> int:
    """Print the catalog view asked for."""
    store = open_store_with_bundled_history(args.db)
    emit(render(_view(args, store), args.format))
    return EXIT_OK
