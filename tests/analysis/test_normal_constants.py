"""The normal quantile and p-value analysis writes out by hand agree with scipy (a test-only dependency)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from analysis.surveys.shares import Z_95
from analysis.surveys.trend import normal_two_sided_p


def test_z_95_is_the_normal_quantile() -> None:
    assert pytest.approx(norm.ppf(0.975), abs=1e-15) == Z_95


def test_two_sided_p_matches_scipy() -> None:
    z = np.array([-5.0, -1.96, 0.0, 0.5, 1.0, 2.5758, 8.0, np.nan])
    expected = 2 * norm.sf(np.abs(z))
    np.testing.assert_allclose(normal_two_sided_p(z), expected, rtol=1e-12, equal_nan=True)


def test_analysis_imports_no_scipy() -> None:
    import subprocess
    import sys

    modules = "analysis.surveys.trend, analysis.surveys.crosstab, analysis.surveys.quote"
    code = f"import sys, {modules}; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
