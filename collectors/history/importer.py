"""Importing history files into the store: read (collectors.history.read) then save (store), per file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from collectors.file_hash import file_sha256
from collectors.history.read import History, read_history
from store.interface import Store


@dataclass(frozen=True)
class ImportResult:
    """What one file's import read and added."""

    path: Path
    layout: str
    images: int
    rows_read: int
    rows_added: int
    notes: tuple[str, ...]


def import_history_file(store: Store, path: Path, images: Sequence[str] = ()) -> ImportResult:
    """Read `path` and save its snapshots in one transaction; rows already stored are left alone."""
    return next(import_histories(store, [read_history(path, images)]))


def import_histories(store: Store, histories: Sequence[History]) -> Iterator[ImportResult]:
    """Save histories already read and checked, one transaction per file, yielding each file's result when saved.

    The caller checks every file before the first is saved, so a bad value writes nothing; a store
    that fails halfway (a full disk) keeps the files saved before it.
    """
    for history in histories:
        added = store.save_history_file(history.records, file_sha256(history.path), str(history.path))
        yield _result(history, added)


def _result(history: History, added: int) -> ImportResult:
    return ImportResult(
        path=history.path,
        layout=history.layout,
        images=len({(r["namespace"], r["name"]) for r in history.records}),
        rows_read=len(history.records),
        rows_added=added,
        notes=tuple(history.notes),
    )
