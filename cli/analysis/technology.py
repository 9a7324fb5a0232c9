"""`python -m analysis technology NAME`: a technology's survey adoption beside its images' pulls and catalog floors."""

from __future__ import annotations

import argparse
import json

from analysis.technology.evidence import technology_evidence
from analysis.technology.recipes import find_recipe, read_recipes
from analysis.technology.tables import PARTS, evidence_tables, title_lines
from cli.toolkit import EXIT_OK, UserError, add_db_flag, add_format_flag, emit, say
from exports.tables import render

EPILOG = """\
example:
  python -m analysis technology falco
  python -m analysis technology kubernetes --show survey --format csv

tables (--show; all of them in table and JSON output):
  survey   share per wave: base (respondents who answered), count, share, 95% Wilson interval,
           change and p-value against the previous wave, source, and `break`: how the wording changed
  weeks    pulls per week (Monday to Sunday) of the images added up; partial is true for a week the
           history covers only in part (never read as a whole week)
  growth   each image's pulls over the last 30 and 90 days of its own history, against the window before
  catalog  each image's count in the latest catalog snapshot: a bucket ("10M+") is a range, pulls_at_least
           is a floor
Survey waves and pull histories cover different years: the sentence says which."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the technology command."""
    parser = subparsers.add_parser(
        "technology",
        help="one technology: survey share by wave beside its images' pulls and catalog floors",
        description="Everything the bundled data says about one technology (a recipe of data/technologies.csv): "
        "the survey share using it in production per wave, its Docker Hub images' pulls per week and growth, "
        "their catalog figures, and one sentence to quote naming both sources and their dates. What the recipe "
        "asks for but the loaded data cannot answer is listed as missing.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", metavar="NAME", help="a technology of the recipes file, e.g. falco or kubernetes")
    parser.add_argument("--show", choices=("all", *PARTS), default="all", help="which table to print (default all)")
    parser.add_argument(
        "--recipes", metavar="FILE", help="a technologies CSV in the format of data/technologies.csv (the default)"
    )
    add_db_flag(parser)
    add_format_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the evidence of one technology."""
    from cli.analysis.deck import cli_sources

    if args.format == "csv" and args.show == "all":
        raise UserError("CSV holds one table: add --show survey, weeks, growth or catalog")
    recipe = find_recipe(read_recipes(args.recipes), args.name)
    sources = cli_sources(args.db)
    store = sources.store()  # a store that is not ours is refused before any survey is read or cached beside it
    surveys, _ = sources.surveys()
    evidence = technology_evidence(recipe, surveys, store)
    tables = evidence_tables(evidence)
    parts = PARTS if args.show == "all" else (args.show,)
    if args.format == "json":
        document = {"technology": evidence.technology, "label": evidence.label, "sentence": evidence.sentence,
                    "missing": evidence.missing, "command": evidence.command()}  # fmt: skip
        document.update({part: json.loads(render(tables[part], "json")) for part in parts})
        # ASCII escapes: no control or direction character from a recipe or a survey reaches the terminal.
        emit(json.dumps(document, ensure_ascii=True, indent=2))
        return EXIT_OK
    if args.format == "table":
        for line in title_lines(evidence):
            say(line)
    for part in parts:
        if args.format == "table":
            say("")
            say(f"== {part}")
        frame = tables[part]
        if frame.empty:
            say(f"(none: {_why(part, evidence)})")
            continue
        if args.format == "table":  # p-values stay whole: rounding would turn a tiny one into 0
            frame = frame.round({column: 4 for column in ("share", "ci_low", "ci_high", "change", "growth")})
        emit(render(frame, args.format))
    return EXIT_OK


def _why(part: str, evidence) -> str:  # noqa: ANN001
    about = {"survey": "survey", "weeks": "pulls", "growth": "pulls", "catalog": "catalog"}[part]
    reasons = [reason for reason in evidence.missing if reason.startswith(about) or reason.startswith("Docker Hub")]
    return "; ".join(reasons) or "nothing to show"
