"""What every survey command shares: reading the files its flags name, the input flags, the output formats."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable

import pandas as pd

from cli.toolkit import UserError, say, warn
from exports.tables import FORMATS, render
from survey_model.survey import Survey


def layout_names() -> list[str]:
    """The names of the survey layouts that --layout and --format accept."""
    from collectors.surveys import LAYOUTS

    return list(LAYOUTS)


def read_survey(path: str, args: argparse.Namespace) -> Survey:
    """Load one survey file with the layout, schema and codebook the flags name; print load warnings.

    Under a command run by `writing_behind`, a first parse is cached while the command goes on.
    """
    from collectors.surveys import load_survey

    writes = getattr(args, "cache_writes", None)
    survey = load_survey(path, layout=args.layout, schema=args.schema, codebook=args.codebook, writes=writes)
    for line in survey.report:
        warn(f"{survey.meta.source}: {line}")
    if getattr(args, "recode", None):
        from analysis.surveys.recode import read_recode, recode_write_ins

        survey = recode_write_ins(survey, read_recode(args.recode))
        for question in survey.questions:
            for line in question.warnings:
                if "recoded into options" in line:
                    warn(f"{survey.meta.source}: {question.id}: {line}")
    return survey


def writing_behind(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a survey command whose files are cached behind its work; warn after its output if a write failed."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from collectors.surveys.cache import CacheWrites

        args.cache_writes = CacheWrites()
        try:
            return handler(args)
        finally:
            for problem in args.cache_writes.finish():
                warn(problem)

    return run


def add_input_flags(parser: argparse.ArgumentParser) -> None:
    """Add the flags that name how to read a survey file (layout, schema, codebook) and the output format."""
    parser.add_argument(
        "--layout",
        "--input-format",
        dest="layout",
        metavar="NAME",
        help="force the export layout when detection is wrong (e.g. surveymonkey, stackoverflow)",
    )
    parser.add_argument("--schema", metavar="FILE", help="schema CSV with the question texts (Stack Overflow layout)")
    parser.add_argument("--codebook", metavar="FILE", help="codebook CSV mapping answer codes to labels")
    parser.add_argument(
        "--recode",
        metavar="FILE",
        help="CSV question,text,answer: count text typed under Other as that option (otherwise typed text "
        "counts as Other, even when it repeats an option); the output says so",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        metavar="FORMAT",
        help="output as table (default), csv or json; a layout name given here forces the input layout "
        "like --layout (repeat the flag to give both)",
    )


def split_formats(args: argparse.Namespace, extra: tuple[str, ...] = ()) -> None:
    """Sort the --format values into the output format and a forced input layout."""
    outputs = (*FORMATS, *extra)
    output = [value for value in args.formats or [] if value in outputs]
    layouts = [value for value in args.formats or [] if value not in outputs]
    unknown = [value for value in layouts if value not in layout_names()]
    if unknown:
        raise UserError(
            f"unknown --format {unknown[0]!r}; choose {', '.join(outputs)}, or a layout: {', '.join(layout_names())}"
        )
    if len(set(output)) > 1 or len(set(layouts + ([args.layout] if args.layout else []))) > 1:
        raise UserError("give one output format and at most one layout (--format / --layout)")
    args.format = output[0] if output else "table"
    args.layout = args.layout or (layouts[0] if layouts else None)


def print_table(frame: pd.DataFrame, fmt: str, title: str | list[str] | None = None) -> None:
    """Print `frame` in `fmt`; a table gets its title lines first and its shares rounded."""
    if fmt == "table":
        for line in [title] if isinstance(title, str) else title or []:
            say(line)
        # p-values stay as they are: rounding would turn a tiny one into 0.
        frame = frame.round({column: 4 for column in frame.columns if not column.startswith("p_") and column != "gap"})
    text = render(frame, fmt)
    print(text, end="" if text.endswith("\n") else "\n")
