"""`python -m analysis questions|breakdown|answer|trend`: survey statistics from the command line."""

from __future__ import annotations

import argparse

from analysis.surveys.banner import banner, banner_legend
from analysis.surveys.counts import counts_crosstab, is_counts, refuse_counts
from analysis.surveys.crosstab import SMALL_BASE
from analysis.surveys.letters import CORRECTIONS
from analysis.surveys.lookup import find_question, question_summary, resolve_item
from analysis.surveys.mappings import read_mappings
from analysis.surveys.nets import net_answer, parse_nets
from analysis.surveys.order import read_order
from analysis.surveys.shares import BASES, weighting_label
from analysis.surveys.trend import follows_mapping, read_mapping, trend, wave_questions
from analysis.views.share import heading, share_view
from cli.analysis.survey_files import add_input_flags, print_table, read_survey, split_formats, writing_behind
from cli.analysis.weight import add_weight_flag, wave_weights, weight_of, write_banner
from cli.toolkit import EXIT_OK, UserError, say
from survey_model.survey import Survey

BASE_HELP = (
    "answered (default): respondents who answered the question, or the grid row; all: every respondent in the file"
)


def _add_share_flags(parser: argparse.ArgumentParser, question_required: bool = True, many: bool = False) -> None:
    parser.add_argument(
        "--question",
        "-q",
        required=question_required,
        action="append" if many else "store",
        metavar="Q",
        help="question id, or a case-insensitive piece of its text"
        + ("; repeat it with --by for one banner per question (one sheet each in xlsx)" if many else ""),
    )
    parser.add_argument("--item", metavar="ITEM", help="grid row (also narrows --question when several match)")
    parser.add_argument("--base", choices=BASES, default="answered", help=BASE_HELP)
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="A",
        help='leave this answer out of count and base, e.g. --exclude "Don\'t know" (repeatable)',
    )
    parser.add_argument(
        "--net",
        action="append",
        default=[],
        metavar="NAME=A|B",
        help='a net: respondents who chose any of the answers, each counted once, shown as the answer "net: NAME" '
        '(is_net column), e.g. --net "Using=Yes, in production|Yes, in test" (repeatable)',
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the questions, breakdown, answer and trend commands."""
    _register_questions(subparsers)
    _register_breakdown(subparsers)
    _register_answer(subparsers)
    _register_trend(subparsers)


def _register_questions(subparsers: argparse._SubParsersAction) -> None:
    questions = subparsers.add_parser(
        "questions",
        help="list a survey's questions",
        description="List the questions of a survey file: id, type, text, grid rows (items), number of "
        "answer options and how many respondents answered.",
    )
    questions.add_argument("file", metavar="FILE", help="survey export (CSV in any supported layout)")
    add_input_flags(questions)
    questions.set_defaults(handler=writing_behind(run_questions))


def _register_breakdown(subparsers: argparse._SubParsersAction) -> None:
    shares = subparsers.add_parser(
        "breakdown",
        help="share of each answer, with base and 95%% interval",
        description="One row per answer: answer, count, base, share (0 to 1) and a 95% Wilson interval. With "
        "--by (repeatable), a banner table: a Total column and each segment of each --by question, one row per "
        "column and answer (survey, question, item, segment_question, segment, column, answer, ...), with "
        f"significance letters and an arrow against the rest; segments whose base is under {SMALL_BASE} are "
        "flagged in small_base and not tested. With --weight, shares are weighted and the interval uses Kish's "
        "effective sample size n_eff. --format xlsx writes an Excel workbook to --output.",
    )
    shares.add_argument("file", metavar="FILE", help="survey export (CSV in any supported layout)")
    _add_share_flags(shares, many=True)
    shares.add_argument(
        "--by",
        action="append",
        metavar="SEGMENT_Q",
        help="cross by this question (company size, region, job); repeat for a banner of several",
    )
    shares.add_argument(
        "--correction",
        choices=CORRECTIONS,
        default="bh",
        help="multiple-comparison correction of the letters: bh (Benjamini-Hochberg, default), bonferroni, none",
    )
    shares.add_argument("--output", "-o", metavar="FILE", help="where --format xlsx writes the workbook")
    add_weight_flag(shares)
    shares.add_argument(
        "--order",
        metavar="FILE",
        help="CSV with an answer column listing the answers in the order to show them (overrides the order "
        "detected for sizes, frequencies and agreement scales); an optional question column limits rows to one id",
    )
    add_input_flags(shares)
    shares.set_defaults(handler=writing_behind(run_breakdown))


def _register_answer(subparsers: argparse._SubParsersAction) -> None:
    answer = subparsers.add_parser(
        "answer",
        help="one quotable sentence for one answer",
        description="Print one sentence to quote: the share choosing --answer, its 95% interval, who was asked "
        "and how many answered, the survey and when it was fielded.",
    )
    answer.add_argument("file", metavar="FILE", help="survey export (CSV in any supported layout)")
    _add_share_flags(answer)
    answer.add_argument("--answer", "-a", required=True, metavar="A", help="the answer to quote (case-insensitive)")
    add_weight_flag(answer)
    add_input_flags(answer)
    answer.set_defaults(handler=writing_behind(run_answer))


def _register_trend(subparsers: argparse._SubParsersAction) -> None:
    waves = subparsers.add_parser(
        "trend",
        help="one question across survey waves, with year-on-year tests",
        description="The share of each answer (or of --answer) in every wave, in year order, with the change "
        "from the previous wave, a two-proportion z-test and its p-value. Where the wording changed, a "
        "--mapping CSV (columns wave, question_id or question; optional item, answer) names each wave's question.",
    )
    waves.add_argument("files", nargs="+", metavar="FILE", help="survey exports, one per wave")
    _add_share_flags(waves, question_required=False)
    waves.add_argument("--answer", "-a", metavar="A", help="only this answer")
    add_weight_flag(waves, many=True)
    waves.add_argument("--mapping", metavar="FILE", help="CSV naming the question in each wave (wave matches the "
                       "survey's wave name, year or file name)")  # fmt: skip
    add_input_flags(waves)
    waves.set_defaults(handler=writing_behind(run_trend))


def _shorten(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def run_questions(args: argparse.Namespace) -> int:
    """Print the questions of one survey."""
    split_formats(args)
    survey = read_survey(args.file, args)
    summary = question_summary(survey)
    if args.format == "table":
        summary = summary.assign(text=summary["text"].map(_shorten), items=summary["items"].map(_shorten))
    print_table(summary, args.format)
    return EXIT_OK


def _asked(survey: Survey, queries: list[str], item: str | None) -> list[tuple[str, str | None]]:
    """The questions (and grid rows) asked for; with several, --item names the row of the grid ones."""
    asked = []
    for query in queries:
        question = find_question(survey, query, item)
        asked.append((question.id, resolve_item(question, item) if question.items or len(queries) == 1 else None))
    return asked


def run_breakdown(args: argparse.Namespace) -> int:
    """Print the shares of one question, or the banner table of one or more questions by segment questions."""
    split_formats(args, extra=("xlsx",))
    survey = read_survey(args.file, args)
    weight = weight_of(args.weight)
    label = weighting_label(weight) if weight else None
    asked = _asked(survey, args.question, args.item)
    nets = parse_nets(args.net)
    if not args.by:
        if len(asked) > 1 or args.format == "xlsx":
            raise UserError("several --question, and --format xlsx, make a banner table: add --by SEGMENT_Q")
        (question_id, item), order = asked[0], read_order(args.order, asked[0][0]) if args.order else None
        view = share_view(survey, question_id, item, args.base, weight, mappings=read_mappings(),
                          exclude=args.exclude, order=order, nets=nets)  # fmt: skip
        frame = view.breakdown.assign(weighting=label) if label else view.breakdown
        print_table(frame, args.format, view.heading)
        return EXIT_OK
    segments = [find_question(survey, by).id for by in args.by]
    if is_counts(survey):
        return _print_published_segments(survey, asked, segments, args)
    tables = []
    for question_id, item in asked:
        order = read_order(args.order, question_id) if args.order else None
        tables.append(banner(survey, question_id, segments, item, args.base, args.exclude, weight, args.correction,
                             order=order, nets=nets))  # fmt: skip
    if args.format == "xlsx":
        write_banner(tables, survey, args, [heading(survey, q, i, args.base, label) for q, i in asked])
        return EXIT_OK
    for (question_id, item), table in zip(asked, tables, strict=True):
        shown = table.drop(columns=["survey", "question", "item"]) if args.format == "table" else table
        title = [heading(survey, question_id, item, args.base, label), banner_legend(table, args.correction)]
        print_table(shown, args.format, title)
    return EXIT_OK


def _print_published_segments(survey, asked: list[tuple[str, str | None]], segments: list[str], args) -> int:
    """Published tables: the segment tables they hold (by region), one per question and segment question."""
    if args.weight or args.format == "xlsx":
        refuse_counts(survey, "weighting, and a banner workbook with letters,")
    for question_id, item in asked:
        for segment_id in segments:
            order = read_order(args.order, question_id) if args.order else None
            table = counts_crosstab(survey, question_id, segment_id, item, args.base, args.exclude, order=order)
            print_table(table, args.format, f"{heading(survey, question_id, item, args.base)}; by {segment_id}")
    return EXIT_OK


def run_answer(args: argparse.Namespace) -> int:
    """Print the quotable sentence."""
    split_formats(args)
    survey = read_survey(args.file, args)
    question = find_question(survey, args.question, args.item)
    item = resolve_item(question, args.item)
    view = share_view(survey, question.id, item, args.base, weight_of(args.weight), mappings=read_mappings(),
                      exclude=args.exclude, nets=parse_nets(args.net))  # fmt: skip
    say(view.quote(args.answer))
    return EXIT_OK


def run_trend(args: argparse.Namespace) -> int:
    """Print the share per wave with wave-on-wave changes and p-values."""
    split_formats(args)
    if args.question is None and args.mapping is None:
        raise UserError("name the question with --question, or give a --mapping file that names it in each wave")
    nets = parse_nets(args.net)
    surveys = [read_survey(path, args) for path in args.files]
    mapping = read_mapping(args.mapping) if args.mapping else None
    if mapping is not None and not follows_mapping(mapping, args.answer):
        mapping = mapping.assign(answer="")  # --answer names another answer: look its wording up in each wave
    chosen = wave_questions(surveys, args.question, args.item, mapping)
    weights = wave_weights(surveys, args.weight)
    answer = net_answer(args.answer, nets)
    print_table(trend(surveys, chosen, answer, args.base, args.exclude, weights, nets=nets), args.format)
    return EXIT_OK
