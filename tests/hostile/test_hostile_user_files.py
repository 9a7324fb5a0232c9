"""Files that are not files: every door that opens a user's path goes through user_files, and refuses in one line.

Each door is given a FIFO with no writer, a symlink to /dev/zero and a sparse file past its cap (truncate: no
disk used). Each call runs in a thread with a deadline; a door that blocks on the FIFO fails the test, and the
FIFO is then opened for writing so the blocked thread is released.
"""

from __future__ import annotations

import ast
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import user_files
from analysis.catalog.claims import read_claims
from analysis.errors import InvalidInput
from analysis.surveys.order import read_order
from analysis.surveys.trend import read_mapping
from analysis.surveys.weighting import read_targets
from analysis.surveys.weights_file import read_weights
from collectors.catalog.bundled import CatalogFileError, read_catalog_file
from collectors.dockerhub.watchlist import WatchlistError, read_watchlist
from collectors.history.read import HistoryError, read_history
from collectors.surveys import sniff
from collectors.surveys.codebook import read_codebook
from collectors.surveys.errors import SurveyError
from collectors.surveys.loader import load_survey
from collectors.surveys.reader import ParseProblem
from store import open_store
from store.errors import StoreError
from tests.hostile.hostile_helpers import ROOT, run_module

DEADLINE = 20  # seconds a door may take to refuse: generous on a busy 2-core machine; a hang never ends
GOOD_SURVEY = "Respondent ID,Region,Tool\n1,Europe,Docker\n2,Asia,Podman\n"
# Calls that read a file, by the name called; outside user_files each needs its reason here.
READ_CALLS = {"open", "read_csv", "read_text", "read_bytes", "reader", "DictReader", "field_size_limit", "fdopen"}
NOT_A_USER_PATH = {
    ("cli/analysis/deck.py", "write_atomically", "fdopen"): "writes the deck to a temporary file it made",
    ("cli/analysis/weight.py", "_write_whole", "fdopen"): "writes the weights to a temporary file it made",
    ("store/sql/sqlite_check.py", "_remembered", "read_text"): "the tool's own record of checked stores",
    ("dashboard/uploads.py", "quota_lock", "open"): "the upload folder's lock file, which the tool makes",
    ("analysis/small_csv.py", "read_text_table", "read_csv"): "parses bytes read by user_files.read_user_bytes",
    ("collectors/surveys/reader.py", "_read_text_frame", "read_csv"): "parses a file opened by open_user_file",
}


def _read_calls() -> set[tuple[str, str, str]]:
    found = set()
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in ("tests", "bench") or relative == "user_files.py":
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                called = getattr(node, "func", None) if isinstance(node, ast.Call) else None
                name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
                if name in READ_CALLS:
                    found.add((relative, function.name, name))
    return found


def test_every_read_of_a_file_goes_through_user_files() -> None:
    """A new open()/read_csv()/read_bytes() of a path fails this test until it uses user_files or says why not."""
    unexplained = _read_calls() - set(NOT_A_USER_PATH)
    assert not unexplained, f"read a user's path through user_files (open_user_file, read_user_bytes): {unexplained}"
    assert set(NOT_A_USER_PATH) <= _read_calls(), "a listed exception no longer exists: remove it from the list"


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def _zero(folder: Path) -> Path:
    path = folder / "zero.csv"
    path.symlink_to("/dev/zero")
    return path


def _sparse(folder: Path) -> Path:
    path = folder / "sparse.csv"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3 + 1)  # 2 GB of nothing: larger than every cap, without using the disk
    return path


def _release(path: Path) -> None:
    """Open a FIFO for writing, so a reader blocked in open() on it goes on (and then reads end of file)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return  # no reader is waiting
    os.close(fd)


def _refusal(call: Callable[[], object], path: Path) -> BaseException:
    """Run `call` with a deadline; return what it raised; fail when it hangs or returns."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:  # noqa: BLE001 - handed back to the test, which checks its type
            outcome.append(error)
            return
        outcome.append(None)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(DEADLINE)
    if worker.is_alive():
        _release(path)
        worker.join(DEADLINE)
        pytest.fail(f"{path.name}: the door did not come back within {DEADLINE} s")
    assert outcome[0] is not None, f"{path.name} was accepted"
    return outcome[0]


def _good_survey(folder: Path) -> Path:
    path = folder / "survey.csv"
    path.write_text(GOOD_SURVEY, encoding="utf-8")
    return path


def _doors(folder: Path) -> dict[str, tuple[Callable[[Path], object], type[BaseException]]]:
    cache = folder / "cache"
    survey = _good_survey(folder)
    return {
        "survey": (lambda p: load_survey(p, cache_dir=cache), SurveyError),
        "schema": (lambda p: load_survey(survey, layout="stackoverflow", schema=p, cache_dir=cache), SurveyError),
        "codebook": (lambda p: load_survey(survey, layout="coded", codebook=p, cache_dir=cache), SurveyError),
        "codebook reader": (read_codebook, ParseProblem),
        "history": (read_history, HistoryError),
        "targets": (read_targets, InvalidInput),
        "mapping": (read_mapping, InvalidInput),
        "order": (read_order, InvalidInput),
        "weights": (read_weights, InvalidInput),
        "claims": (read_claims, InvalidInput),
        "watchlist": (read_watchlist, WatchlistError),
        "catalog file": (read_catalog_file, CatalogFileError),
        "--db": (lambda p: open_store(f"sqlite:///{p}"), StoreError),
    }


@pytest.mark.parametrize("make", [_fifo, _zero, _sparse], ids=["fifo", "symlink to /dev/zero", "2 GB sparse"])
def test_every_door_refuses_what_is_not_a_regular_file_in_one_line(tmp_path: Path, make) -> None:
    path = make(tmp_path)
    for door, (call, error_type) in _doors(tmp_path).items():
        error = _refusal(lambda call=call: call(path), path)
        assert isinstance(error, error_type), f"{door}: {type(error).__name__}: {error}"
        assert "\n" not in str(error), door
    assert not any((tmp_path / "cache").rglob("*.*")), "a refused file left something in the cache"


def test_the_refusal_names_what_the_file_is(tmp_path: Path) -> None:
    fifo, zero, sparse = _fifo(tmp_path), _zero(tmp_path), _sparse(tmp_path)
    assert "FIFO" in str(_refusal(lambda: read_history(fifo), fifo))
    assert "character device" in str(_refusal(lambda: read_history(zero), zero))
    assert "the limit for this kind of file is 256.0 MB" in str(_refusal(lambda: read_history(sparse), sparse))


def test_a_file_of_nul_bytes_under_the_cap_is_refused_from_its_head(tmp_path: Path, monkeypatch) -> None:
    """A 600 MB sparse survey is judged by its first bytes: the pass that reads every byte never starts."""
    path = tmp_path / "nul.csv"
    with path.open("wb") as handle:
        handle.truncate(600 * 1024**2)

    def read_through(_path: Path) -> None:
        raise AssertionError("the whole file was read before it was refused")

    monkeypatch.setattr("collectors.surveys.loader.marks", read_through)
    monkeypatch.setattr(sniff, "marks", read_through)
    with pytest.raises(SurveyError, match="mostly NUL bytes"):
        load_survey(path, cache_dir=tmp_path / "cache")


def test_a_file_swapped_for_a_fifo_after_the_check_is_still_refused(tmp_path: Path) -> None:
    """The kind is judged on the file opened (fstat), not on the name looked at before."""
    path = _fifo(tmp_path)
    with pytest.raises(user_files.UserFileError, match="FIFO"):
        user_files.open_user_file(path)


def test_a_200_kb_schema_cell_is_read(tmp_path: Path) -> None:
    survey = tmp_path / "survey_results_public.csv"
    survey.write_text("ResponseId,Tool\n1,Docker\n2,Podman\n", encoding="utf-8")
    schema = tmp_path / "schema.csv"
    long_text = "How often " * 20_000
    schema.write_text(f'qname,question,type\nTool,"{long_text}",SC\n', encoding="utf-8")
    loaded = load_survey(survey, layout="stackoverflow", schema=schema, cache_dir=tmp_path / "cache")
    assert loaded.question("Tool").text.startswith("How often")


def test_a_200_kb_history_header_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("date," + "a/" + "b" * 200_000 + "\n2024-01-01,5\n", encoding="utf-8")
    with pytest.raises(HistoryError) as caught:
        read_history(path)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 400


def test_a_field_past_the_limit_is_one_line_in_every_csv_reader(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(user_files, "FIELD_LIMIT", 1000)
    cell = "x" * 1001
    files = {
        "history": (f"date,count,delta\n2024/01/01,{cell},0\n", read_history, HistoryError),
        "codebook": (f"question,code,label\nQ1,1,{cell}\n", read_codebook, ParseProblem),
        "targets": (f"answer,target\n{cell},1\n", read_targets, InvalidInput),
        "survey": (
            f"Respondent ID,Region\n1,{cell}\n2,Asia\n",
            lambda p: load_survey(p, cache_dir=tmp_path / "c"),
            SurveyError,
        ),
    }
    for name, (text, call, error_type) in files.items():
        path = tmp_path / f"library_{name}.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(error_type, match="longer than 1,000 characters"):
            call(path)


def test_a_fifo_as_db_is_one_line_from_the_command(tmp_path: Path) -> None:
    pipe = _fifo(tmp_path)
    result = run_module("analysis", "snapshots", "--db", str(pipe), env={"ADOPTION_CACHE_DIR": str(tmp_path / "c")})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error:") and "FIFO" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_fifo_as_a_survey_is_one_line_from_the_command(tmp_path: Path) -> None:
    pipe = _fifo(tmp_path)
    result = run_module("analysis", "questions", str(pipe), env={"ADOPTION_CACHE_DIR": str(tmp_path / "c")})
    assert result.returncode == 2, result.stderr
    assert "FIFO" in result.stderr and "Traceback" not in result.stderr
