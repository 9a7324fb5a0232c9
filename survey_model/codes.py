"""Answer codes a codebook does not label: one spelling, written by the coded-export reader, read by analysis.

A coded export answers with numbers; where the codebook has no label for a code, the answer is kept
as `code 1 (no label)`, so that no table, chart or sentence can pass it off as an answer's wording.
"""

from __future__ import annotations

import re

UNLABELLED_FORMAT = "code {code} (no label)"
_UNLABELLED = re.compile(r"^code (?P<code>\S+) \(no label\)$")


def unlabelled_code(code: str) -> str:
    """Return how an answer code without a label is shown: `code 1 (no label)`."""
    return UNLABELLED_FORMAT.format(code=str(code).strip())


def is_unlabelled_code(answer: object) -> bool:
    """True when `answer` is an answer code without a label (see `unlabelled_code`)."""
    return bool(_UNLABELLED.match(str(answer)))
