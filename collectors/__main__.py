"""`python -m collectors`: the entry point of the command line, which lives in `cli.collectors`."""

import sys

from cli.collectors import COMMANDS, MODULES, PARSER_ARGS, build_parser, main

__all__ = ["COMMANDS", "MODULES", "PARSER_ARGS", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
