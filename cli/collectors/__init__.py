"""The `python -m collectors` command line: Docker Hub pull counts and catalog snapshots, pull-history imports."""

from cli.toolkit import build_main, build_parser

MODULES = ["cli.collectors.dockerhub", "cli.collectors.catalog", "cli.collectors.history", "cli.collectors.copy_store"]
COMMANDS = {
    "dockerhub": "cli.collectors.dockerhub",
    "dockerhub-catalog": "cli.collectors.catalog",
    "import-history": "cli.collectors.history",
    "copy-store": "cli.collectors.copy_store",
}
PARSER_ARGS = (
    "python -m collectors",
    "Collect Docker Hub pull counts (images, or a catalog snapshot of the top repositories) into the store, "
    "or import pull histories recorded by other trackers.",
    MODULES,
)


def _reported() -> tuple[type[Exception], ...]:
    # One root for every collector's refusal (a bad file, value or answer), as the analysis commands report them.
    from collectors.errors import CollectorError

    return (CollectorError,)


main = build_main(*PARSER_ARGS, reported=_reported, commands=COMMANDS)
__all__ = ["COMMANDS", "PARSER_ARGS", "build_parser", "main"]
