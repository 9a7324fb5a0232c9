"""Split cells that join several chosen options with a separator, without breaking options that contain it."""

from __future__ import annotations

from collections.abc import Sequence

OTHER_ANSWER = "Other (please specify)"


def options_from(values: Sequence[str], separator: str) -> tuple[set[str], bool]:
    """The options a column's distinct values imply, and whether the column holds joined choices.

    An option is a value without the separator, or a piece found in at least two different values.
    The column is multiple choice when some value joins two or more such options.
    """
    options = {value for value in values if separator not in value}
    pieces: dict[str, int] = {}
    for value in values:
        if separator in value:
            for piece in {part.strip() for part in value.split(separator)}:
                pieces[piece] = pieces.get(piece, 0) + 1
    options |= {piece for piece, count in pieces.items() if count >= 2 and piece}
    joined = any(
        separator in value and sum(piece in options for piece in greedy_split(value, separator, options)) >= 2
        for value in values
    )
    return options, joined


def greedy_split(value: str, separator: str, known: set[str]) -> list[str]:
    """Split on `separator`, keeping together the longest runs of pieces that form a known option."""
    parts = [part.strip() for part in value.split(separator)]
    pieces, start = [], 0
    while start < len(parts):
        end = len(parts)
        while end > start + 1 and separator.join(parts[start:end]).strip() not in known:
            end -= 1
        piece = separator.join(parts[start:end]).strip()
        if piece:
            pieces.append(piece)
        start = end
    return pieces


def chosen(value: str, separator: str, options: set[str]) -> list[str]:
    """The options a joined cell stands for; an unknown piece is a write-in, counted as 'Other'."""
    answers = [piece if piece in options else OTHER_ANSWER for piece in greedy_split(value, separator, options)]
    return list(dict.fromkeys(answers))
