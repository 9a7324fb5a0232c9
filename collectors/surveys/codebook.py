"""Codebooks of coded exports: a CSV (question, code, label) that turns numeric answer codes into labels.

A codebook is found without being named when it sits beside the export as `<stem>_codebook.csv`,
or in a `codebooks/` folder next to the export's folder as `<name>_codebook.csv`, where `<name>` is
the export's file stem or its folder's name, lowercased, with every run of characters other than
letters and digits turned into `_` (so `data/surveys/cncf_2022/2022_CNCF_Survey_-_Raw_Data.csv`
finds `data/surveys/codebooks/cncf_2022_codebook.csv`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from survey_model.codes import unlabelled_code
from user_files import SMALL_FILE_MAX_BYTES, csv_reader, field_problem, read_user_bytes

from .reader import ParseProblem

COLUMNS = ("question", "code", "label")
SUFFIX = "_codebook.csv"
FOLDER = "codebooks"
INTEGER = re.compile(r"^-?\d+$")

Labels = dict[str, dict[str, str]]  # question id -> code -> label, in the codebook's order


def find_codebook(survey: Path) -> Path | None:
    """The codebook that belongs to a survey export by name (see the module docstring), if there is one."""
    folder = survey.parent
    candidates = [folder / f"{survey.stem}{SUFFIX}"]
    shared = folder.parent / FOLDER
    candidates += [shared / f"{slug(name)}{SUFFIX}" for name in (survey.stem, folder.name) if slug(name)]
    return next((path for path in candidates if path.is_file()), None)


def slug(name: str) -> str:
    """Lowercase, with every run of characters other than letters and digits turned into `_`."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def read_codebook(path: Path) -> Labels:
    """Read a codebook CSV with the columns question, code, label (any order, more columns ignored)."""
    rows = csv_reader(io.StringIO(_text(path), newline=""))
    try:
        header = [cell.strip().lower() for cell in next(rows, [])]
        if not set(COLUMNS) <= set(header):
            found = ", ".join(cell for cell in header if cell)[:80] or "nothing"
            raise ParseProblem(f"codebook {path.name} needs the columns question, code, label (found: {found})")
        where = [header.index(name) for name in COLUMNS]
        labels: Labels = {}
        for record in rows:
            if any(cell.strip() for cell in record):
                _add(labels, [_cell(record, i) for i in where], path.name, rows.line_num)
    except csv.Error as error:
        raise ParseProblem(f"codebook {path.name} line {rows.line_num}: {field_problem(error)}") from None
    if not labels:
        raise ParseProblem(f"codebook {path.name} has no rows under its header question, code, label")
    return labels


def code_order(code: str) -> tuple[int, float, str]:
    """Sort key putting integer codes in numeric order, other texts after them."""
    return (0, int(code), "") if INTEGER.match(code) else (1, 0.0, code)


def ordered_options(labels: dict[str, str], codes: list[str]) -> tuple[str, ...]:
    """The options of a coded question: labelled codes in the codebook's order, then the others by code.

    A code without a label becomes `code 1 (no label)` (see survey_model.codes).
    """
    used = set(codes)
    known = [label for code, label in labels.items() if code in used]
    unknown = sorted((code for code in used if code not in labels), key=code_order)
    return tuple(dict.fromkeys([*known, *(unlabelled_code(code) for code in unknown)]))


def coverage_report(labels: Labels, codes_by_question: dict[str, list[str]], name: str) -> list[str]:
    """Report lines for codes the codebook does not label, and questions it labels that the file lacks."""
    report = [f"answer codes labelled from the codebook {name}"]
    unlabelled = [qid for qid, codes in codes_by_question.items() if codes and qid not in labels]
    for qid, codes in codes_by_question.items():
        missing = sorted({code for code in codes if code not in labels.get(qid, {})}, key=code_order)
        if qid in labels and missing:
            report.append(f"{qid}: code(s) {', '.join(missing)} not in the codebook {name}; kept as codes")
    if unlabelled:
        report.append(
            f"the codebook {name} has no labels for {len(unlabelled)} coded question(s) "
            f"({', '.join(unlabelled)}): their answers stay codes, shown as 'code 1 (no label)'"
        )
    absent = [qid for qid in labels if qid not in codes_by_question]
    if absent:
        report.append(f"the codebook {name} labels question(s) this file does not have: {', '.join(absent)}")
    return report


def _add(labels: Labels, cells: list[str], name: str, line: int) -> None:
    question, code, label = cells
    if not (question and code and label):
        raise ParseProblem(f"codebook {name} line {line}: every row needs a question, a code and a label")
    known = labels.setdefault(question, {}).get(code)
    if known is not None and known != label:
        raise ParseProblem(f"codebook {name} line {line}: {question} code {code} has two labels ({known!r}, {label!r})")
    labels[question][code] = label


def _cell(record: list[str], index: int) -> str:
    return " ".join(record[index].split()) if index < len(record) else ""


def _text(path: Path) -> str:
    try:
        data = read_user_bytes(path, SMALL_FILE_MAX_BYTES)
    except OSError as error:
        raise ParseProblem(f"codebook {path.name} cannot be read ({error.strerror or error})") from None
    if b"\x00" in data[:4096]:
        raise ParseProblem(f"codebook {path.name} is a binary file, not a CSV with the columns question, code, label")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
