"""Each command imports only its own module: a survey command does not load the pull analytics, nor the reverse."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.toolkit import build_parser

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
sys.argv = [sys.argv[1], *sys.argv[2:]]
package = sys.argv[0]
main = __import__(package + ".__main__", fromlist=["main"]).main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(package: str, *argv: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, package, *argv], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("package", ["analysis", "collectors"])
def test_the_command_map_names_every_registered_command(package: str) -> None:
    module = __import__(f"{package}.__main__", fromlist=["COMMANDS", "MODULES"])
    for name in module.MODULES:
        parser = build_parser("x", "x", [name])
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert {command: name for command in subparsers.choices} == {
            command: owner for command, owner in module.COMMANDS.items() if owner == name
        }


def test_a_survey_command_loads_no_pull_analytics_nor_database() -> None:
    loaded = _loaded("analysis", "questions", "--help")
    assert "cli.analysis.surveys" in loaded
    assert not {"cli.analysis.pulls", "cli.analysis.snapshots", "sqlalchemy", "scipy"} & loaded


def test_a_pull_command_loads_no_survey_reader() -> None:
    loaded = _loaded("analysis", "rank", "--help")
    assert "cli.analysis.pulls" in loaded
    assert not {"cli.analysis.surveys", "collectors.surveys.loader", "charset_normalizer", "scipy"} & loaded


def test_help_without_a_command_still_lists_every_command() -> None:
    result = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, cwd=ROOT)
    for command in ("snapshots", "rank", "questions", "trend"):
        assert command in result.stdout


def test_a_utf8_survey_is_read_without_the_encoding_detector(tmp_path: Path) -> None:
    survey = ROOT / "tests" / "surveys" / "fixtures" / "long_devex.csv"
    env_cache = f"import os; os.environ['ADOPTION_CACHE_DIR'] = {str(tmp_path)!r}\n"
    loaded = subprocess.run(
        [sys.executable, "-c", env_cache + PROBE, "analysis", "questions", str(survey)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    modules = set(json.loads(loaded.stdout.strip().splitlines()[-1]))
    assert "collectors.surveys.loader" in modules
    assert "charset_normalizer" not in modules


HUGEPAGE_PROBE = """
import runpy, sys
sys.argv = ["analysis", "questions", "--help"]
try:
    runpy.run_module("analysis", run_name="__main__")
except SystemExit:
    pass
import numpy
print("hugepage advice", numpy._core.multiarray._get_madvise_hugepage())
"""


@pytest.mark.parametrize(("chosen", "advised"), [(None, False), ("1", True), ("0", False)])
def test_a_command_asks_numpy_for_no_huge_pages_unless_the_user_chose(chosen: str | None, advised: bool) -> None:
    env = {key: value for key, value in os.environ.items() if key != "NUMPY_MADVISE_HUGEPAGE"}
    if chosen is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = chosen
    done = subprocess.run(
        [sys.executable, "-c", HUGEPAGE_PROBE], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == f"hugepage advice {advised}"
