"""`python -m analysis`: snapshots, pull trends and survey statistics from the command line."""

import sys

from analysis import cli_catalog, cli_deck, cli_pulls, cli_snapshots, cli_surveys, cli_weight
from analysis.errors import AnalysisError
from collectors.surveys.errors import SurveyError
from exports.cli import build_main, build_parser

PARSER_ARGS = (
    "python -m analysis",
    "Adoption analytics: stored pull-count snapshots, pulls per period and rankings, "
    "and survey statistics with their base, sample size and 95% interval.",
    [cli_snapshots, cli_pulls, cli_catalog, cli_surveys, cli_weight, cli_deck],
)
main = build_main(*PARSER_ARGS, reported=(AnalysisError, SurveyError))
__all__ = ["PARSER_ARGS", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
