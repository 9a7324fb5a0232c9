"""Anomalies in a daily pull series: the flags worth a person's attention, one row per flagged day."""

from __future__ import annotations

import pandas as pd

from analysis.pulls_load import image_labels

# Flags drawn as markers and listed as anomalies (baseline, joined and partial are bookkeeping).
ANOMALY_FLAGS = ("gap", "failed_poll", "cap", "decrease", "stall", "catch_up")


def anomaly_text(flag: object) -> str:
    """Return the anomaly flags in a day's flag text (`;`-separated), bookkeeping flags left out."""
    parts = str(flag).split(";") if isinstance(flag, str) else []
    return ";".join(part for part in parts if part in ANOMALY_FLAGS)


def anomalies(daily: pd.DataFrame) -> pd.DataFrame:
    """Every day with an anomaly: image, day, what was flagged and the count observed that day."""
    flags = pd.Series([anomaly_text(flag) for flag in daily["flag"]], index=daily.index, dtype=object)
    flagged = daily[flags != ""]
    return pd.DataFrame(
        {
            "image": image_labels(flagged),
            "day": flagged["period"].dt.date.astype(str).to_numpy(),
            "flag": flags[flags != ""].to_numpy(),
            "observed_count": flagged["observed_count"].to_numpy(),
        }
    )
