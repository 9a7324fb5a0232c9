"""Catalog views as slides: the "images with at least X pulls" big number, and images by pulls (pure).

The same `analysis.catalog.stats` functions the catalog page and `python -m analysis catalog` call. A
catalog snapshot is not all of Docker Hub: every slide and card says which images its base holds.
"""

from __future__ import annotations

import pandas as pd

from analysis.catalog.over_time import threshold_over_time
from analysis.catalog.read import read_all_catalogs, read_catalog, snapshot_span
from analysis.catalog.stats import DEFAULT_THRESHOLD, PUBLISHER_ORDER, distribution, parse_pulls, threshold_count
from analysis.errors import AnalysisError, InvalidInput
from analysis.reproduce import catalog as reproduce
from analysis.views.spec import Series, Slide, ViewSpec
from store.interface import Store

PUBLISHER_WORDS = {
    "official": "official",
    "verified": "verified-publisher",
    "open_source": "open-source",
    "community": "community",
    "unknown": "unclassified",
}
METHOD = "an image counts when its count's lower bound reaches the threshold, so the figure is a floor"


def threshold_history(store: Store, pulls: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Per catalog snapshot, oldest first: images at or above `pulls` (floors), faults counted, and the source."""
    entries, snapshots = read_all_catalogs(store)
    table = threshold_over_time(entries, snapshots, pulls)
    return table.merge(snapshots[["snapshot_id", "source"]], on="snapshot_id", how="left")


def base_words(entries: pd.DataFrame, snapshot: pd.Series) -> str:
    """What a catalog figure's base is: "the 2,251 images of a Docker Hub catalog snapshot (...: official, ...)"."""
    kinds = [PUBLISHER_WORDS[kind] for kind in PUBLISHER_ORDER if kind in set(entries["publisher"])]
    listed = ", ".join(kinds[:-1]) + f" and {kinds[-1]}" if len(kinds) > 1 else "".join(kinds)
    return (
        f"the {len(entries):,} images of a Docker Hub catalog snapshot "
        f"({_observed(snapshot)}: {listed} images, not all of Docker Hub)"
    )


def _observed(snapshot: pd.Series) -> str:
    return str(snapshot["observed"]) if "observed" in snapshot else snapshot_span(snapshot)


def _snapshot_id(spec: ViewSpec) -> int | None:
    text = spec.get("snapshot")
    if text is None:
        return None
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput("view: snapshot must be a catalog snapshot's number (parameter snapshot)")
    return int(text)


def _read(spec: ViewSpec, store: Store) -> tuple[pd.DataFrame, pd.Series, int | None]:
    snapshot_id = _snapshot_id(spec)
    try:
        entries, snapshot = read_catalog(store, snapshot_id)
    except AnalysisError as error:
        raise InvalidInput(f"view: {error}") from error
    return entries, snapshot, snapshot_id


def _footer(entries: pd.DataFrame, snapshot: pd.Series) -> str:
    return (
        f"Source: {snapshot['source']} · Base: {base_words(entries, snapshot)} · n = {len(entries):,} images · "
        f"Date: {_observed(snapshot)}"
    )


def catalog_slide(spec: ViewSpec, store: Store) -> Slide:
    """The slide of a catalog view: `chart=threshold` (a big number, `pulls=10M`) or `chart=distribution`."""
    if spec.chart == "distribution":
        return distribution_slide(spec, store)
    return threshold_slide(spec, store)


def threshold_slide(spec: ViewSpec, store: Store) -> Slide:
    """One figure, its sentence and its source: how many catalog images have at least `pulls` pulls."""
    try:
        pulls = parse_pulls(spec.get("pulls") or str(DEFAULT_THRESHOLD))
    except InvalidInput as error:
        raise InvalidInput(f"view: {error} (parameter pulls)") from error
    entries, snapshot, snapshot_id = _read(spec, store)
    row = threshold_count(entries, pulls).iloc[0]
    label = str(row["label"]).rstrip("+")
    sentence = f"{row['images']:,} of {base_words(entries, snapshot)} had at least {pulls:,} pulls (a floor)."
    return Slide(
        view=spec.query(),
        kind="number",
        title=f"Docker Hub images with {label}+ pulls",
        subtitle=f"Images with at least {pulls:,} pulls, of a catalog snapshot of official, verified-publisher "
        "and open-source images",
        categories=[],
        series=[],
        number_format="#,##0",
        footer=_footer(entries, snapshot),
        table=threshold_count(entries, pulls),
        command=reproduce.threshold_command(pulls, snapshot_id),
        sentence=sentence,
        notes=[
            f"Counts: {row['bounds']:,} known by a bucket's lower bound, {row['exact']:,} exact; {METHOD}",
            f"{row['straddling']:,} more images have a range that straddles {pulls:,} (not counted)",
        ],
        figure=f"{row['images']:,} of {row['base']:,}",
    )


def distribution_slide(spec: ViewSpec, store: Store) -> Slide:
    """Catalog images per decade of pulls, exact counts and bucketed ones as two stacked series."""
    entries, snapshot, snapshot_id = _read(spec, store)
    table = distribution(entries)
    series = [
        Series("exact count", [float(value) for value in table["exact"]]),
        Series("bucketed count (a range)", [float(value) for value in table["bounded"]]),
    ]
    # A kind of count no image has is no bar: its legend entry would explain nothing that is drawn.
    drawn = [item for item in series if any(item.values)] or series
    kinds = 'a bucketed count ("10M+") is a range, an exact one is not'
    if len(drawn) == 1:
        kinds = f"every count here is {'exact' if drawn[0] is series[0] else 'a bucket (10M+), a range'}"
    return Slide(
        view=spec.query(),
        kind="stacked",
        title=f"Catalog images by pulls ({len(entries):,} images)",
        subtitle=f"Images per decade of pulls, by the lower bound of each count; {kinds}",
        categories=table["label"].tolist(),
        series=drawn,
        number_format="#,##0",
        footer=_footer(entries, snapshot),
        table=table,
        command=reproduce.view_command("distribution", snapshot_id),
    )
