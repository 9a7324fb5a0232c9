"""The pull counters' known faults, read the same way for a pull history and for catalog snapshots.

Docker Hub's counters have failed in three ways: stuck at the int32 cap 2,147,483,647 (nginx, redis
and traefik until early 2021), going down (a reset), and stalling (flat for days, then catching up).
`analysis.pulls` sets such observations aside; `analysis.catalog` counts them per snapshot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from store.timeutil import SECONDS_PER_DAY
from store.values import CAP_PULL_COUNT

STALL_DAYS = 2
STALL_MIN_EXPECTED = 5


def epoch_seconds(moments: pd.Series) -> np.ndarray:
    """Return `moments` (epoch seconds, or datetimes taken as UTC) as int64 epoch seconds."""
    if pd.api.types.is_datetime64_any_dtype(moments):
        as_utc = moments.dt.tz_localize("UTC") if moments.dt.tz is None else moments.dt.tz_convert("UTC")
        return as_utc.dt.as_unit("s").astype("int64").to_numpy()
    return moments.astype("int64").to_numpy()


def stale_points(days: np.ndarray, counts: np.ndarray, stall_days: int) -> np.ndarray:
    """Mark daily points of a stall: a flat run the image's usual rate makes implausible, then a catch-up.

    A run of `stall_days` or more flat days is a stall when the image's median daily pulls would
    have added at least STALL_MIN_EXPECTED pulls over it, and the next increase makes up at
    least half of what the usual rate would have added over the run and that day. A quiet spell
    of a rarely pulled image, or a flat run still going on, is left as it is.
    """
    stale = np.zeros(days.size, dtype=bool)
    if days.size < 3 or stall_days < 1:
        return stale
    deltas = np.diff(counts)
    rate = float(np.median(deltas / np.diff(days)))
    if rate <= 0:
        return stale
    flat = np.r_[False, deltas == 0, False].astype(np.int8)
    edges = np.flatnonzero(np.diff(flat))
    # A run covers points start+1 .. end (point k holds deltas[k - 1]); point end+1 ends it.
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if end + 1 >= days.size:
            continue
        flat_days = days[end] - days[start]
        catch_up_days = days[end + 1] - days[start]
        if (
            flat_days >= stall_days
            and rate * flat_days >= STALL_MIN_EXPECTED
            and deltas[end] >= 0.5 * rate * catch_up_days
        ):
            stale[start + 1 : end + 1] = True
    return stale


def valid_observations(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (capped, decreased) masks: the cap value, and counts below an earlier good count."""
    capped = counts == CAP_PULL_COUNT
    floor = np.iinfo(np.int64).min
    running = np.maximum.accumulate(np.where(capped, floor, counts))
    previous = np.r_[floor, running[:-1]]
    return capped, ~capped & (counts < previous)


def observation_faults(seconds: np.ndarray, counts: np.ndarray, stall_days: int = STALL_DAYS) -> np.ndarray:
    """Return each observation's fault, as the daily series flags it: "cap", "decrease", "stall" or "".

    `seconds` (epoch seconds, ascending) and `counts` are one image's observations. The same masks as
    `daily_pulls` uses: the int32 cap value, a count below an earlier good one (a reset), and a flat run
    the image's usual rate makes implausible (the last observation of each stalled day).
    """
    seconds, counts = np.asarray(seconds, dtype=np.int64), np.asarray(counts, dtype=np.int64)
    faults = np.full(counts.size, "", dtype=object)
    if counts.size == 0:
        return faults
    capped, decreased = valid_observations(counts)
    faults[capped], faults[decreased] = "cap", "decrease"
    good = np.flatnonzero(~capped & ~decreased)
    if good.size == 0:
        return faults
    days = seconds[good] // SECONDS_PER_DAY
    last = np.r_[days[1:] != days[:-1], True]
    stale = stale_points(days[last], counts[good][last], stall_days)
    faults[good[last][stale]] = "stall"
    return faults
