"""All the evidence about one technology, assembled once: what the page, the command and the deck all show.

`technology_evidence` is the one function; its `TechnologyEvidence` holds the survey share per wave,
pulls per week, growth, catalog floors, what is missing, and the sentence to quote. Survey waves and
pull histories cover different years: the sentence names each source with its own dates and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.catalog.stats import RangeSum, describe_sum, sum_range
from analysis.reproduce.pulls import command_line
from analysis.surveys.quote import percent
from analysis.surveys.shares import Breakdowns
from analysis.technology.pull_side import catalog_floors, image_growth, stored_images, weekly_pulls
from analysis.technology.recipes import Recipe
from analysis.technology.survey_side import survey_shares
from store.interface import Store
from survey_model.survey import Survey

PULLS_SOURCE = "Docker Hub pull counts (this tool's snapshot history)"


@dataclass(frozen=True)
class TechnologyEvidence:
    """The survey share per wave, pulls per week, growth and catalog floors of one technology, and its sentence."""

    technology: str
    label: str
    shares: pd.DataFrame  # analysis.technology.survey_side.SHARE_COLUMNS
    weeks: pd.DataFrame  # pull_side.WEEK_COLUMNS: the images added up, partial weeks marked
    growth: pd.DataFrame  # pull_side.GROWTH_COLUMNS: each image over 30 and 90 days
    catalog: pd.DataFrame  # pull_side.CATALOG_COLUMNS: bucketed counts kept as ranges
    catalog_total: RangeSum | None
    catalog_source: str
    images: list[str]  # the images whose history was read
    images_note: str
    missing: list[str] = field(default_factory=list)
    sentence: str = ""
    periods: str = ""  # the years each source covers, said apart

    def command(self, db: str | None = None, fmt: str = "table") -> str:
        """The command line that prints these figures again."""
        return command_line(["technology", self.technology], db, fmt)

    def pulls_as_of(self) -> str:
        """The last day of the pull history read ("" when none)."""
        if self.weeks.empty or self.growth.empty:
            return ""
        return str(self.growth["window_end"].max())


def technology_evidence(
    recipe: Recipe, surveys: Mapping[str, Survey], store: Store, breakdowns: Breakdowns | None = None
) -> TechnologyEvidence:
    """Every figure the recipe can answer from the loaded surveys and the store, and what it cannot."""
    shares, missing = survey_shares(recipe, surveys, breakdowns)
    pairs, pulls_missing = stored_images(recipe, store)
    weeks = weekly_pulls(store, pairs, f"{recipe.label} images")
    growth = image_growth(store, pairs)
    catalog, catalog_source, catalog_missing = catalog_floors(recipe, store)
    total = sum_range(catalog) if not catalog.empty else None
    evidence = TechnologyEvidence(
        technology=recipe.technology,
        label=recipe.label,
        shares=shares,
        weeks=weeks,
        growth=growth,
        catalog=catalog,
        catalog_total=total,
        catalog_source=catalog_source,
        images=[f"{namespace}/{name}" for namespace, name in pairs],
        images_note=recipe.images_note,
        missing=[*missing, *pulls_missing, *catalog_missing],
    )
    return _with_words(evidence)


def _with_words(evidence: TechnologyEvidence) -> TechnologyEvidence:
    return replace(evidence, sentence=quotable_sentence(evidence), periods=periods_words(evidence))


def _survey_clause(evidence: TechnologyEvidence) -> str:
    if evidence.shares.empty:
        return f"No loaded survey answers how many organizations use {evidence.label}"
    row = evidence.shares.iloc[-1]
    interval = f"95% CI {percent(row['ci_low'])}–{percent(row['ci_high'])}"
    return (
        f"In the {row['wave']} ({row['fielded']}), {percent(row['share'])} ({interval}) of the {row['base']:,} "
        f"respondents who answered said their organization uses {evidence.label} in production"
    )


def last_full_week(weeks: pd.DataFrame) -> pd.Series | None:
    """The newest week the history covers whole (a partial week is never quoted as a week)."""
    whole = weeks[~weeks["partial"].astype(bool) & weeks["pulls"].notna()]
    return whole.iloc[-1] if not whole.empty else None


def _leader(growth: pd.DataFrame) -> pd.Series | None:
    """The image with the most pulls over the last 90 days of its history, with its growth."""
    rows = growth[(growth["window"] == "90d") & growth["pulls"].notna()]
    return rows.sort_values("pulls", ascending=False, kind="stable").iloc[0] if not rows.empty else None


def _pulls_clause(evidence: TechnologyEvidence) -> str:
    week = last_full_week(evidence.weeks) if not evidence.weeks.empty else None
    if week is None:
        return _catalog_clause(evidence)
    day = pd.Timestamp(week["period"]).date().isoformat()
    count = len(evidence.images)
    images = f"its image {evidence.images[0]} was" if count == 1 else f"its {count} images were"
    text = f"{images} pulled {int(week['pulls']):,} times in the week of {day}"
    leader = _leader(evidence.growth)
    if leader is not None and pd.notna(leader["growth"]):
        sign = "+" if leader["growth"] >= 0 else "−"
        # A window the history covers only in part is named by its flag, never called 90 days.
        window = "over 90 days" if not leader["flag"] else f"over its window ({leader['flag']})"
        text += f" ({leader['image']}: {sign}{percent(abs(leader['growth']))} {window})"
    return f"{text} — {PULLS_SOURCE}, as of {evidence.pulls_as_of()}"


def _catalog_clause(evidence: TechnologyEvidence) -> str:
    if evidence.catalog_total is not None:
        count = evidence.catalog_total.members
        # "The images its recipe names": a recipe may name a third party's packaging (its note says so).
        first = evidence.catalog["image"].iloc[0]
        which = f"the image its recipe names, {first}, had" if count == 1 else f"{count} images its recipe names had"
        in_all = "" if count == 1 else " in all"
        return (
            f"its images are absent from the pull history; in a Docker Hub catalog snapshot "
            f"{which} {describe_sum(evidence.catalog_total)} pulls{in_all} "
            f"(bucketed counts: a floor) — {evidence.catalog_source}"
        )
    return "its images are absent from the pull history and from the catalog snapshot"


def catalog_line(evidence: TechnologyEvidence) -> str:
    """The catalog figures in one line: how many of the images the snapshot lists, and their pulls (a floor)."""
    total = evidence.catalog_total
    if total is None:
        return ""
    return (
        f"Catalog: {total.members} of the images its recipe names are in the snapshot ({evidence.catalog_source}), "
        f"with {describe_sum(total)} pulls in all; a bucket such as 10M+ is a floor, not a count."
    )


def quotable_sentence(evidence: TechnologyEvidence) -> str:
    """One sentence naming both sources and their own dates; it never puts them in one period."""
    survey = _survey_clause(evidence)
    pulls = _pulls_clause(evidence)
    periods = periods_words(evidence)
    return f"{survey}; {pulls}.{' ' + periods if periods else ''}"


def periods_words(evidence: TechnologyEvidence) -> str:
    """The years each source covers, said apart ("" when one source is missing)."""
    if evidence.shares.empty:
        return ""
    years = sorted({int(year) for year in evidence.shares["year"].dropna()})
    survey_years = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    if not evidence.weeks.empty:
        first = pd.Timestamp(evidence.weeks["period"].min()).year
        last = pd.Timestamp(evidence.weeks["period"].max()).year
        pulls = f"{first}" if first == last else f"{first}–{last}"
        return f"The survey waves ({survey_years}) and the pull history ({pulls}) cover different periods."
    if evidence.catalog_total is not None:
        year = evidence.catalog["observed"].iloc[0][:4]
        return f"The survey waves ({survey_years}) and the catalog snapshot ({year}) cover different periods."
    return ""
