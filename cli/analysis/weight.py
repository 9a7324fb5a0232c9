"""`python -m analysis weight`: rake a survey to known margins; and the --weight flag every survey command takes."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from analysis.surveys.banner import banner_legend
from analysis.surveys.weighting import rake, read_targets
from analysis.surveys.weights_file import RakedWeights, looks_like_weights_file, read_weights, weights_table
from cli.analysis.survey_files import add_input_flags, print_table, read_survey, split_formats
from cli.toolkit import EXIT_OK, UserError, say, warn
from exports.tables import to_csv_text, visible_controls
from exports.workbook import BannerSheet, banner_workbook
from survey_model.survey import Survey

WEIGHT_HELP = (
    "weights: a weights CSV made by `python -m analysis weight` (raked weights of this file), or the id of a "
    "numeric question holding each respondent's weight"
)


def add_weight_flag(parser: argparse.ArgumentParser, many: bool = False) -> None:
    """Add --weight FILE|COL (repeatable where each survey wave takes its own weights file)."""
    parser.add_argument(
        "--weight",
        action="append" if many else "store",
        metavar="FILE|COL",
        help=WEIGHT_HELP + ("; repeat it, one weights file per wave (matched by the file's sha256)" if many else ""),
    )


def weight_of(value: str | None) -> str | RakedWeights | None:
    """The weights a --weight value names: a weights file read in, or a weight question's id as given."""
    if value is None:
        return None
    if value.lower().endswith(".csv") and not looks_like_weights_file(value):
        raise UserError(f"--weight {value}: no such weights file; make it with python -m analysis weight")
    return read_weights(value) if looks_like_weights_file(value) else value


def wave_weights(surveys: list[Survey], values: list[str] | None) -> list[str | RakedWeights | None] | None:
    """Each wave's weights: weights files matched to their wave by sha256, or one weight question for all."""
    if not values:
        return None
    named = [weight_of(value) for value in values]
    columns = [value for value in named if isinstance(value, str)]
    if columns:
        if len(named) > 1:
            raise UserError("give one weight question for every wave, or one weights file per wave, not both")
        return [columns[0]] * len(surveys)
    by_hash = {raked.sha256: raked for raked in named}
    missing = [survey.meta.source for survey in surveys if survey.meta.sha256 not in by_hash]
    if missing:
        raise UserError(f"no weights file for {missing[0]}; weight every wave or none (one --weight per wave)")
    return [by_hash[survey.meta.sha256] for survey in surveys]


def write_banner(tables: list[pd.DataFrame], survey: Survey, args: argparse.Namespace, titles: list[str]) -> None:
    """Write the banner tables as an Excel workbook to --output, whole or not at all."""
    if not args.output:
        raise UserError("--format xlsx writes a workbook: name it with --output FILE.xlsx")
    source = f"Source: {survey.meta.wave} ({survey.meta.source}, sha256 {survey.meta.sha256[:12]})"
    sheets = [
        BannerSheet(table, title, source, "Letters: " + banner_legend(table, args.correction))
        for table, title in zip(tables, titles, strict=True)
    ]
    _write_whole(Path(args.output), banner_workbook(sheets))
    say(f"wrote {args.output}: {len(sheets)} question sheet(s) and a data sheet")


def _write_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, so a failure leaves no half-written file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {error.strerror or error}") from error


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the weight command."""

    weight = subparsers.add_parser(
        "weight",
        help="rake a survey to known margins: a weights file for --weight",
        description="Rake the respondents to target shares of one or more single-choice questions (iterative "
        "proportional fitting, weightipy) and write each respondent's weight to --output. Prints the report: "
        "convergence, weight range, weights trimmed at --cap, design effect and Kish's effective n, then each "
        "target against the weighted share reached. Respondents who left a target question blank get no weight.",
    )
    weight.add_argument("file", metavar="FILE", help="survey export (CSV in any supported layout)")
    weight.add_argument(
        "--target",
        action="append",
        required=True,
        metavar="Q=FILE",
        help="a question id and a CSV of its targets (columns answer,target: shares, percents or counts); repeatable",
    )
    weight.add_argument("--cap", type=float, metavar="X", help="trim weights above X times the mean weight (X > 1)")
    weight.add_argument("--output", "-o", required=True, metavar="FILE", help="the weights CSV to write")
    add_input_flags(weight)
    weight.set_defaults(handler=run_weight)


def _targets(survey: Survey, values: list[str]) -> dict[str, pd.DataFrame]:
    from analysis.surveys.lookup import find_question

    targets = {}
    for value in values:
        question, separator, path = value.partition("=")
        if not separator or not question.strip() or not path.strip():
            raise UserError(f"--target {value!r}: give QUESTION=FILE, e.g. --target Q2=targets.csv")
        targets[find_question(survey, question.strip()).id] = read_targets(path.strip())
    return targets


def run_weight(args: argparse.Namespace) -> int:
    """Rake, write the weights file, print the report."""

    split_formats(args)
    survey = read_survey(args.file, args)
    report = rake(survey, _targets(survey, args.target), args.cap)
    _write_whole(Path(args.output), to_csv_text(weights_table(report.weights)).encode("utf-8"))
    lines = [*report.summary(), f"wrote {args.output}: use it with --weight {args.output} ({report.weights.label})"]
    for line in lines:
        if not report.converged and line is lines[0]:
            warn(line)
        elif args.format == "table":
            say(line)
        else:
            print(visible_controls(line), file=sys.stderr)  # stdout holds only the CSV or JSON
    print_table(report.margins, args.format)
    return EXIT_OK
