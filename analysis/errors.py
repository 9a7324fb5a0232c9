"""The errors analysis raises, surveys and pulls alike: each says in one line what is wrong with what it was asked.

Every one is an AnalysisError: the command lines map it to one line and exit status 2, the dashboard's
pages to one message. Each also keeps the built-in base callers catch (ValueError, LookupError).
"""

from __future__ import annotations


class AnalysisError(Exception):
    """A question analysis cannot answer from what it was given; the message says why and what to do."""


class NotFound(AnalysisError, LookupError):
    """Nothing matches what was asked for: no such question, answer, image or stored history."""


class QuestionNotFound(NotFound):
    """No question (or grid row, or answer) matches what was asked for."""


class NoSnapshots(NotFound):
    """The store holds no snapshots for the images (or the dates) asked for."""


class InvalidInput(AnalysisError, ValueError):
    """An argument or a file that analysis refuses: an unknown base or frequency, a window that is no window,
    a weight that is not a number, a bad mapping."""


class NotComparable(AnalysisError):
    """Surveys or answers that cannot be compared or counted: e.g. answers that are codes without labels."""
