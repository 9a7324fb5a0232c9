"""The `python -m analysis` command line: snapshots, pull trends, the catalog, survey statistics and decks."""

import settings

settings.command_memory()  # before numpy is imported (by cli.toolkit): see settings.command_memory
from cli.toolkit import build_main, build_parser  # noqa: E402

MODULES = [
    "cli.analysis.snapshots",
    "cli.analysis.pulls",
    "cli.analysis.catalog",
    "cli.analysis.surveys",
    "cli.analysis.weight",
    "cli.analysis.deck",
    "cli.analysis.technology",
]
# Each command imports its own module only: a survey command does not wait for the pull analytics.
COMMANDS = {
    "snapshots": "cli.analysis.snapshots",
    **dict.fromkeys(("pulls", "rank", "growth", "milestone", "lift"), "cli.analysis.pulls"),
    "catalog": "cli.analysis.catalog",
    **dict.fromkeys(("questions", "breakdown", "answer", "trend"), "cli.analysis.surveys"),
    "weight": "cli.analysis.weight",
    "deck": "cli.analysis.deck",
    "technology": "cli.analysis.technology",
}
PARSER_ARGS = (
    "python -m analysis",
    "Adoption analytics: stored pull-count snapshots, pulls per period and rankings, catalog snapshots, "
    "survey statistics with their base, sample size and 95% interval, and slide decks.",
    MODULES,
)


def _reported() -> tuple[type[Exception], ...]:
    # One root per layer below: every refusal of analysis, every bad file or answer a collector read.
    from analysis.errors import AnalysisError
    from collectors.errors import CollectorError

    return AnalysisError, CollectorError


main = build_main(*PARSER_ARGS, reported=_reported, commands=COMMANDS)
__all__ = ["COMMANDS", "PARSER_ARGS", "build_parser", "main"]
