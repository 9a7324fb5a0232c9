"""Assemble questions and the long responses frame from dictionary-encoded columns, without per-cell loops.

Every layout turns a column into "for each distinct text, the answers it stands for"; the builder
then spreads those answers over the records with numpy (repeat and gather), so the cost grows with
the number of distinct texts, not with the number of cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from survey_model.survey import Question, QuestionType

from .reader import Column

Split = Callable[[str], Sequence[str]]


class ResponseBuilder:
    """Collects questions, answers and write-ins, then builds the responses frame."""

    def __init__(self, respondents: int) -> None:
        self.respondents = respondents
        self.questions: list[Question] = []
        self._ids: set[str] = set()
        # The next suffix to try for each wanted id: 12,000 columns all named `Q` took 48 s when each
        # new one counted up from `Q_2` again (quadratic); now each number is tried about once.
        self._next_number: dict[str, int] = {}
        self._answers: dict[str, int] = {}
        self._items: dict[str, int] = {"": 0}
        self._parts: list[tuple[np.ndarray, int, int | np.ndarray, np.ndarray]] = []
        self._write_ins: list[pd.DataFrame] = []
        self._columns_per_slot: dict[tuple[int, int], int] = {}
        self.may_repeat = False

    def unique_id(self, wanted: str) -> str:
        """Return `wanted`, or `wanted_2`, `wanted_3`... when that id is taken."""
        number = self._next_number.get(wanted, 1)
        candidate = wanted if number == 1 else f"{wanted}_{number}"
        while candidate in self._ids:
            number += 1
            candidate = f"{wanted}_{number}"
        self._next_number[wanted] = number
        self._ids.add(candidate)
        return candidate

    def add_question(self, question: Question) -> int:
        """Register a question (its id made unique beforehand); return its index."""
        self._ids.add(question.id)
        self.questions.append(question)
        return len(self.questions) - 1

    def answer_code(self, answer: str) -> int:
        """The code of an answer text in the answer categories."""
        code = self._answers.get(answer)
        if code is None:
            code = self._answers[answer] = len(self._answers)
        return code

    def item_code(self, item: str) -> int:
        """The code of a grid row in the item categories."""
        code = self._items.get(item)
        if code is None:
            code = self._items[item] = len(self._items)
        return code

    def add_column(self, question: int, item: str, column: Column, answers_of: Split) -> None:
        """Add the answers of one column: `answers_of(text)` lists the answers a cell's text stands for."""
        lengths = np.zeros(len(column.values), dtype=np.int64)
        flat: list[int] = []
        used = column.counts > 0
        for index, text in enumerate(column.values):
            if not used[index]:
                continue
            answers = answers_of(text)
            lengths[index] = len(answers)
            flat.extend(self.answer_code(answer) for answer in answers)
        if not flat:
            return
        if lengths.max() == 1:
            # At most one answer per cell: a lookup, no spreading needed.
            per_value = np.full(len(column.values), -1, dtype=np.int32)
            per_value[lengths == 1] = flat
            answers = per_value[column.codes]
            respondents = np.flatnonzero(answers >= 0).astype(np.int32)
            self.add_codes(respondents, question, self.item_code(item), answers[respondents])
            return
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        row_lengths = lengths[column.codes]
        respondents = np.repeat(np.arange(len(column.codes), dtype=np.int32), row_lengths)
        ends = np.cumsum(row_lengths)
        within = np.arange(int(ends[-1])) - np.repeat(ends - row_lengths, row_lengths)
        answers = np.asarray(flat, dtype=np.int32)[np.repeat(offsets[column.codes], row_lengths) + within]
        self.add_codes(respondents, question, self.item_code(item), answers)

    def add_codes(self, respondents: np.ndarray, question: int, item: int | np.ndarray, answers: np.ndarray) -> None:
        """Add rows already expressed as codes (item may be one code or one per row)."""
        items = int(item) if np.isscalar(item) else np.asarray(item)
        slot = (question, items if isinstance(items, int) else -1)
        self._columns_per_slot[slot] = self._columns_per_slot.get(slot, 0) + 1
        self._parts.append((respondents.astype(np.int32, copy=False), int(question), items, answers))

    def add_write_ins(self, question_id: str, column: Column, keep: Callable[[str], bool] = bool) -> np.ndarray:
        """Keep the free text of a write-in column; return a per-record mask of records that wrote something."""
        wrote_value = np.array([keep(text) for text in column.values], dtype=bool)
        mask = wrote_value[column.codes] if len(column.values) else np.zeros(len(column.codes), dtype=bool)
        if mask.any():
            respondents = np.flatnonzero(mask).astype(np.int32)
            texts = [column.values[code] for code in column.codes[mask]]
            self._write_ins.append(pd.DataFrame({"respondent": respondents, "question": question_id, "text": texts}))
        return mask

    def responses(self) -> pd.DataFrame:
        """The long frame: respondent, question, item, answer (categoricals), in question order."""
        questions = [q.id for q in self.questions]
        frame = pd.DataFrame(
            {
                "respondent": _joined([part[0] for part in self._parts], np.int32),
                "question": _categorical([part[1] for part in self._parts], questions, self._parts),
                "item": _categorical([part[2] for part in self._parts], list(self._items), self._parts),
                "answer": _categorical([part[3] for part in self._parts], list(self._answers), self._parts),
            },
            copy=False,  # fresh arrays, owned by nothing else: copying 4 x 18 million values cost 0.7 s
        )
        if self.may_repeat or any(count > 1 for count in self._columns_per_slot.values()):
            # Several columns fed one question: a respondent may carry the same answer twice.
            frame = frame.drop_duplicates(ignore_index=True)
        return frame

    def write_ins(self) -> pd.DataFrame:
        """Free text written under "Other (please specify)" and comment boxes: respondent, question, text."""
        if not self._write_ins:
            return pd.DataFrame({"respondent": np.zeros(0, dtype=np.int32), "question": [], "text": []})
        return pd.concat(self._write_ins, ignore_index=True)


def code_dtype(categories: int) -> type[np.signedinteger]:
    """The integer type pandas keeps a categorical's codes in (its smallest that fits, as coerce_indexer_dtype)."""
    for dtype in (np.int8, np.int16, np.int32):
        if categories < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _joined(parts: list[np.ndarray], dtype: type[np.integer]) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype)
    return np.concatenate(parts, dtype=dtype, casting="same_kind")


def _categorical(codes: list[int | np.ndarray], categories: list[str], parts: list) -> pd.Categorical:
    """Categorical rows from per-part codes (one code for a whole part, or one per row), made once in pandas' dtype.

    Built directly in the small integer type pandas would convert to: 18 million rows of int32 codes,
    concatenated then converted, cost a second of fresh memory (mostly page faults) on a cold load.
    """
    dtype = code_dtype(len(categories))
    if all(isinstance(code, int) for code in codes):
        values = np.repeat(np.asarray(codes, dtype=dtype), [len(part[0]) for part in parts])
    else:
        values = _joined(
            [
                np.full(len(part[0]), code, dtype=dtype) if isinstance(code, int) else code
                for code, part in zip(codes, parts, strict=True)
            ],
            dtype,
        )
    return pd.Categorical.from_codes(values, categories=categories, validate=False)


def used_values(column: Column, blank: Callable[[str], bool]) -> list[str]:
    """The distinct non-blank texts of a column that at least one record holds, in order of first use."""
    return [text for text, count in zip(column.values, column.counts, strict=True) if count and not blank(text)]


def nonblank_count(column: Column, blank: Callable[[str], bool]) -> int:
    """How many records hold a non-blank text."""
    counts = column.counts
    return int(sum(counts[i] for i, text in enumerate(column.values) if counts[i] and not blank(text)))


def infer_type(values: Sequence[str], answered: int) -> QuestionType:
    """Numeric when every value is a number and they are not a short scale; text when nearly all differ."""
    if not values:
        return QuestionType.SINGLE
    numbers = [_number(text) for text in values]
    if all(number is not None for number in numbers):
        fractional = any(number != int(number) for number in numbers)
        if fractional or len(values) > 12:
            return QuestionType.NUMERIC
        return QuestionType.SINGLE
    if len(values) > max(30, answered // 2):
        return QuestionType.TEXT
    return QuestionType.SINGLE


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "")) if text.strip() else None
    except ValueError:
        return None
    return value if value is not None and np.isfinite(value) else None


@dataclass
class Parsed:
    """What a layout reader hands back: the filled builder and the fielded dates, if the file has them."""

    builder: ResponseBuilder
    fielded: tuple[date | None, date | None] = (None, None)


def fielded_dates(columns: Sequence[Column]) -> tuple[date | None, date | None]:
    """First and last date among the date-time texts of `columns` (US month/day order tried first)."""
    texts = pd.Series(
        [v for c in columns for v, n in zip(c.values, c.counts, strict=True) if n and v.strip()], dtype=object
    )
    if texts.empty:
        return None, None
    parsed = pd.to_datetime(texts, format="%m/%d/%Y %I:%M:%S %p", errors="coerce")
    if parsed.isna().mean() > 0.5:
        parsed = pd.to_datetime(texts, format="mixed", errors="coerce")
    parsed = parsed.dropna()
    if parsed.empty:
        return None, None
    return parsed.min().date(), parsed.max().date()
