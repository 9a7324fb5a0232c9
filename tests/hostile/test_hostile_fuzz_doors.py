"""Fuzzing the file doors: whatever the bytes, names or layout, each reader returns or refuses in one line.

Properties: no exception but the tool's own (SurveyError, HistoryError, InvalidInput), each one line; a
refused survey leaves nothing in the cache; a refused history file writes nothing to the store. The field
limit is lowered during these tests so that generated long cells cross it. Budgets: see docs/security.md.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import user_files
from analysis.errors import InvalidInput
from analysis.surveys.order import read_order
from analysis.surveys.trend import read_mapping
from analysis.surveys.weighting import read_targets
from analysis.surveys.weights_file import read_weights
from collectors.history.importer import import_history_file
from collectors.history.read import HistoryError
from collectors.surveys import SurveyError, load_survey
from collectors.surveys.detect import LAYOUTS
from store import open_store

FIELD_LIMIT = 400  # lowered so that generated cells cross it
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CELL = (
    st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=0x2FFF), max_size=10)
    | st.sampled_from(["", "NA", '"', ",", ";", "\n", "Response", "=1+1", "Q", "Q1", "date", "count", "2024-01-01"])
    | st.integers(min_value=-10, max_value=10**16).map(str)
    | st.integers(min_value=FIELD_LIMIT - 2, max_value=FIELD_LIMIT + 40).map(lambda n: "x" * n)
)
ROWS = st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=7)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "mac_roman"])
NAMES = st.text(alphabet=st.characters(whitelist_categories=("L", "N"), max_codepoint=0x2FFF), min_size=1, max_size=20)


@pytest.fixture(autouse=True)
def small_field_limit(monkeypatch):
    monkeypatch.setattr(user_files, "FIELD_LIMIT", FIELD_LIMIT)


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    return "\n".join(delimiter.join(row) for row in rows) + "\n"


def _one_line(error: Exception) -> None:
    assert "\n" not in str(error) and "Traceback" not in str(error)


@SETTINGS
@given(
    rows=ROWS,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=ENCODINGS,
    name=NAMES,
    layout=st.sampled_from([None, *LAYOUTS]),
)
def test_survey_reader_returns_or_refuses_and_a_refusal_caches_nothing(rows, delimiter, encoding, name, layout):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.csv"
        path.write_bytes(_csv(rows, delimiter).encode(encoding, errors="replace"))
        cache = Path(folder) / "cache"
        try:
            survey = load_survey(path, layout=layout, cache_dir=cache)
        except SurveyError as error:
            _one_line(error)
            assert not any(cache.rglob("*.*")), "a refused survey left a cache entry"
            return
        assert survey.meta.respondents > 0


@SETTINGS
@given(rows=ROWS, wide=st.booleans(), name=NAMES)
def test_history_import_returns_or_refuses_and_a_refusal_writes_nothing(rows, wide, name):
    header = ["date", "acme/tool", "Acme/Other"] if wide else ["Date", "Count", "Delta"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"acme_{name}.csv"
        path.write_text(_csv([header, *rows]), encoding="utf-8")
        engine = open_store(f"sqlite:///{folder}/adoption.db")
        try:
            import_history_file(engine, path)
        except HistoryError as error:
            _one_line(error)
            assert engine.read_snapshots().empty, "a refused history file wrote snapshots"
        finally:
            engine.close()


@SETTINGS
@given(
    rows=ROWS,
    header=st.sampled_from(
        [
            ["answer", "target"],
            ["wave", "question_id"],
            ["answer"],
            ["survey_sha256", "respondent", "weight", "raked_to"],
            ["wave", "question", "item", "answer"],
        ]
    ),
    encoding=ENCODINGS,
)
def test_targets_mapping_order_and_weights_readers_return_or_refuse(rows, header, encoding):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "small.csv"
        path.write_bytes(_csv([header, *rows]).encode(encoding, errors="replace"))
        for read in (read_targets, read_mapping, read_order, read_weights):
            try:
                read(path)
            except InvalidInput as error:
                _one_line(error)
