"""`python -m analysis snapshots` flags the counters' known faults, the same snapshots `pulls --anomalies` flags."""

from __future__ import annotations

import json

from analysis.__main__ import main as analysis_main
from store import open_store

DAY = 86_400
T0 = 1_577_836_800  # 2020-01-01
CAP = 2_147_483_647
# One image per fault: stuck at the int32 cap, a reset (a count below an earlier one), a stall (flat, then catch-up).
SERIES = {
    "capped": [2_000_000_000, 2_100_000_000, CAP, CAP, 2_200_000_000],
    "reset": [1_000, 2_000, 3_000, 500, 4_000],
    "stalled": [1_000, 2_000, 2_000, 2_000, 5_000],
}


def test_snapshots_and_anomalies_flag_the_same_faults(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = open_store(url)
    store.save_snapshots(
        [
            {"namespace": "acme", "name": name, "observed_at": T0 + day * DAY, "pull_count": count}
            for name, counts in SERIES.items()
            for day, count in enumerate(counts)
        ]
    )
    store.close()
    assert analysis_main(["snapshots", "--db", url, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    flagged = sorted((row["name"], row["observed_at"][:10], row["flag"]) for row in rows if row["flag"])
    assert flagged == [
        ("capped", "2020-01-03", "cap"),
        ("capped", "2020-01-04", "cap"),
        ("reset", "2020-01-04", "decrease"),
        ("stalled", "2020-01-03", "stall"),
        ("stalled", "2020-01-04", "stall"),
    ]
    assert analysis_main(["pulls", "--db", url, "--anomalies", "--format", "json"]) == 0
    anomalies = json.loads(capsys.readouterr().out)
    marked = sorted(
        (row["image"].split("/")[1], row["day"][:10], flag)
        for row in anomalies
        for flag in row["flag"].split(";")
        if flag in ("cap", "decrease", "stall")
    )
    assert marked == flagged
