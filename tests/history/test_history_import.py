"""import-history on the real tracker files and on hand-made ones, against a real SQLite store."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from collectors.__main__ import main as collectors_main
from collectors.bundled import bundled_history_files, ensure_bundled_history
from store import open_store
from store.sql.schema import snapshots

ROOT = Path(__file__).resolve().parents[2]
SCRAPER = ROOT / "data" / "pull_history" / "issif_docker-pulls-scraper"
WIDE = ROOT / "data" / "pull_history" / "sunny0826_docker-pulls-statistics" / "stats.csv"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


def _count(db: str) -> int:
    with open_store(f"sqlite:///{db}").engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(snapshots)).scalar_one()


def _last_row_per_date(path: Path) -> dict[str, int]:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["Date"]: int(row["Count"]) for row in rows}


def test_scraper_file_imports_every_distinct_date_keeping_the_last_row(db: str) -> None:
    path = SCRAPER / "falcosecurity_falcosidekick.csv"
    expected = _last_row_per_date(path)
    assert collectors_main(["import-history", str(path), "--db", db]) == 0
    frame = open_store(f"sqlite:///{db}").read_snapshots(["falcosecurity/falcosidekick"])
    assert len(frame) == len(expected) == 2516
    stored = dict(zip(frame["observed_at"].dt.strftime("%Y/%m/%d"), frame["pull_count"], strict=True))
    assert stored == expected
    assert stored["2026/08/08"] == 34_687_587


def test_importing_twice_adds_nothing(db: str, capsys: pytest.CaptureFixture) -> None:
    path = SCRAPER / "falcosecurity_falco.csv"
    assert collectors_main(["import-history", str(path), "--db", db]) == 0
    first = open_store(f"sqlite:///{db}").read_snapshots()
    assert collectors_main(["import-history", str(path), "--db", db]) == 0
    assert "0 added (1240 already stored)" in capsys.readouterr().out
    second = open_store(f"sqlite:///{db}").read_snapshots()
    assert first.equals(second)
    assert len(second) == 1240


def test_wide_file_columns_become_images_and_repeated_dates_keep_last(db: str) -> None:
    assert collectors_main(["import-history", str(WIDE), "--image", "kwdb/kwdb", "--db", db]) == 0
    with WIDE.open(newline="") as handle:
        expected = {row["date"]: int(row["kwdb/kwdb"]) for row in csv.DictReader(handle) if row["date"]}
    frame = open_store(f"sqlite:///{db}").read_snapshots()
    assert set(frame["name"]) == {"kwdb"}
    stored = dict(zip(frame["observed_at"].dt.strftime("%Y-%m-%d"), frame["pull_count"], strict=True))
    assert stored == expected


def test_image_flag_names_a_one_image_file(db: str, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Date,Count,Delta\n2024/01/01,10,0\n2024/01/02,15,5\n2024/01/02,17,7\n")
    assert collectors_main(["import-history", str(path), "--image", "nginx", "--db", db]) == 0
    frame = open_store(f"sqlite:///{db}").read_snapshots()
    assert frame[["namespace", "name"]].drop_duplicates().values.tolist() == [["library", "nginx"]]
    assert frame["pull_count"].tolist() == [10, 17]
    assert frame["observed_at"].dt.strftime("%Y-%m-%dT%H:%M:%S").tolist() == [
        "2024-01-01T00:00:00",
        "2024-01-02T00:00:00",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("hello,world\n1,2\n", "not a pull history"),
        ("Date,Count,Delta\n2024/13/45,10,0\n", "is not a date"),
        ("Date,Count,Delta\n2024/01/01,ten,0\n", "is not a whole number"),
    ],
)
def test_bad_files_give_one_line_and_exit_2_and_add_nothing(
    db: str, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "acme_app.csv"
    path.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "collectors", "import-history", str(path), "--db", db],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert _count(db) == 0


def test_a_bad_row_late_in_a_file_leaves_no_half_import(db: str, tmp_path: Path) -> None:
    path = tmp_path / "acme_app.csv"
    path.write_text("Date,Count,Delta\n2024/01/01,10,0\n2024/01/02,11,1\n2024/01/03,oops,0\n")
    assert collectors_main(["import-history", str(path), "--db", db]) == 2
    assert _count(db) == 0


def test_aggregate_files_are_refused(db: str) -> None:
    assert collectors_main(["import-history", str(SCRAPER / "SUM_falco.csv"), "--db", db]) == 2


def test_bundled_history_is_imported_once(db: str) -> None:
    engine = open_store(f"sqlite:///{db}")
    files = bundled_history_files()
    assert files and not any(path.name.startswith("SUM_") for path in files)
    added = ensure_bundled_history(engine)
    assert added == _count(db) > 18_000
    assert ensure_bundled_history(engine) == 0
    images = engine.read_snapshots()[["namespace", "name"]].drop_duplicates()
    assert ("kwdb", "release") not in set(map(tuple, images.values.tolist()))
    assert ("falcosecurity", "falco") in set(map(tuple, images.values.tolist()))


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["import-history", "--help"], ["dockerhub", "--help"]],
)
def test_collectors_help(argv: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "collectors", *argv], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert "usage:" in result.stdout and len(result.stdout) > 200


def test_snapshots_command_formats(db: str) -> None:
    collectors_main(["import-history", str(SCRAPER / "issif_tcpdump.csv"), "--db", db])
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "snapshots", "--db", db, "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout.splitlines()
    assert out[0] == "namespace,name,observed_at,pull_count,star_count,flag"
    assert out[1] == "issif,tcpdump,2025-01-23T00:00:00Z,19,,"
    assert len(out) == 1 + 563
    help_text = subprocess.run(
        [sys.executable, "-m", "analysis", "snapshots", "--help"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    assert "--format" in help_text and "--image" in help_text


def test_only_the_default_store_is_seeded_for_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import collectors.bundled as seed
    import settings

    named = seed.open_store_with_bundled_history(str(tmp_path / "mine.db"))
    assert named.read_snapshots().empty
    monkeypatch.setattr(settings, "DEFAULT_DB_PATH", tmp_path / "adoption.db")
    monkeypatch.delenv("ADOPTION_DB", raising=False)
    monkeypatch.delenv("ADOPTION_DB_URL", raising=False)
    default = seed.open_store_with_bundled_history(str(tmp_path / "adoption.db"))
    assert len(default.read_snapshots()) > 18_000
