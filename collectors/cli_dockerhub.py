"""Command registration (filled in by the module's own work)."""

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this module's commands (none yet)."""
