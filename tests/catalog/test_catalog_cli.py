"""`python -m analysis catalog ...` on a store seeded as a fresh machine's is: figures, formats, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from analysis.__main__ import main as analysis_main
from collectors.bundled import ensure_bundled_history
from settings import CLAIMS_FILE
from store import open_store


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("seeded") / "adoption.db"
    engine = open_store(f"sqlite:///{path}")
    ensure_bundled_history(engine)
    engine.close()
    return str(path)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = analysis_main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_threshold_names_count_base_date_and_how_many_are_bounds(seeded, capsys) -> None:
    code, out, _ = _run(capsys, "catalog", "threshold", "--pulls", "10M", "--db", seeded, "--format", "json")
    assert code == 0
    [row] = json.loads(out)
    assert (row["images"], row["bounds"], row["exact"], row["base"]) == (411, 411, 0, 2251)
    assert row["observed"] == "2024-08-17..2024-08-20" and "imrealq/4fun-dockerhub" in row["source"]


def test_every_view_prints_csv_with_its_snapshot(seeded, capsys) -> None:
    for view in ("distribution", "concentration", "by-source", "total", "over-time", "claims"):
        code, out, err = _run(capsys, "catalog", view, "--db", seeded, "--format", "csv")
        assert code == 0, (view, err)
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all(row["snapshot_id"] == "1" for row in rows), view


def test_total_of_the_official_images_says_at_least(seeded, capsys) -> None:
    code, out, _ = _run(capsys, "catalog", "total", "--db", seeded, "--format", "json")
    [row] = json.loads(out)
    assert row["images"] == 130 and row["total_exact"] is False and row["reads"].startswith("at least ")


def test_claims_are_each_beside_a_measured_figure_with_what_differs(seeded, capsys) -> None:
    code, out, _ = _run(capsys, "catalog", "claims", "--db", seeded, "--format", "json")
    rows = json.loads(out)
    with CLAIMS_FILE.open(encoding="utf-8") as handle:
        register = list(csv.DictReader(handle))
    assert [row["claim_id"] for row in rows] == [row["claim_id"] for row in register]
    assert all(row["words"] and row["verified"] and row["measured"] and row["difference"] for row in rows)
    seed = next(row for row in rows if row["claim_id"] == "seed-10m-images")
    assert seed["measured"] == "411 images at 10M+ pulls" and seed["verified"].startswith("unverified here")
    assert all(row["url"].startswith("http") for row in rows if not row["verified"].startswith("unverified here"))


@pytest.mark.parametrize(
    "args",
    [
        ("catalog", "threshold", "--pulls", "lots"),
        ("catalog", "threshold", "--snapshot", "99"),
        ("catalog", "concentration", "--top", "0"),
    ],
)
def test_bad_questions_are_one_line_and_exit_2(seeded, capsys, args) -> None:
    code, out, err = _run(capsys, *args, "--db", seeded)
    assert code == 2 and not out and err.count("\n") == 1 and err.startswith("error: ")


def test_an_empty_store_says_how_to_get_a_snapshot(tmp_path, capsys) -> None:
    code, _, err = _run(capsys, "catalog", "threshold", "--db", str(tmp_path / "empty.db"))
    assert code == 2 and "python -m collectors dockerhub-catalog" in err
