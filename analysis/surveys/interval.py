"""The two small rules every survey figure shares: the 95% Wilson interval, and how answer wordings are matched.

Kept apart from shares.py so that counts.py (published tables) and shares.py (respondents) use the same ones.
"""

from __future__ import annotations

import numpy as np

# The 0.975 quantile of the standard normal (scipy.stats.norm.ppf(0.975); a test checks it against scipy).
Z_95 = 1.959963984540054


def wilson_interval(share: np.ndarray | float, n: np.ndarray | float, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Return the Wilson score interval (low, high) for a share observed on n respondents (NaN where n is 0)."""
    share = np.asarray(share, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z2n = np.where(n > 0, z * z / n, np.nan)
        centre = (share + z2n / 2) / (1 + z2n)
        half = z * np.sqrt(share * (1 - share) / n + z2n / (4 * n)) / (1 + z2n)
    low = np.clip(centre - half, 0.0, 1.0)
    high = np.clip(centre + half, 0.0, 1.0)
    # Floating error can leave a bound a hair inside the share at 0 or 1.
    return np.minimum(low, share), np.maximum(high, share)


def fold_answer(text: str) -> str:
    """Return the form answers are matched on: case-insensitive, runs of (no-break) spaces as one space."""
    return " ".join(str(text).replace("\xa0", " ").split()).casefold()
