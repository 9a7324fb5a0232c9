"""Parse CSV text into columns of distinct values and per-row codes (dictionary encoding).

The fast path is Arrow's multi-threaded CSV reader, which keeps quoted newlines and stores each
column as a dictionary: every distinct text once, and one int32 code per row. Files it refuses
(ragged rows, a field larger than a block) go through Python's csv module instead, which also
locates an unterminated quote for the error message.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

DELIMITERS = (",", ";", "\t")
SNIFF_CHARS = 64 * 1024
BLOCK_BYTES = 8 * 1024 * 1024
DICT_TYPE = pa.dictionary(pa.int32(), pa.string())


class ParseProblem(ValueError):
    """The text is not a readable CSV; the message says why, for the user."""


@dataclass
class Column:
    """One column of the file: its distinct texts and, for each record, the index of its text."""

    values: list[str]
    codes: np.ndarray

    @cached_property
    def counts(self) -> np.ndarray:
        """How many records hold each distinct value."""
        return np.bincount(self.codes, minlength=len(self.values))

    def skip(self, rows: int) -> Column:
        """The same column without its first `rows` records (the header rows)."""
        return Column(self.values, self.codes[rows:])

    def cell(self, row: int) -> str:
        """The text of one record."""
        return self.values[self.codes[row]]


@dataclass
class Table:
    """Every record of a CSV file, header rows included, column by column."""

    columns: list[Column]
    delimiter: str
    report: list[str]

    @property
    def records(self) -> int:
        """Number of records, header rows included."""
        return len(self.columns[0].codes) if self.columns else 0

    def row(self, index: int) -> list[str]:
        """The cells of one record (used for header rows)."""
        return [column.cell(index) if index < len(column.codes) else "" for column in self.columns]


def sniff_delimiter(text: str) -> tuple[str, int]:
    """Return the delimiter that splits the first records most consistently, and the column count."""
    best = (",", 1, -1.0)
    sample = text[:SNIFF_CHARS]
    for delimiter in DELIMITERS:
        records = _first_records(sample, delimiter)
        if not records:
            continue
        width = len(records[0])
        agree = sum(1 for record in records if len(record) == width) / len(records)
        score = agree * width if width > 1 else 0.0
        if score > best[2]:
            best = (delimiter, width, score)
    return best[0], best[1]


def _first_records(sample: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            if record:
                records.append(record)
            if len(records) >= 20:
                break
    except csv.Error:
        pass
    # The last record of a cut sample may be cut too.
    return records[:-1] if len(records) > 2 and len(sample) >= SNIFF_CHARS else records


def parse(data: bytes) -> Table:
    """Parse UTF-8 CSV bytes (no BOM, no NUL) into a Table."""
    head = data[: SNIFF_CHARS * 2].decode("utf-8", errors="ignore")
    delimiter, width = sniff_delimiter(head)
    report = [] if delimiter == "," else [f"columns separated by {_delimiter_name(delimiter)}"]
    if data.count(b'"') % 2:
        _raise_if_unterminated(data, delimiter)
    try:
        columns = _parse_arrow(data, delimiter, width)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        columns = _parse_python(data, delimiter, width, report)
    return Table(columns, delimiter, report)


def _delimiter_name(delimiter: str) -> str:
    return {";": "semicolons", "\t": "tabs"}.get(delimiter, repr(delimiter))


def _parse_arrow(data: bytes, delimiter: str, width: int) -> list[Column]:
    table = pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f"f{i}": DICT_TYPE for i in range(width)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
    )
    if table.num_columns != width:
        raise pa.ArrowInvalid("column count differs from the sniffed header")
    table = table.unify_dictionaries()
    columns = []
    for chunked in table.columns:
        if chunked.num_chunks == 0:
            columns.append(Column([], np.zeros(0, dtype=np.int32)))
            continue
        dictionary = chunked.chunk(0).dictionary.to_pylist()
        codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in chunked.chunks])
        columns.append(Column(dictionary, codes.astype(np.int32, copy=False)))
    return columns


def _parse_python(data: bytes, delimiter: str, width: int, report: list[str]) -> list[Column]:
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter)
    records = [record for record in reader if record]
    if not records:
        raise ParseProblem("has no records")
    width = len(records[0])
    short = sum(1 for record in records if len(record) < width)
    long_ = sum(1 for record in records if len(record) > width)
    if short:
        report.append(f"{short} record(s) had fewer fields than the header; the missing fields were left blank")
    if long_:
        report.append(f"{long_} record(s) had more fields than the header; the extra fields were dropped")
    columns = []
    for index in range(width):
        cells = [record[index] if index < len(record) else "" for record in records]
        encoded = pa.array(cells, type=pa.string()).dictionary_encode()
        columns.append(Column(encoded.dictionary.to_pylist(), encoded.indices.to_numpy().astype(np.int32)))
    return columns


def _raise_if_unterminated(data: bytes, delimiter: str) -> None:
    """An odd number of quote characters: find the record whose quoted field never closes."""
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter, strict=True)
    last_line = 0
    try:
        for _ in reader:
            last_line = reader.line_num
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise ParseProblem(
                f"has an unterminated quote: the quoted field in the record starting at line {last_line + 1} "
                "never closes"
            ) from None
        # Any other complaint is a stray quote inside a field, which the lenient parsers accept.
