"""`python -m collectors`: collect Docker Hub pull counts, import pull histories."""

import sys

from collectors import cli_dockerhub, cli_history
from collectors.surveys.errors import SurveyError
from exports.cli import build_main, build_parser

PARSER_ARGS = (
    "python -m collectors",
    "Collect Docker Hub pull counts into the snapshot store, or import pull histories recorded by other trackers.",
    [cli_dockerhub, cli_history],
)
main = build_main(*PARSER_ARGS, reported=(SurveyError,))
__all__ = ["PARSER_ARGS", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
