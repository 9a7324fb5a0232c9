"""Paths and raw-file helpers shared by the survey ingestion tests."""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SURVEYS = ROOT / "data" / "surveys"
CNCF = SURVEYS / "cncf"
STACKOVERFLOW = SURVEYS / "stackoverflow_2025"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = Path(__file__).resolve().parent / "corpus"


def raw_records(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    """The records of a CSV file read with the csv module alone (independent of the loader)."""
    with open(path, encoding=encoding, newline="") as handle:
        return [record for record in csv.reader(handle) if record]


def question_by_text(survey, start: str, *, nth: int = 0):
    """The nth question whose text starts with `start`."""
    matches = [question for question in survey.questions if question.text.startswith(start)]
    return matches[nth]
