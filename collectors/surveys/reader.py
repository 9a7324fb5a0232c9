"""Parse CSV text into columns of distinct values and per-row codes (dictionary encoding).

The fast path is pandas' C parser with every cell kept as text (no missing-value guessing), each
column then dictionary-encoded by Arrow: every distinct text once, and one int32 code per record.
Files it refuses (rows longer than the header) go through Python's csv module instead, which also
locates an unterminated quote for the error message.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from user_files import (
    SURVEY_MAX_BYTES,
    UserFileError,
    check_fields,
    csv_reader,
    field_problem,
    open_user_file,
    opened_path,
    read_user_bytes,
)

DELIMITERS = (",", ";", "\t")
SNIFF_CHARS = 64 * 1024
# The widest real export we know has a few thousand columns; a header far wider is a hostile or broken
# file that would take minutes and gigabytes to parse (1,000,000 columns: 343 s, 3.9 GB).
MAX_COLUMNS = 20_000
HEADER_CHUNK = 1024 * 1024
# Every cell as Arrow text, parsed in chunks: no type guessing, and half the time and system time of
# one-pass parsing to inferred types (which also turned numbers such as "01" into "1").
TEXT = pd.ArrowDtype(pa.string())
ENCODERS = min(4, os.cpu_count() or 1)


class ParseProblem(ValueError):
    """The text is not a readable CSV; the message says why, for the user."""


class NotUtf8(ValueError):
    """The bytes are not UTF-8: decode them first (see sniff.decode)."""


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
    reader = csv_reader(io.StringIO(sample, newline=""), delimiter=delimiter)
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


def parse(source: Path | bytes, quotes_balanced: bool = True) -> Table:
    """Parse UTF-8 CSV (a file path, or bytes without NUL) into a Table.

    Raises NotUtf8 when the text is not UTF-8, ParseProblem when it is not a readable CSV.
    """
    delimiter, _width = sniff_delimiter(_head_text(source))
    columns = header_width(source, delimiter, MAX_COLUMNS)
    if columns > MAX_COLUMNS:
        raise ParseProblem(
            f"has more than {MAX_COLUMNS:,} columns in its first record; the limit is {MAX_COLUMNS:,} columns"
        )
    report = [] if delimiter == "," else [f"columns separated by {_delimiter_name(delimiter)}"]
    if not quotes_balanced:
        _raise_if_unterminated(_text(source), delimiter)
    try:
        with _opened(source) as stream:
            frame = _read_text_frame(stream, delimiter)
    except UnicodeDecodeError:
        raise NotUtf8() from None
    except pd.errors.EmptyDataError:
        raise ParseProblem("is empty (no records)") from None
    except pd.errors.ParserError as error:
        if "EOF inside string" in str(error):
            _raise_if_unterminated(_text(source), delimiter)
            where = re.search(r"starting at row (\d+)", str(error))
            place = f" in record {int(where.group(1)) + 1}" if where else ""
            raise ParseProblem(f"has an unterminated quote{place}: a quoted field never closes") from None
        return _checked(Table(_parse_python(_text(source), delimiter, report), delimiter, report))
    series = [frame.iloc[:, index] for index in range(frame.shape[1])]
    del frame
    # Arrow encodes without holding the GIL, so columns are encoded side by side; each is handed over
    # alone (popped) so that a parsed column is freed once encoded.
    with ThreadPoolExecutor(max_workers=ENCODERS, thread_name_prefix="survey-encode") as pool:
        columns = list(pool.map(_column, (series.pop(0) for _ in range(len(series)))))
    return _checked(Table(columns, delimiter, report))


def _checked(table: Table) -> Table:
    """The table, unless a field passes the field-size rule every CSV reader shares (user_files.FIELD_LIMIT)."""
    try:
        for column in table.columns:
            check_fields(column.values)
    except UserFileError as error:
        raise ParseProblem(str(error)) from None
    return table


@contextmanager
def _opened(source: Path | bytes) -> Iterator[BinaryIO | str]:
    # A path is opened through the one guard (a regular file within the cap), never handed to pandas by name.
    if isinstance(source, bytes):
        yield io.BytesIO(source)
        return
    with open_user_file(source, SURVEY_MAX_BYTES) as handle:
        yield opened_path(handle)


def _read_text_frame(stream: BinaryIO | str, delimiter: str) -> pd.DataFrame:
    return pd.read_csv(
        stream,
        sep=delimiter,
        header=None,
        keep_default_na=False,
        na_filter=False,
        dtype=TEXT,
        engine="c",
        encoding="utf-8-sig",
    )


def header_width(source: Path | bytes, delimiter: str, limit: int) -> int:
    """Count the fields of the first record without parsing the file; stop counting past `limit`.

    A delimiter or newline separates fields or records only outside quotes, that is after an even
    number of quote characters (an escaped quote "" adds two), so counts of bytes are enough.
    """
    separator, quote, newline = ord(delimiter), ord('"'), ord("\n")
    fields, quotes = 1, 0
    for chunk in _chunks(source):
        data = np.frombuffer(chunk, dtype=np.uint8)
        outside = (np.cumsum(data == quote) + quotes) % 2 == 0
        ends = np.flatnonzero((data == newline) & outside)
        if len(ends):
            data, outside = data[: ends[0]], outside[: ends[0]]
        fields += int(np.count_nonzero((data == separator) & outside))
        quotes += int(np.count_nonzero(data == quote))
        if len(ends) or fields > limit:
            break
    return fields


def _chunks(source: Path | bytes):
    if isinstance(source, bytes):
        for start in range(0, len(source), HEADER_CHUNK):
            yield source[start : start + HEADER_CHUNK]
        return
    with open_user_file(source, SURVEY_MAX_BYTES) as handle:
        while chunk := handle.read(HEADER_CHUNK):
            yield chunk


def _delimiter_name(delimiter: str) -> str:
    return {";": "semicolons", "\t": "tabs"}.get(delimiter, repr(delimiter))


def _head_text(source: Path | bytes) -> str:
    if isinstance(source, bytes):
        head = source[: SNIFF_CHARS * 2]
    else:
        with open_user_file(source, SURVEY_MAX_BYTES) as handle:
            head = handle.read(SNIFF_CHARS * 2)
    return head.decode("utf-8-sig", errors="ignore")


def _text(source: Path | bytes) -> str:
    data = source if isinstance(source, bytes) else read_user_bytes(source, SURVEY_MAX_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8() from None


def _column(series: pd.Series) -> Column:
    """Dictionary-encode one parsed column (text kept exactly as in the file)."""
    array = pa.array(series, type=pa.string(), from_pandas=True)
    if not isinstance(array, pa.ChunkedArray):
        array = pa.chunked_array([array])
    # Encoded chunk by chunk (no copy of the text into one array), then on one dictionary: values in
    # order of first appearance, as encoding the whole column at once gives.
    encoded = array.dictionary_encode().unify_dictionaries()
    values = encoded.chunk(0).dictionary.to_pylist() if encoded.num_chunks else []
    codes = pa.chunked_array([chunk.indices for chunk in encoded.chunks], pa.int32())
    if codes.null_count:
        codes = pc.fill_null(codes, len(values))
        values.append("")
    return Column(values, codes.to_numpy().astype(np.int32, copy=False))


def _parse_python(text: str, delimiter: str, report: list[str]) -> list[Column]:
    try:
        records = [record for record in csv_reader(io.StringIO(text, newline=""), delimiter=delimiter) if record]
    except csv.Error as error:
        raise ParseProblem(field_problem(error)) from None
    if not records:
        raise ParseProblem("is empty (no records)")
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


def _raise_if_unterminated(text: str, delimiter: str) -> None:
    """Find the record whose quoted field never closes, and say where it starts."""
    reader = csv_reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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
