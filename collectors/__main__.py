"""`python -m collectors`: collect Docker Hub pull counts, import pull histories."""

import sys

from collectors import cli_catalog, cli_dockerhub, cli_history
from collectors.surveys.errors import SurveyError
from exports.cli import build_main, build_parser

PARSER_ARGS = (
    "python -m collectors",
    "Collect Docker Hub pull counts (images, or a catalog snapshot of the top repositories) into the store, "
    "or import pull histories recorded by other trackers.",
    [cli_dockerhub, cli_catalog, cli_history],
)
main = build_main(*PARSER_ARGS, reported=(SurveyError,))
__all__ = ["PARSER_ARGS", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
