"""Stale pull data is said to be stale, and a milestone is never projected to a day already past."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.pulls.freshness import STALE_AFTER_DAYS, age_note, as_of_words, data_age_days, is_stale
from analysis.pulls.milestones import milestone_path, milestones
from analysis.pulls.periods import daily_pulls
from collectors.bundled import ensure_bundled_history
from store import open_store
from tests.pulls.test_pulls_growth import steady

ROOT = Path(__file__).resolve().parents[2]


def test_the_age_of_the_bundled_data_on_the_day_of_the_report() -> None:
    assert data_age_days("2026-08-08", "2026-12-03") == 117
    assert age_note("2026-08-08", "2026-12-03") == "data as of 2026-08-08, 117 days old"
    assert as_of_words("2026-08-08", "2026-12-03") == "2026-08-08, 117 days old"
    assert as_of_words("2026-08-08", "2026-08-10") == "2026-08-08"  # two days: a missed run, not stale
    assert age_note("2026-08-08", pd.Timestamp("2026-08-12T23:00", tz="UTC")) == "data as of 2026-08-08, 4 days old"
    assert (age_note(None, "2026-12-03"), as_of_words("-", "2026-12-03")) == ("", "-")


@given(st.dates(), st.integers(min_value=0, max_value=5000))
def test_stale_exactly_past_the_threshold(day, age: int) -> None:
    today = pd.Timestamp(day) + pd.Timedelta(days=age)
    assert data_age_days(pd.Timestamp(day), today) == age
    assert is_stale(pd.Timestamp(day), today) == (age > STALE_AFTER_DAYS)
    assert bool(age_note(pd.Timestamp(day), today)) == (age > STALE_AFTER_DAYS)


def test_a_projected_date_before_today_is_withheld_and_said_in_words() -> None:
    counts = [1000 + 100 * day for day in range(100)]  # 100 a day to 10,900 on 2024-04-09
    daily = daily_pulls(steady("a/b", "2024-01-01", counts))
    fresh = milestones(daily, 12_000, today=pd.Timestamp("2024-04-10")).iloc[0]
    assert fresh["expected"] == pd.Timestamp("2024-04-20") and fresh["past_by_today"] == ""
    assert fresh["data_age_days"] == 1
    stale = milestones(daily, 12_000, today=pd.Timestamp("2024-08-01")).iloc[0]
    assert pd.isna(stale["expected"]) and pd.isna(stale["earliest"]) and pd.isna(stale["latest"])
    assert stale["past_by_today"] == "earliest;expected;latest" and stale["data_age_days"] == 114
    # Far enough ahead, stale data still projects: the date is after today (and the age is said elsewhere).
    ahead = milestones(daily, 30_000, today=pd.Timestamp("2024-08-01")).iloc[0]
    assert ahead["expected"] == pd.Timestamp("2024-10-17")  # 19,100 to go at 100 a day and ahead["past_by_today"] == ""
    summary, _ = milestone_path(daily, 12_000, today=pd.Timestamp("2024-08-01"))
    assert set(summary["date_reached"]) == {
        "not projected (the date would already be past; data as of 2024-04-09, 114 days old)"
    }
    assert not summary["date_reached"].str.contains("2024-04-20").any()
    # Without today, as before: the date from the trend.
    assert milestones(daily, 12_000).iloc[0]["expected"] == pd.Timestamp("2024-04-20")


def _milestone_cli(*extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "analysis", "milestone", "--image", "falcosecurity/falco", "--format", "csv"]
    return subprocess.run([*command, *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the bundled histories (falco's ends on 2026-08-08)."""
    path = tmp_path_factory.mktemp("freshness") / "adoption.db"
    store = open_store(f"sqlite:///{path}")
    ensure_bundled_history(store)
    store.close()
    return str(path)


def test_the_milestone_command_never_prints_a_past_date(bundled_db: str) -> None:
    stale = _milestone_cli("--target", "80000000", "--today", "2026-12-03", "--db", bundled_db)
    assert stale.returncode == 0, stale.stderr
    row = stale.stdout.splitlines()[1].split(",")
    header = stale.stdout.splitlines()[0].split(",")
    fields = dict(zip(header, row, strict=True))
    assert (fields["expected"], fields["earliest"], fields["latest"]) == ("", "", "")
    assert (fields["data_age_days"], fields["past_by_today"]) == ("117", "earliest;expected;latest")
    assert "data as of 2026-08-08, 117 days old; not projected (already past today)" in stale.stderr
    fresh = _milestone_cli("--target", "80000000", "--today", "2026-08-09", "--db", bundled_db)
    fields = dict(zip(fresh.stdout.splitlines()[0].split(","), fresh.stdout.splitlines()[1].split(","), strict=True))
    assert fields["expected"] == "2026-10-05" and fresh.stderr == ""
