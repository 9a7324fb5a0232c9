"""`python -m analysis`: snapshots, pull trends, the catalog, survey statistics and decks from the command line."""

import sys

import settings

settings.command_memory()  # before numpy is imported (by exports.cli): see settings.command_memory
from exports.cli import build_main, build_parser  # noqa: E402

MODULES = [
    "analysis.cli_snapshots",
    "analysis.cli_pulls",
    "analysis.cli_catalog",
    "analysis.cli_surveys",
    "analysis.cli_weight",
    "analysis.cli_deck",
]
# Each command imports its own module only: a survey command does not wait for the pull analytics.
COMMANDS = {
    "snapshots": "analysis.cli_snapshots",
    **dict.fromkeys(("pulls", "rank", "growth", "milestone", "lift"), "analysis.cli_pulls"),
    "catalog": "analysis.cli_catalog",
    **dict.fromkeys(("questions", "breakdown", "answer", "trend"), "analysis.cli_surveys"),
    "weight": "analysis.cli_weight",
    "deck": "analysis.cli_deck",
}
PARSER_ARGS = (
    "python -m analysis",
    "Adoption analytics: stored pull-count snapshots, pulls per period and rankings, catalog snapshots, "
    "survey statistics with their base, sample size and 95% interval, and slide decks.",
    MODULES,
)


def _reported() -> tuple[type[Exception], ...]:
    from analysis.errors import AnalysisError
    from collectors.surveys.errors import SurveyError

    return AnalysisError, SurveyError


main = build_main(*PARSER_ARGS, reported=_reported, commands=COMMANDS)
__all__ = ["COMMANDS", "PARSER_ARGS", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
