"""load_survey: from a file path to a Survey, through the cache when the same bytes were read before."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from survey_model.counts import CountsSurvey
from survey_model.survey import Survey, SurveyMeta
from user_files import SMALL_FILE_MAX_BYTES, SURVEY_MAX_BYTES, open_user_file, read_user_bytes

from . import layout_coded, layout_forms, layout_simple, layout_stackoverflow, layout_surveymonkey
from .builder import ResponseBuilder
from .cache import CacheWrites, cache_entries, cache_key, not_cached, read_cached, write_cached
from .cache import cache_dir as resolve_cache_dir
from .codebook import find_codebook
from .detect import LAYOUTS, choose_layout, detect, schema_beside
from .errors import SurveyError
from .layout_tables import read_tables
from .reader import NotUtf8, ParseProblem, Table, parse
from .repairs import looks_like_formula
from .sniff import FileDigest, Scan, check_head, decode, marks, mostly_nul, needs_decoding, refuse_reason, scan
from .workbook_guard import is_workbook

YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
HALF = re.compile(r"(?<![A-Za-z0-9])([12]H)[ _-]?(19|20)\d\d", re.IGNORECASE)
LAYOUT_MODULES = {
    "surveymonkey": layout_surveymonkey,
    "stackoverflow": layout_stackoverflow,
    "google_forms": layout_forms,
    "qualtrics": layout_forms,
    "long": layout_simple,
    "wide": layout_simple,
    "coded": layout_coded,
}


def load_survey(
    path: str | Path,
    layout: str | None = None,
    schema: str | Path | None = None,
    codebook: str | Path | None = None,
    cache_dir: str | Path | None = None,
    writes: CacheWrites | None = None,
) -> Survey | CountsSurvey:
    """Read a survey export of any supported layout (detected unless `layout` is given) into a Survey.

    A coded export without `codebook` uses the codebook found by name beside it (see codebook.find_codebook).
    A file parsed for the first time is cached before this returns, or, given `writes`, in the background
    (`writes.finish()` waits for it and says if it failed).
    """
    path = Path(path)
    if layout is not None and layout not in LAYOUTS:
        raise SurveyError(path, f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    if layout is None and _workbook(path):
        # Published tables hold counts, not answers: read whole (a few seconds at most), never cached as rows.
        return read_tables(path, _sha256(path, FileDigest(path)))
    facts = _scan(path)
    schema_path, codebook_path = _companions(path, layout, schema, codebook)
    parts = (layout or "auto", _digest(schema_path), _digest(codebook_path))
    folder = resolve_cache_dir(cache_dir)
    digest = FileDigest(path)
    cached = _from_cache(path, folder, facts.fingerprint, digest, parts)
    if cached is not None:
        return cached
    survey = parse_survey(path, facts, layout, schema_path, codebook_path, digest)
    key = cache_key(facts.fingerprint, survey.meta.sha256, *parts)
    if writes is not None:
        writes.start(folder, key, survey)
        return survey
    try:
        write_cached(folder, key, survey)
    except OSError as error:
        survey.report.append(not_cached(error))
    return survey


def _from_cache(
    path: Path, folder: Path, fingerprint: str, digest: FileDigest, parts: tuple[str, ...]
) -> Survey | None:
    """The cached survey of these bytes read this way, if any.

    Only a file with the same size and first and last bytes can have an entry (else it surely is new,
    and is hashed while it is parsed); the sha256 of all its bytes then tells. The one entry such a file
    usually has is read while the file is hashed, and kept only if the sha256 names it.
    """
    entries = cache_entries(folder, fingerprint)
    if not entries:
        return None
    digest.start()
    guess = read_cached(folder, entries[0]) if len(entries) == 1 else None
    key = cache_key(fingerprint, _sha256(path, digest), *parts)
    if guess is not None and key == entries[0]:
        return guess
    return read_cached(folder, key) if key in entries else None


def _companions(
    path: Path, layout: str | None, schema: str | Path | None, codebook: str | Path | None
) -> tuple[Path | None, Path | None]:
    """The schema and codebook files given, else the ones found beside the survey for its layout."""
    schema_path = _optional_file(path, schema, "schema")
    if schema_path is None and layout in (None, "stackoverflow"):
        schema_path = schema_beside(path)
    codebook_path = _optional_file(path, codebook, "codebook")
    if codebook_path is None and layout in (None, "coded"):
        codebook_path = find_codebook(path)
    return schema_path, codebook_path


def detect_layout(path: str | Path, schema: str | Path | None = None) -> str:
    """Return the layout name that load_survey would use for this file (see LAYOUTS)."""
    path = Path(path)
    table, _report = read_table(path, _scan(path))
    return detect(table, _optional_file(path, schema, "schema") or schema_beside(path), find_codebook(path))


def read_table(path: Path, facts: Scan) -> tuple[Table, list[str]]:
    """Decode and parse a file into a Table, with the repairs made on the way."""
    try:
        counted = marks(path)
        if not needs_decoding(facts.head, counted.has_nul):
            check_head(facts.head)
            try:
                return parse(path, quotes_balanced=counted.quotes % 2 == 0), []
            except NotUtf8:
                pass
        decoded = decode(read_user_bytes(path, SURVEY_MAX_BYTES))
        table = parse(decoded.data, quotes_balanced=decoded.data.count(b'"') % 2 == 0)
    except ParseProblem as problem:
        raise SurveyError(path, str(problem)) from None
    except NotUtf8:
        raise SurveyError(path, "has text in no encoding that could be recognised") from None
    except ValueError:
        raise SurveyError(path, "is a binary file, not a CSV file") from None
    except OSError as error:
        raise SurveyError(path, f"cannot be read ({error.strerror or error})") from None
    return table, decoded.report


def parse_survey(
    path: Path,
    facts: Scan,
    layout: str | None,
    schema: Path | None,
    codebook: Path | None,
    digest: FileDigest | None = None,
) -> Survey:
    """Parse a survey export (no cache involved)."""
    digest = digest or FileDigest(path)
    table, decoding_report = read_table(path, facts)
    digest.start()  # hashed while the answers are built, on a core the building leaves idle
    report = [*decoding_report, *table.report]
    if table.records == 0:
        raise SurveyError(path, "is empty (no records)")
    if len(table.columns) < 2:
        raise SurveyError(
            path,
            "has a single column: not a survey export (expected one column per question, "
            "separated by commas, semicolons or tabs)",
        )
    if layout is None:
        layout, unsure = choose_layout(table, schema, codebook)
        report.extend([unsure] if unsure else [])
    try:
        result = LAYOUT_MODULES[layout].read(table, layout=layout, schema=schema, codebook=codebook, report=report)
    except ParseProblem as problem:
        raise SurveyError(path, str(problem)) from None
    builder: ResponseBuilder = result.builder
    if builder.respondents == 0:
        raise SurveyError(path, "has no respondents (only header rows)")
    if not builder.questions:
        raise SurveyError(path, "has no questions")
    responses = builder.responses()
    write_ins = builder.write_ins()
    _warn_formulas(responses, write_ins, report)
    meta = SurveyMeta(
        source=path.name,
        sha256=_sha256(path, digest),
        respondents=builder.respondents,
        layout=layout,
        wave=wave_name(path, layout),
        year=_year(path),
        fielded_from=result.fielded[0],
        fielded_to=result.fielded[1],
    )
    return Survey(builder.questions, responses, meta, report, write_ins)


def _workbook(path: Path) -> bool:
    """True when `path` is an Excel workbook (by name or by its zip contents), to be read as published tables."""
    if not path.is_file():
        return False
    try:
        with open_user_file(path, SURVEY_MAX_BYTES) as handle:
            head = handle.read(4)
    except OSError:
        return False  # the CSV door says what is wrong with it
    return is_workbook(path, head)


def _scan(path: Path) -> Scan:
    if not path.exists():
        raise SurveyError(path, "does not exist; check the path")
    if path.is_dir():
        raise SurveyError(path, "is a folder, not a survey file")
    try:
        facts = scan(path)
    except OSError as error:
        raise SurveyError(path, f"cannot be read ({error.strerror or error})") from None
    reason = refuse_reason(facts.head)
    if reason is None and mostly_nul(facts.head):
        reason = "is a binary file (its first bytes are mostly NUL bytes), not a CSV file"
    if reason:
        raise SurveyError(path, reason)
    return facts


def _sha256(path: Path, digest: FileDigest) -> str:
    try:
        return digest.value()
    except OSError as error:
        raise SurveyError(path, f"cannot be read ({error.strerror or error})") from None


def _optional_file(survey: Path, given: str | Path | None, what: str) -> Path | None:
    if given is None:
        return None
    given = Path(given)
    if given.exists() and not given.is_file():
        raise SurveyError(survey, f"its {what} file {given} is not a regular file; it was not read")
    if not given.is_file():
        raise SurveyError(survey, f"its {what} file {given} does not exist")
    return given


def _digest(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return hashlib.sha256(read_user_bytes(path, SMALL_FILE_MAX_BYTES)).hexdigest()
    except OSError as error:
        raise SurveyError(path, f"cannot be read ({error.strerror or error})") from None


def _warn_formulas(responses: pd.DataFrame, write_ins: pd.DataFrame, report: list[str]) -> None:
    texts = [str(text) for text in responses["answer"].cat.categories] + list(write_ins["text"])
    formulas = sum(looks_like_formula(text) for text in texts)
    if formulas:
        report.append(
            f"{formulas} distinct answer(s) start like a spreadsheet formula (=, +, -, @); kept as text, "
            "and CSV exports neutralise them"
        )


def wave_name(path: Path, layout: str) -> str:
    """A readable survey name from the file name, e.g. 'CNCF Cloud Native Survey 2019'."""
    stem = re.sub(r"[_]+", " ", path.stem).strip()
    if layout == "stackoverflow" and stem.lower() in ("survey results public", "survey results"):
        year = _year(path)
        return f"Stack Overflow Developer Survey {year}" if year else "Stack Overflow Developer Survey"
    if stem.lower().startswith("cloud native survey"):
        stem = f"CNCF {stem}"
    # CNCF named its 2022 export "2022 CNCF Survey - Raw Data": the same annual Cloud Native survey.
    match = re.fullmatch(r"(\d{4}) CNCF Survey( - Raw Data)?", stem, flags=re.IGNORECASE)
    if match:
        stem = f"CNCF Cloud Native Survey {match.group(1)}"
    return stem


def _year(path: Path) -> int | None:
    for text in (path.stem, path.parent.name):
        found = YEAR.findall(text)
        if found:
            return int(found[-1])
    return None
