"""`python -m collectors`: collect Docker Hub pull counts and catalog snapshots, import pull histories."""

import sys

from exports.cli import build_main, build_parser

MODULES = ["collectors.cli_dockerhub", "collectors.cli_catalog", "collectors.cli_history"]
COMMANDS = {
    "dockerhub": "collectors.cli_dockerhub",
    "dockerhub-catalog": "collectors.cli_catalog",
    "import-history": "collectors.cli_history",
}
PARSER_ARGS = (
    "python -m collectors",
    "Collect Docker Hub pull counts (images, or a catalog snapshot of the top repositories) into the store, "
    "or import pull histories recorded by other trackers.",
    MODULES,
)


def _reported() -> tuple[type[Exception], ...]:
    from collectors.surveys.errors import SurveyError

    return (SurveyError,)


main = build_main(*PARSER_ARGS, reported=_reported, commands=COMMANDS)
__all__ = ["COMMANDS", "PARSER_ARGS", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
