"""Hostile history files for import-history (issue 14, item 13), on SQLite and on PostgreSQL.

import-history refuses exactly what the collector refuses (one check, collectors.snapshot_check), and dates
before Docker Hub's start or after tomorrow: one line naming the file, the line and the value,
exit 2, and nothing written, not even the good files named with the bad one.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from collectors.__main__ import main
from collectors.dockerhub.api import DockerHubError, to_record
from collectors.history.read import HistoryError, read_history
from store import open_store
from store.sql.schema import imported_files, snapshots
from tests.hostile.hub_servers import answer

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.now(UTC)
IN_THREE_DAYS = (TODAY + timedelta(days=3)).strftime("%Y/%m/%d")
TOMORROW = (TODAY + timedelta(days=1)).strftime("%Y/%m/%d")
GOOD = "Date,Count,Delta\n2024/01/01,10,0\n"
OUT_OF_RANGE = "pull_count {} is outside 0..1000000000000000"

BAD_ROWS = [
    ("2024/01/02,-5,0", OUT_OF_RANGE.format(-5)),
    ("2024/01/02,100000000000000000000,0", OUT_OF_RANGE.format(10**20)),
    ("2024/01/02,1000000000000001,0", OUT_OF_RANGE.format(10**15 + 1)),
    ("2024/01/02,1e20,0", "pull count '1e20' is not a whole number"),
    ("2024/01/02,1_000,0", "pull count '1_000' is not a whole number"),
    ("2024/01/02,\u0661\u0662,0", "pull count '\\u0661\\u0662' is not a whole number"),
    ("2024/01/02," + "9" * 5000 + ",0", "is not a whole number"),
    ("0001/01/01,5,0", "date 0001-01-01 is outside 2013-01-01.."),
    ("9999/12/31,5,0", "date 9999-12-31 is outside 2013-01-01.."),
    ("2012/12/31,5,0", "date 2012-12-31 is outside 2013-01-01.."),
    (f"{IN_THREE_DAYS},5,0", f"date {IN_THREE_DAYS.replace('/', '-')} is outside 2013-01-01.."),
]


@pytest.fixture(autouse=True)
def no_store_from_the_environment(monkeypatch):
    """Keep the caller's store settings out of the tests."""
    for name in ("ADOPTION_DB_URL", "ADOPTION_DB"):
        monkeypatch.delenv(name, raising=False)


def stored(db_url: str) -> tuple[int, int]:
    """Return (snapshots, imported files) the store holds."""
    engine = open_store(db_url)
    try:
        with engine.engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(snapshots)).scalar_one()
            files = connection.execute(select(func.count()).select_from(imported_files)).scalar_one()
    finally:
        engine.close()
    return count, files


def import_history(db_url: str, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import-history", *args, "--db", db_url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_value_is_one_line_naming_file_line_and_value_and_nothing_is_written(
    db_url, tmp_path, capsys, row, message
):
    path = tmp_path / "acme_app.csv"
    path.write_text(GOOD + row + "\n2024/01/03,12,2\n")
    code, out, err = import_history(db_url, capsys, str(path))
    assert code == 2
    assert err.startswith(f"error: {path}: line 3: ") and message in err
    assert err.count("\n") == 1 and len(err) < 300
    assert out == ""
    assert stored(db_url) == (0, 0)


def test_a_bad_file_among_good_ones_imports_none_of_them(db_url, tmp_path, capsys):
    good, bad = tmp_path / "acme_good.csv", tmp_path / "acme_bad.csv"
    good.write_text(GOOD)
    bad.write_text(GOOD + "9999/12/31,5,0\n")
    code, _, err = import_history(db_url, capsys, str(good), str(bad))
    assert code == 2 and f"{bad}: line 3: date 9999-12-31" in err
    assert stored(db_url) == (0, 0)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("date,acme/app,evil/<img src=x>", "line 1: image 'evil/<img src=x>': not a Docker Hub name"),
        ("date,acme/app,../etc/passwd", "line 1: image '../etc/passwd': not an image name"),
        ("date,acme/app,acme/" + "n" * 300, "more than 255"),
        ("date,acme/app,acme/\x1b[2Jx", "line 1: image 'acme/\\x1b[2Jx': not a Docker Hub name"),
    ],
)
def test_a_wide_file_with_a_bad_image_column_is_refused(db_url, tmp_path, capsys, header, message):
    path = tmp_path / "stats.csv"
    path.write_text(f"{header}\n2024-01-01,1,2\n")
    code, _, err = import_history(db_url, capsys, str(path))
    assert code == 2 and message in err and "\x1b" not in err
    assert stored(db_url) == (0, 0)


def test_values_at_the_limits_are_imported(db_url, tmp_path, capsys):
    path = tmp_path / "acme_app.csv"
    path.write_text(f"Date,Count,Delta\n2013/01/01,0,0\n2024/01/01,1000000000000000,0\n{TOMORROW},7,0\n")
    code, out, err = import_history(db_url, capsys, str(path))
    assert (code, err) == (0, "")
    assert "3 snapshots read, 3 added" in out
    assert stored(db_url) == (3, 1)


def test_a_huge_count_in_a_real_process_gives_no_traceback(tmp_path):
    path = tmp_path / "acme_app.csv"
    path.write_text(GOOD + "2024/01/02,100000000000000000000,0\n")
    result = subprocess.run(
        [sys.executable, "-m", "collectors", "import-history", str(path), "--db", str(tmp_path / "store.db")],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == f"error: {path}: line 3: {OUT_OF_RANGE.format(10**20)}\n"


def _import_accepts(tmp_path: Path, moment: datetime, count: int) -> bool:
    path = tmp_path / "acme_app.csv"
    path.write_text(f"Date,Count,Delta\n{moment:%Y/%m/%d},{count},0\n")
    try:
        read_history(path)
    except HistoryError:
        return False
    return True


def _collector_accepts(moment: datetime, count: int) -> bool:
    try:
        to_record(answer("acme", "app", count), moment)
    except DockerHubError:
        return False
    return True


@pytest.mark.parametrize("count", [-1, 0, 12_981_954_060, 10**15, 10**15 + 1, 2**63 - 1, 10**20])
@pytest.mark.parametrize(
    "moment",
    [datetime(2012, 12, 31, tzinfo=UTC), datetime(2013, 1, 1, tzinfo=UTC), TODAY, TODAY + timedelta(days=2)],
    ids=["2012-12-31", "2013-01-01", "today", "after-tomorrow"],
)
def test_the_collector_and_the_import_accept_and_refuse_the_same_values(tmp_path, moment, count):
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    assert _import_accepts(tmp_path, day, count) == _collector_accepts(day, count)
