"""The command line that prints a survey figure again: `python -m analysis answer|breakdown|trend ...`.

Each function returns the exact command, the file given relative to the project root (where it lies
inside it) and every word quoted for a POSIX shell, so a reader can paste it and see the same number.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

import settings
from analysis.errors import InvalidInput, NotComparable
from analysis.surveys.mappings import find_mapping
from analysis.surveys.trend import mapping_row
from survey_model.survey import Survey

PROGRAM = ("python", "-m", "analysis")


def project_path(path: str | Path) -> str:
    """`path` relative to the project root where it lies inside it (POSIX slashes), else absolute."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(settings.PROJECT_ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()


def _command(name: str, files: Sequence[str | Path], flags: Sequence[tuple[str, str | None]]) -> str:
    words = [*PROGRAM, name, *(project_path(path) for path in files)]
    for flag, value in flags:
        if value:
            words += [flag, value]
    return shlex.join(words)


def _base(base: str) -> str | None:
    return None if base == "answered" else base


def answer_command(
    path: str | Path,
    question_id: str,
    answer: str,
    item: str | None = None,
    base: str = "answered",
    weight: str | None = None,
    *,
    nets: Sequence[str] = (),
) -> str:
    """The `answer` command that prints the quotable sentence for one answer (`weight`: a weights file)."""
    flags = [("--question", question_id), ("--item", item), ("--answer", answer), ("--base", _base(base))]
    return _command("answer", [path], [*flags, ("--weight", weight), *_nets(nets)])


def breakdown_command(
    path: str | Path,
    question_id: str,
    item: str | None = None,
    base: str = "answered",
    by: str | None = None,
    weight: str | None = None,
    *,
    nets: Sequence[str] = (),
) -> str:
    """The `breakdown` command (CSV out) that prints a question's shares, or its banner `by` a segment question.

    `nets` are written as `NAME=ANSWER|ANSWER`, as `--net` takes them.
    """
    flags = [("--question", question_id), ("--item", item), ("--base", _base(base)), ("--by", by)]
    return _command("breakdown", [path], [*flags, ("--weight", weight), *_nets(nets), ("--format", "csv")])


def _nets(nets: Sequence[str]) -> list[tuple[str, str]]:
    return [("--net", net) for net in nets]


def banner_command(
    path: str | Path,
    question_id: str,
    item: str | None,
    segments: list[str],
    weight: str | None = None,
    output: str = "banner.xlsx",
) -> str:
    """The `breakdown --by ... --format xlsx` command that writes a question's banner of `segments` as a workbook."""
    flags = [("--question", question_id), ("--item", item), *[("--by", segment) for segment in segments]]
    return _command("breakdown", [path], [*flags, ("--weight", weight), ("--format", "xlsx"), ("--output", output)])


def weight_command(
    path: str | Path, targets: Mapping[str, str], cap: float | None = None, output: str = "weights.csv"
) -> str:
    """The `weight` command that rakes a survey to the targets files named per question and writes `output`."""
    flags = [("--target", f"{question}={file}") for question, file in targets.items()]
    return _command("weight", [path], [*flags, ("--cap", f"{cap:g}" if cap else None), ("--output", output)])


def headline_command(row: Mapping, path: str | Path) -> str:
    """The `answer` command printing an Overview headline card's share, n and interval (a survey_headlines row)."""
    if row.get("reason"):
        raise NotComparable(str(row["reason"]))
    if int(row["answers_matched"]) != 1:
        raise NotComparable(f"{row['source']}: the headline counts several answers ({row['answer']}); no one command")
    return answer_command(path, str(row["question"]), str(row["answer"]), str(row["item"]) or None)


def trend_files(trend: pd.DataFrame, surveys: Mapping[str, Survey], paths: Mapping[str, Path]) -> list[Path]:
    """The file of each wave of a trend table, in the trend's order (the first loaded survey of that wave name)."""
    files = []
    for wave in dict.fromkeys(trend["wave"]):
        key = next(key for key, survey in surveys.items() if survey.meta.wave == wave and key in paths)
        files.append(paths[key])
    return files


def trend_command(
    files: Sequence[str | Path],
    answer: str,
    item: str | None = None,
    base: str = "answered",
    mapping: str | Path | None = None,
    question_text: str | None = None,
    *,
    nets: Sequence[str] = (),
) -> str:
    """The `trend` command (CSV out) for one answer across waves, by wording mapping or by identical question text."""
    if (mapping is None) == (question_text is None):
        raise InvalidInput("give either a mapping file or the question text")
    question = " ".join(question_text.split()) if question_text else None
    flags = [("--mapping", project_path(mapping) if mapping else None), ("--question", question), ("--item", item)]
    flags += [("--answer", answer), ("--base", _base(base)), *_nets(nets)]
    return _command("trend", files, [*flags, ("--format", "csv")])


def headline_trend_command(
    rows: pd.DataFrame, surveys: Mapping[str, Survey], paths: Mapping[str, Path], mappings: Mapping[str, pd.DataFrame]
) -> str | None:
    """The `trend` command giving a headline's years, where a wording mapping names its question; else None."""
    latest = rows.iloc[-1]
    survey = surveys[latest["survey"]]
    name = find_mapping(mappings, survey, str(latest["question"]), str(latest["item"]) or None)
    if name is None or int(latest["answers_matched"]) != 1:
        return None
    if any(mapping_row(surveys[key], mappings[name]) is None for key in rows["survey"]):
        return None
    files = [paths[key] for key in rows["survey"]]
    return trend_command(files, str(latest["answer"]), str(latest["item"]) or None, mapping=_mapping_file(name))


def _mapping_file(name: str) -> Path:
    return settings.MAPPINGS_DIR / f"{name}.csv"
