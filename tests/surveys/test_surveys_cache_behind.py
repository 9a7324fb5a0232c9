"""Cache entries written behind a command's work: whole once finished, never half written, failures said once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from analysis.__main__ import main
from collectors.surveys import load_survey
from collectors.surveys.cache import STALE_SECONDS, CacheWrites
from tests.surveys.survey_helpers import CNCF, FIXTURES, ROOT, STACKOVERFLOW

SO_FILE = STACKOVERFLOW / "survey_results_public.csv"


def _same_survey(first, second) -> None:
    assert second.meta == first.meta
    assert second.questions == first.questions
    assert second.report == first.report
    assert second.responses.astype(str).equals(first.responses.astype(str))


def test_a_write_behind_is_whole_once_finished(parse_calls, private_cache):
    writes = CacheWrites()
    first = load_survey(CNCF / "CNCF_WASM_Micro-Survey.csv", writes=writes)
    assert writes.finish() == []
    assert len(list(private_cache.glob("*.arrow"))) == 1
    assert not list(private_cache.glob(".*"))  # no temporary file left behind
    _same_survey(first, load_survey(CNCF / "CNCF_WASM_Micro-Survey.csv"))
    assert len(parse_calls) == 1


def test_a_failed_write_behind_is_said_by_finish(tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    writes = CacheWrites()
    survey = load_survey(FIXTURES / "long_devex.csv", cache_dir=not_a_folder, writes=writes)
    (problem,) = writes.finish()
    assert problem.startswith("long_devex.csv: not cached (")
    assert problem.endswith("the next load parses the file again")
    assert survey.meta.respondents == 5
    assert writes.finish() == []  # said once


def test_questions_answers_the_same_cold_and_warm(parse_calls, private_cache, capsys):
    assert main(["questions", str(SO_FILE)]) == 0
    cold = capsys.readouterr()
    assert len(list(private_cache.glob("*.arrow"))) == 1  # written before the command returned
    assert main(["questions", str(SO_FILE)]) == 0
    warm = capsys.readouterr()
    assert len(parse_calls) == 1
    assert warm.out == cold.out
    assert warm.err == cold.err
    assert "MainBranch" in cold.out


def test_a_cache_that_cannot_be_written_is_one_warning_after_the_answer(monkeypatch, tmp_path, capsys):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    monkeypatch.setenv("ADOPTION_CACHE_DIR", str(not_a_folder))
    assert main(["questions", str(FIXTURES / "long_devex.csv")]) == 0
    output = capsys.readouterr()
    assert output.err.count("not cached") == 1
    assert "warning: long_devex.csv: not cached (" in output.err
    assert output.out.strip()


KILLED_MID_WRITE = textwrap.dedent(
    """
    import os, signal, sys
    from collectors.surveys import cache, load_survey

    real = cache.feather.write_feather

    def dying(table, path, **options):
        real(table, path, **options)
        with open(path, "rb") as handle:
            data = handle.read()
        with open(path, "wb") as handle:
            handle.write(data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)

    cache.feather.write_feather = dying
    writes = cache.CacheWrites()
    load_survey(sys.argv[1], cache_dir=sys.argv[2], writes=writes)
    writes.finish()
    """
)


def test_a_process_killed_mid_write_leaves_no_cache_entry(parse_calls, tmp_path):
    folder = tmp_path / "cache"
    done = subprocess.run(
        [sys.executable, "-c", KILLED_MID_WRITE, str(FIXTURES / "long_devex.csv"), str(folder)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == -signal.SIGKILL
    assert not list(folder.glob("*.arrow"))
    (half,) = folder.glob(".*.tmp")  # the killed write's own file, never renamed into place
    survey = load_survey(FIXTURES / "long_devex.csv", cache_dir=folder)
    assert len(parse_calls) == 1  # parsed again: nothing half written was read
    assert survey.meta.respondents == 5
    assert half.exists()  # a recent temporary file may be a live write's: kept
    old = time.time() - STALE_SECONDS - 60
    os.utime(half, (old, old))
    load_survey(FIXTURES / "wide_platform_poll.csv", cache_dir=folder)
    assert not half.exists()
    assert len(list(folder.glob("*.arrow"))) == 2
