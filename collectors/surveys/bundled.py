"""The survey exports bundled with the project (data/surveys/), ready for the dashboard."""

from __future__ import annotations

from pathlib import Path

SURVEYS_DIR = Path(__file__).resolve().parents[2] / "data" / "surveys"
CODEBOOKS_DIR = SURVEYS_DIR / "codebooks"
MAPPINGS_DIR = SURVEYS_DIR / "mappings"  # wording mappings across survey years, not surveys


def embedded_surveys() -> list[Path]:
    """Every bundled survey export and published workbook (schemas, codebooks and mappings excluded), sorted."""
    return sorted(
        path
        for path in [*SURVEYS_DIR.glob("*/*.csv"), *SURVEYS_DIR.glob("*/*.xlsx")]
        if "schema" not in path.name.lower()
        and path.parent not in (CODEBOOKS_DIR, MAPPINGS_DIR)
        and not path.stem.endswith("_codebook")
    )
