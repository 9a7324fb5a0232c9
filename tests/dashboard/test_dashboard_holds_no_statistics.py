"""The dashboard package holds no statistics: no Wilson interval, no folding of answers, no scipy."""

from __future__ import annotations

import re
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
STATISTICS = re.compile(r"\s*(def (wilson|fold|two_proportion|z_test|p_value)|(from|import) scipy)")


def test_no_statistics_are_defined_in_the_dashboard() -> None:
    defined = [
        f"{path.name}: {line.strip()}"
        for path in sorted(DASHBOARD.glob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if STATISTICS.match(line) or re.match(r"\s*(from|import) scipy", line)
    ]
    assert defined == []
