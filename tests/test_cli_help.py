"""Every command of both command lines explains itself in --help."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _subcommands(package: str) -> dict[str, argparse.ArgumentParser]:
    module = __import__(f"{package}.__main__", fromlist=["PARSER_ARGS"])
    parser = module.build_parser(*module.PARSER_ARGS)
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


@pytest.mark.parametrize("package", ["collectors", "analysis"])
def test_every_subcommand_has_help_text(package: str) -> None:
    commands = _subcommands(package)
    assert commands
    for name, parser in commands.items():
        assert parser.description and len(parser.description) > 30, f"{package} {name} has no description"
        for action in parser._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{package} {name} {action.option_strings} has no help"


@pytest.mark.parametrize("package", ["collectors", "analysis"])
def test_help_runs_for_every_subcommand(package: str) -> None:
    for name in _subcommands(package):
        result = subprocess.run(
            [sys.executable, "-m", package, name, "--help"], capture_output=True, text=True, cwd=ROOT
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage:")
