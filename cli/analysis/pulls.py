"""`python -m analysis pulls|rank|growth|milestone|lift`: pull-count analytics from the command line."""

from __future__ import annotations

import argparse
import sys
import textwrap

import pandas as pd

from analysis.pulls.anomalies import anomalies
from analysis.pulls.figures import growth_offsets, growth_view, images_daily
from analysis.pulls.freshness import age_note, as_day, today_utc
from analysis.pulls.growth import average_daily_pulls, compound_growth, period_change
from analysis.pulls.milestones import event_lift, milestones
from analysis.pulls.periods import ATTRIBUTIONS, FREQS, period_pulls
from analysis.pulls.rank import (
    MIN_PULLS_FOR_GROWTH,
    RANK_BY,
    parse_window,
    peer_share,
)
from analysis.pulls.read import read_pull_history, read_window_counts
from cli.toolkit import EXIT_OK, UserError, add_db_flag, add_format_flag
from collectors.bundled import open_store_with_bundled_history
from exports.tables import render, visible_controls
from store.timeutil import SECONDS_PER_DAY
from store.values import split_image

FLAGS_EPILOG = """\
flag column (several are joined by ';'):
  baseline     first good observation: a starting count, not pulls
  gap          no observation that day
  failed_poll  a collection run recorded a failure for the image that day
  cap          count stuck at 2,147,483,647 (Docker Hub, 2020); ignored
  decrease     count lower than an earlier one; ignored
  stall        count flat for days on an image pulled every day; ignored
  catch_up     first good count after a stall
  joined       (--combine) a member's first count; added to pull_count, not to pulls
  partial      (--combine) a member's pulls are unknown that day
estimated is true where pulls were spread over days without a good observation.
days_in_period is the length of the day, week or month; partial is true where the history covers
fewer of its days (the first and last period of a series): compare change, which is per day."""

RANK_EPILOG = """\
columns: window_end is the day of the image's last good observation the windows end on; days and
previous_days the whole days each window covers; avg_daily_pulls = pulls / days; growth compares
pulls per day: (pulls / days) / (previous_pulls / previous_days) - 1. --by pulls orders by
avg_daily_pulls.
flag column (several are joined by ';'):
  short_window:12/30d    the image's history starts inside the window: 12 of 30 days
  long_window:32/30d     no observation on the window's first day: it starts at the one before
  short_previous, long_previous   the same for the earlier window
  decrease               a count lower than an earlier one makes pulls negative"""


def _date(text: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(text.replace("/", "-"), tz="UTC").normalize()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write YYYY-MM-DD)") from error


def _window(text: str) -> int:
    try:
        return parse_window(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _series_parser(subparsers: argparse._SubParsersAction, name: str, **kwargs) -> argparse.ArgumentParser:
    """A subcommand that reads the daily series of some images."""
    kwargs["description"] = textwrap.fill(kwargs["description"], 100)
    parser = subparsers.add_parser(name, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)
    add_db_flag(parser)
    parser.add_argument(
        "--image", action="append", metavar="NS/NAME", help="an image (repeatable); a bare NAME means library/NAME"
    )
    parser.add_argument(
        "--combine", action="store_true", help="add the images up into one series (each counts 0 before it appears)"
    )
    parser.add_argument(
        "--attribution",
        choices=ATTRIBUTIONS,
        default="spread",
        help="across a gap, spread the increase evenly over its days (default, marked estimated) "
        "or put it on the day it was observed (days before it left empty)",
    )
    add_format_flag(parser)
    return parser


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the pulls, rank, growth, milestone and lift commands."""
    pulls = _series_parser(
        subparsers,
        "pulls",
        help="pulls per day, week or month, with anomalies flagged",
        description="Pulls per day, week (starting Monday) or month from the stored cumulative counts. "
        "pull_count is the count at the end of the period, pulls the increase within it, days the days "
        "of the period the history covers. change compares pulls per day with the previous period.",
        epilog=FLAGS_EPILOG,
    )
    pulls.add_argument("--freq", choices=FREQS, default="day", help="period length (default: day)")
    pulls.add_argument("--since", type=_date, metavar="DATE", help="first day to show (YYYY-MM-DD)")
    pulls.add_argument("--until", type=_date, metavar="DATE", help="last day to show (YYYY-MM-DD)")
    pulls.add_argument("--share", action="store_true", help="add each image's share of the listed images' pulls")
    pulls.add_argument("--averages", action="store_true", help="(day) add 7- and 30-day average daily pulls")
    pulls.add_argument(
        "--anomalies", action="store_true", help="print only the flagged days: image, day, flag, observed count"
    )
    pulls.set_defaults(handler=run_pulls)

    rank = subparsers.add_parser(
        "rank",
        help="rank images by total pulls, pulls in a window, or growth",
        description=textwrap.fill(
            "Rank the stored images, computed in the store. Each image is measured up to its own last good "
            "observation (on or before --until): pulls is the increase over the window ending there, growth "
            "compares its pulls per day with the window before, for images with at least --min-pulls in that "
            "earlier window. The Overview and the pulls page show these same figures.",
            100,
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=RANK_EPILOG,
    )
    add_db_flag(rank)
    rank.add_argument("--by", choices=RANK_BY, required=True, help="what to rank by")
    rank.add_argument("--window", type=_window, default=30, metavar="30d", help="window length: 30d, 4w (default 30d)")
    rank.add_argument("--top", type=_positive, default=20, metavar="N", help="how many images to show (default 20)")
    rank.add_argument("--namespace", metavar="NS", help="only images in this namespace")
    rank.add_argument("--image", action="append", metavar="NS/NAME", help="only this image (repeatable)")
    rank.add_argument(
        "--until",
        type=_date,
        metavar="DATE",
        help="end each window on the last observation by this day (default: newest)",
    )
    rank.add_argument(
        "--min-pulls",
        type=int,
        default=MIN_PULLS_FOR_GROWTH,
        metavar="N",
        help=f"(growth) pulls needed in the earlier window (default {MIN_PULLS_FOR_GROWTH:,})",
    )
    add_format_flag(rank)
    rank.set_defaults(handler=run_rank)

    growth = _series_parser(
        subparsers,
        "growth",
        help="compound growth per month between two dates",
        description="Compound growth per month between two dates: of the cumulative count (count_growth) "
        "and of the average daily pulls over the 30 days ending at each date (pulls_growth).",
    )
    growth.add_argument("--start", type=_date, required=True, metavar="DATE", help="first date (YYYY-MM-DD)")
    growth.add_argument("--end", type=_date, required=True, metavar="DATE", help="second date (YYYY-MM-DD)")
    growth.set_defaults(handler=run_growth)

    milestone = _series_parser(
        subparsers,
        "milestone",
        help="when an image passed or will pass N pulls",
        description="When each image passed N pulls, or when it is expected to at its 30-day trend, with "
        "a range from the fastest and slowest of its 7-, 30- and 90-day average daily pulls.",
    )
    milestone.add_argument("--target", type=_positive, required=True, metavar="N", help="number of pulls")
    milestone.add_argument(
        "--today",
        type=_date,
        metavar="DATE",
        help="the day the projection is made (default: today, UTC); a projected date before it is withheld, "
        "and data older than a few days is said to be stale",
    )
    milestone.set_defaults(handler=run_milestone)

    lift = _series_parser(
        subparsers,
        "lift",
        help="pulls in the N days before and after a date",
        description="Pulls in the N days before a date (a talk, a release) and in the N days from it on, "
        "and the lift: after over before, minus 1.",
    )
    lift.add_argument("--date", type=_date, required=True, metavar="DATE", help="the event day (YYYY-MM-DD)")
    lift.add_argument("--days", type=_positive, default=14, metavar="N", help="days on each side (default 14)")
    lift.set_defaults(handler=run_lift)


def _pairs(args: argparse.Namespace) -> list[tuple[str, str]] | None:
    try:
        return [split_image(image) for image in args.image] if args.image else None
    except ValueError as error:
        raise UserError(str(error)) from error


def _daily(args: argparse.Namespace, since: pd.Timestamp | None = None, until: pd.Timestamp | None = None):  # noqa: ANN202
    """The daily rows asked for (combined when --combine), attributed as asked."""
    if since is not None and until is not None and until < since:
        raise UserError("--until comes before --since; swap them")
    store = open_store_with_bundled_history(args.db)
    end = None if until is None else until + pd.Timedelta(seconds=SECONDS_PER_DAY - 1)
    pairs = _pairs(args)
    observations, failures = read_pull_history(store, pairs, since, end)
    combined = ("+".join(f"{ns}/{name}" for ns, name in sorted(pairs)) if pairs else "") if args.combine else None
    return images_daily(observations, failures, args.attribution, combined, since, end)


def _format_periods(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    pattern = "%Y-%m" if freq == "month" else "%Y-%m-%d"
    return frame.assign(period=frame["period"].dt.strftime(pattern))


def _format_days(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    result = frame.copy()
    for column in columns:
        result[column] = result[column].dt.strftime("%Y-%m-%d").astype(object).where(result[column].notna(), None)
    return result


def run_pulls(args: argparse.Namespace) -> int:
    """Print pulls per period."""
    daily = _daily(args, args.since, args.until)
    if args.anomalies:
        print(render(anomalies(daily), args.format))
        return EXIT_OK
    if args.averages and args.freq == "day":
        daily = average_daily_pulls(daily)
    periods = period_change(period_pulls(daily, args.freq))
    if args.share:
        periods = peer_share(periods)
    print(render(_format_periods(periods, args.freq), args.format))
    return EXIT_OK


def run_rank(args: argparse.Namespace) -> int:
    """Print the ranking asked for."""
    store = open_store_with_bundled_history(args.db)
    counts = read_window_counts(store, growth_offsets(args.window), _pairs(args), args.namespace, args.until)
    if counts.empty:
        raise UserError("the store holds no snapshots for that yet; collect or import some first")
    ranked = growth_view(counts, args.window).ranked(args.by, args.top, args.min_pulls)
    print(render(_format_days(ranked, ["window_end"]), args.format))
    return EXIT_OK


def run_growth(args: argparse.Namespace) -> int:
    """Print compound growth between two dates."""
    if args.end <= args.start:
        raise UserError("--end must come after --start")
    daily = _daily(args)
    result = compound_growth(daily, args.start.tz_localize(None), args.end.tz_localize(None))
    print(render(_format_days(result, ["start", "end"]), args.format))
    return EXIT_OK


def run_milestone(args: argparse.Namespace) -> int:
    """Print when each image passed or will pass the target; say on stderr when the data is stale."""
    today = as_day(args.today if args.today is not None else today_utc())
    result = milestones(_daily(args), args.target, today=today)
    print(render(_format_days(result, ["as_of", "passed_on", "earliest", "expected", "latest"]), args.format))
    for row in result.itertuples():
        note = age_note(row.as_of, today)
        if note:  # on stderr: a CSV or JSON on stdout stays one table
            withheld = f"; not projected (already past today): {row.past_by_today}" if row.past_by_today else ""
            print(visible_controls(f"note: {row.namespace}/{row.name}: {note}{withheld}"), file=sys.stderr)
    return EXIT_OK


def run_lift(args: argparse.Namespace) -> int:
    """Print pulls before and after the event."""
    result = event_lift(_daily(args), args.date.tz_localize(None), args.days)
    print(render(_format_days(result, ["event"]), args.format))
    return EXIT_OK
