"""The root of every error a collector raises: a file, a value or an answer from outside that cannot be taken in.

Each collector's own error (SurveyError, DockerHubError, HistoryError, CatalogFileError, SnapshotValueError,
PullCountError, WatchlistError) subclasses CollectorError and keeps its built-in base, so the commands report
every one the same way (one line, exit 2) and older `except ValueError` still holds.
"""

from __future__ import annotations


class CollectorError(Exception):
    """Something a collector was given or fetched that it refuses; the message says what and where, in one line."""
