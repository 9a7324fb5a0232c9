"""Decide what a file's bytes are before parsing them: refuse non-CSV files, find the encoding."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from collectors.file_hash import file_sha256
from user_files import SURVEY_MAX_BYTES, open_user_file

HEAD_BYTES = 64 * 1024
SCAN_CHUNK = 8 * 1024 * 1024
FINGERPRINT_CHARS = 16
QUOTE = ord('"')
# Magic numbers of files that are often renamed .csv by mistake, with what to tell the user.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "is a PNG image, not a CSV file"),
    (b"\xff\xd8\xff", "is a JPEG image, not a CSV file"),
    (b"GIF8", "is a GIF image, not a CSV file"),
    (b"%PDF", "is a PDF document, not a CSV file; export the survey as CSV"),
    (b"PK\x03\x04", "is a ZIP archive or an Excel workbook (.xlsx), not a CSV file; export it as CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "is an old Excel (.xls) or Office file, not a CSV file; export it as CSV"),
    (b"\x1f\x8b", "is gzip-compressed; decompress it first"),
    (b"PAR1", "is a Parquet file, not a CSV file"),
    (b"SQLite format 3\x00", "is an SQLite database, not a CSV file"),
    (b"\x7fELF", "is a program (ELF binary), not a CSV file"),
)
HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<!--)", re.IGNORECASE)
# Letters around a character that only appears when a file is decoded with the wrong code page:
# "HowÊoften" (Mac Roman read as cp1252), "â€" and "Ã©" (UTF-8 read as cp1252), C1 controls (latin-1).
MOJIBAKE = re.compile(r"[a-z][À-ÞÊ][a-z]|[A-Za-z][†ñí][A-Za-z]|Ã[\x80-\xbf]|â€|[\x80-\x9f]")
SINGLE_BYTE_CANDIDATES = ("cp1252", "mac_roman")
JSON_START = re.compile(rb'\s*(\{\s*"[^"\n]*"\s*:|\[\s*[{\["])')
CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Decoded:
    """Where a file's text lives: either UTF-8 bytes ready for the parser, or decoded text."""

    encoding: str
    data: bytes  # UTF-8 bytes, BOM and NUL bytes removed
    report: list[str] = field(default_factory=list)


@dataclass
class Scan:
    """What the ends of a file tell before it is read through: its fingerprint and its first bytes."""

    fingerprint: str  # of its size, first and last bytes: files with the same bytes have the same one
    head: bytes


@dataclass
class Marks:
    """What one streaming pass over a file counts before it is parsed: NUL bytes and quote characters."""

    has_nul: bool
    quotes: int


def scan(path: Path) -> Scan:
    """Read a file's first and last HEAD_BYTES: enough to refuse a non-CSV and to tell a file never cached."""
    with open_user_file(path, SURVEY_MAX_BYTES) as handle:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(HEAD_BYTES)
        handle.seek(max(size - HEAD_BYTES, 0))
        tail = handle.read(HEAD_BYTES)
    fingerprint = hashlib.sha256(b"%d\0%b\0%b" % (size, head, tail)).hexdigest()[:FINGERPRINT_CHARS]
    return Scan(fingerprint, head)


def marks(path: Path) -> Marks:
    """Read a file once, in chunks, without holding it in memory (a cached file is never read through)."""
    has_nul, quotes = False, 0
    with open_user_file(path, SURVEY_MAX_BYTES) as handle:
        while chunk := handle.read(SCAN_CHUNK):
            has_nul = has_nul or b"\x00" in chunk
            quotes += int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == QUOTE))
    return Marks(has_nul, quotes)


def needs_decoding(head: bytes, has_nul: bool) -> bool:
    """True when the bytes cannot go to the CSV parser as they are (UTF-16, NUL bytes, not UTF-8)."""
    if has_nul or utf16_encoding(head):
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return True
    return False


class FileDigest:
    """A file's sha256 (collectors.file_hash), worked out in a thread of its own once started.

    hashlib lets other threads run while it hashes, so the parse goes on meanwhile; `value()` waits.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._thread: threading.Thread | None = None
        self._value: str | OSError = OSError("not hashed")

    def start(self) -> None:
        """Start hashing in the background (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="survey-sha256", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._value = file_sha256(self._path)
        except OSError as error:
            self._value = error

    def value(self) -> str:
        """The hex sha256; raises the OSError that stopped the reading."""
        self.start()
        assert self._thread is not None
        self._thread.join()
        if isinstance(self._value, OSError):
            raise self._value
        return self._value


def mostly_nul(head: bytes) -> bool:
    """True when a file's first bytes are NUL beyond what decode() would repair: judged before reading the rest."""
    return not utf16_encoding(head) and head.count(0) > max(16, len(head) // 20)


def check_head(head: bytes) -> None:
    """Refuse a UTF-8 file whose first bytes are mostly control characters (a binary file)."""
    _check_text(head.decode("utf-8", errors="ignore"))


def refuse_reason(head: bytes) -> str | None:
    """Return why a file whose first bytes are `head` is not a CSV, or None if it may be one."""
    if not head.strip():
        return "is empty" if not head else "is empty (only blank space)"
    for magic, reason in SIGNATURES:
        if head.startswith(magic):
            return reason
    if HTML_START.match(head):
        return "is an HTML page (perhaps an error page saved instead of the export), not a CSV file"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"[") and _looks_like_json(stripped):
        return "is a JSON document (perhaps an error response saved instead of the export), not a CSV file"
    return None


def _looks_like_json(data: bytes) -> bool:
    try:
        json.loads(data.decode("utf-8", errors="replace"))
    except ValueError:
        # A long JSON body cut at HEAD_BYTES still opens like an object with a quoted key.
        return bool(JSON_START.match(data))
    return True


def utf16_encoding(head: bytes) -> str | None:
    """Return 'utf-16' (with BOM), 'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode(raw: bytes) -> Decoded:
    """Find the encoding of `raw` and return its text as UTF-8 bytes, listing what was repaired."""
    report: list[str] = []
    utf16 = utf16_encoding(raw[:HEAD_BYTES])
    if utf16:
        text = raw.decode(utf16, errors="replace").lstrip("\ufeff")
        report.append(f"read as {utf16.upper()} text")
        return _finish_text(text, utf16, report)
    nul_count = raw.count(0)
    if nul_count:
        if nul_count > max(16, len(raw) // 20):
            raise ValueError("binary")
        raw = raw.replace(b"\x00", b"")
        report.append(f"removed {nul_count} stray NUL byte(s)")
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        encoding, text = _decode_by_lines(body, report)
        return _finish_text(text, encoding, report)
    _check_text(body[:HEAD_BYTES].decode("utf-8", errors="ignore"))
    return Decoded("utf-8", body, report)


def _decode_by_lines(body: bytes, report: list[str]) -> tuple[str, str]:
    """Decode text that is not all UTF-8 by the encoding most of its lines use; report the other lines.

    A line with non-ASCII bytes is UTF-8 when it decodes as UTF-8 (text in a single-byte code page
    rarely does). When such lines are the majority, they are kept as they are and only the odd bytes
    of the other lines are read in the code page that fits them best; otherwise the file is read in
    that code page, except its UTF-8 lines.
    """
    lines = body.split(b"\n")
    utf8, odd = [], []
    for number, line in enumerate(lines):
        if not line.isascii():
            (utf8 if _is_utf8(line) else odd).append(number)
    encoding, _text = _best_single_byte(b"\n".join(lines[number] for number in odd))
    if len(utf8) >= len(odd):
        for number in odd:
            lines[number] = _repair_line(lines[number], encoding).encode("utf-8")
        report.append(f"{len(odd)} line(s) not UTF-8 ({_line_list(odd)}): their odd bytes read as {encoding}")
        return "utf-8", b"\n".join(lines).decode("utf-8")
    report.append(f"not UTF-8: read as {encoding}")
    if utf8:
        report.append(f"{len(utf8)} line(s) in UTF-8 among the {encoding} text ({_line_list(utf8)}): read as UTF-8")
    keep = set(utf8)
    text = "\n".join(line.decode("utf-8" if n in keep else encoding, errors="replace") for n, line in enumerate(lines))
    return encoding, text


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _repair_line(line: bytes, encoding: str) -> str:
    """Decode a line as UTF-8, reading only the bytes that are not UTF-8 in `encoding`."""
    parts = []
    while line:
        try:
            parts.append(line.decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            parts.append(line[: error.start].decode("utf-8"))
            parts.append(line[error.start : error.end].decode(encoding, errors="replace"))
            line = line[error.end :]
    return "".join(parts)


def _line_list(numbers: list[int], shown: int = 10) -> str:
    """Zero-based line indexes as people count lines: 'lines 3, 9 and 4 more'."""
    listed = ", ".join(str(number + 1) for number in numbers[:shown])
    more = f" and {len(numbers) - shown} more" if len(numbers) > shown else ""
    return f"line{'s' if len(numbers) > 1 else ''} {listed}{more}"


def _best_single_byte(body: bytes) -> tuple[str, str]:
    """Decode with the single-byte code page that leaves the fewest mojibake artefacts."""
    import charset_normalizer  # only text that is not UTF-8 needs it: a UTF-8 file does not wait for its import

    candidates = list(SINGLE_BYTE_CANDIDATES)
    guess = charset_normalizer.from_bytes(body[: 256 * 1024]).best()
    if guess is not None and guess.encoding not in candidates and not guess.encoding.startswith("utf"):
        candidates.append(guess.encoding)
    best: tuple[int, str, str] | None = None
    for encoding in candidates:
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = len(MOJIBAKE.findall(text))
        if best is None or score < best[0]:
            best = (score, encoding, text)
    if best is None:
        text = body.decode("cp1252", errors="replace")
        return "cp1252", text
    return best[1], best[2]


def _finish_text(text: str, encoding: str, report: list[str]) -> Decoded:
    if "\x00" in text:
        count = text.count("\x00")
        text = text.replace("\x00", "")
        report.append(f"removed {count} stray NUL character(s)")
    _check_text(text[:HEAD_BYTES])
    return Decoded(encoding, text.encode("utf-8"), report)


def _check_text(sample: str) -> None:
    """Refuse text that is mostly control characters: a binary file, whatever its name."""
    if sample and len(CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ValueError("binary")
