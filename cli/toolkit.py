"""What every command line of the tool shares: one-line errors and exit codes."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType

from exports.tables import visible_controls
from settings import BadNumber, parse_number

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A problem with what the user gave (a file, a flag, a name): reported in one line, exit 2."""


def add_format_flag(parser: argparse.ArgumentParser) -> None:
    """Add the --format table|csv|json flag that every tabular command takes."""
    parser.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="output as a readable table (default), CSV for spreadsheets, or JSON",
    )


def add_db_flag(parser: argparse.ArgumentParser) -> None:
    """Add the --db flag that every command reading or writing the store takes."""
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="the store: a SQLite file or a SQLAlchemy URL "
        "(default: $ADOPTION_DB_URL, then $ADOPTION_DB, then data/adoption.db)",
    )


# Wider than any flag's own range, which each command checks with its own words; past it a number is a typo.
FLAG_NUMBER_BOUND = 1e15


def number_flag(whole: bool = False) -> Callable[[str], float]:
    """Return an argparse type reading a finite number (whole if `whole`): `nan`, `inf`, `1e999` are usage errors."""

    def parse(raw: str) -> float:
        try:
            return parse_number(raw, "the value", -FLAG_NUMBER_BOUND, FLAG_NUMBER_BOUND, whole)
        except BadNumber as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


Reported = tuple[type[Exception], ...] | Callable[[], tuple[type[Exception], ...]]


def _reported_types(reported: Reported) -> tuple[type[Exception], ...]:
    # A callable is called only when an error is on its way out: its modules need not load before.
    return reported() if callable(reported) else reported


def run_command(
    handler: Callable[[argparse.Namespace], int],
    args: argparse.Namespace,
    reported: Reported = (),
) -> int:
    """Run `handler`, turning a UserError (or one of the `reported` error types) into one line and exit code 2.

    A store that cannot be opened is exit 2 as well; a store that fails in the middle of a run
    (a full disk, a read-only file) is one line and exit 1.
    """
    try:
        return handler(args)
    except (UserError, *_reported_types(reported)) as error:
        print(f"error: {visible_controls(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: work finished before the interruption is saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:
        code = _store_exit(error)
        if code is None:
            raise
        return code


def _store_exit(error: Exception) -> int | None:
    # Imported only on failure: `--help` should not wait for the database layer to load.
    from store.errors import StoreError, run_failure

    if isinstance(error, StoreError):
        print(f"error: {visible_controls(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    message = run_failure(error)
    if message is None:
        return None
    print(f"error: {visible_controls(message)}", file=sys.stderr)
    return EXIT_PARTIAL


def build_parser(prog: str, description: str, modules: Sequence[ModuleType | str]) -> argparse.ArgumentParser:
    """Return the parser whose subcommands are registered by each module's register(subparsers).

    A module may be given by name: it is imported here.
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in modules:
        (importlib.import_module(module) if isinstance(module, str) else module).register(subparsers)
    return parser


def command_modules(
    modules: Sequence[ModuleType | str], commands: Mapping[str, str], argv: Sequence[str]
) -> Sequence[ModuleType | str]:
    """The modules to import for `argv`: only the named command's, or every one for --help and mistakes."""
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    return [commands[named]] if named in commands else modules


def build_main(
    prog: str,
    description: str,
    modules: Sequence[ModuleType | str],
    reported: Reported = (),
    commands: Mapping[str, str] | None = None,
) -> Callable[[list[str] | None], int]:
    """Return a main(argv) that parses with build_parser and runs the chosen command.

    `reported` are the error types of the layers below (analysis, survey files) that mean "bad input":
    each is printed as one line and exits 2, like a UserError (a callable returning them loads them
    only when needed). `commands` maps each command to its module's name, so that a command imports
    its own module only.
    """

    def main(argv: list[str] | None = None) -> int:
        argv = sys.argv[1:] if argv is None else argv
        chosen = command_modules(modules, commands or {}, argv)
        args = build_parser(prog, description, chosen).parse_args(argv)
        return run_command(args.handler, args, reported)

    return main


def warn(text: str) -> None:
    """Write one warning line to stderr, with control characters from files made visible."""
    print(f"warning: {visible_controls(text)}", file=sys.stderr)


def say(text: str) -> None:
    """Write a sentence or a title that quotes file text to stdout, control characters made visible."""
    print(visible_controls(text))


def emit(text: str) -> None:
    """Write `text` to stdout, ending with exactly one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
