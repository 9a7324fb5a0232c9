"""The errors analysis raises: each says in one line what is wrong with what it was asked.

The command lines map them to exit status 2; the dashboard shows the message.
"""

from __future__ import annotations


class AnalysisError(Exception):
    """A question analysis cannot answer from what it was given; the message says why and what to do."""


class QuestionNotFound(AnalysisError, LookupError):
    """No question (or grid row, or answer) matches what was asked for."""


class InvalidInput(AnalysisError, ValueError):
    """An argument or a file that analysis refuses: an unknown base, a weight that is not a number, a bad mapping."""


class NotComparable(AnalysisError):
    """Surveys or answers that cannot be compared or counted: e.g. answers that are codes without labels."""
