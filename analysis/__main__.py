"""`python -m analysis`: the entry point of the command line, which lives in `cli.analysis`."""

import sys

from cli.analysis import COMMANDS, MODULES, PARSER_ARGS, build_parser, main

__all__ = ["COMMANDS", "MODULES", "PARSER_ARGS", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
