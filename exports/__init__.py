"""Turning frames into what leaves the tool: tables on a terminal, CSV, JSON, and command-line errors."""
