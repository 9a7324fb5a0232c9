"""A technology's Docker Hub side: its images' pulls per week and growth, and their catalog figures (floors).

Pulls come from the snapshot history through `analysis.pulls.figures` (`images_daily`, `growth_view`),
weeks through `analysis.pulls.periods.period_pulls` (partial weeks marked); catalog counts through
`analysis.catalog`, kept as the ranges they are: a bucket such as "10M+" is a floor, never a figure.
"""

from __future__ import annotations

import pandas as pd

from analysis.catalog.read import read_catalog, snapshot_span
from analysis.errors import AnalysisError
from analysis.pulls.figures import growth_offsets, growth_view, images_daily
from analysis.pulls.periods import period_pulls
from analysis.pulls.read import image_labels, read_pull_history, read_window_counts
from analysis.technology.recipes import Recipe
from store.interface import Store

GROWTH_WINDOWS = (30, 90)
WEEK_COLUMNS = ["period", "pulls", "pull_count", "days", "days_in_period", "partial", "estimated", "flag"]
GROWTH_COLUMNS = ["window", "image", "pull_count", "window_end", "pulls", "days", "avg_daily_pulls", "growth", "flag"]
CATALOG_COLUMNS = ["image", "publisher", "pull_text", "pull_low", "pull_high", "exact", "rank", "observed"]


def _split(image: str) -> tuple[str, str]:
    namespace, name = image.split("/", 1)
    return namespace, name


def stored_images(recipe: Recipe, store: Store) -> tuple[list[tuple[str, str]], list[str]]:
    """(the recipe's images the store holds a history of, what is missing in words)."""
    if not recipe.images:
        return [], [f"Docker Hub: the recipe names no image ({recipe.images_note or 'none on Docker Hub'})"]
    held, missing = [], []
    for image in recipe.images:
        namespace, name = _split(image)
        if name == "*":
            found = store.all_images(namespace)
        else:
            found = store.find_images([(namespace, name)])
        pairs = list(found[["namespace", "name"]].itertuples(index=False, name=None))
        if not pairs:
            missing.append(f"pulls: the snapshot history holds no image {image}")
        held += [pair for pair in pairs if pair not in held]
    return sorted(held), missing


def weekly_pulls(store: Store, pairs: list[tuple[str, str]], label: str) -> pd.DataFrame:
    """Pulls per week (starting Monday) of the images added up into one series; partial weeks marked."""
    if not pairs:
        return pd.DataFrame(columns=WEEK_COLUMNS)
    observations, failures = read_pull_history(store, pairs)
    daily = images_daily(observations, failures, combined=label if len(pairs) > 1 else None)
    weeks = period_pulls(daily, "week")
    return weeks[WEEK_COLUMNS].reset_index(drop=True)


def image_growth(store: Store, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Each image's pulls and growth over the last 30 and 90 days of its own history (`rank`'s figures)."""
    if not pairs:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    frames = []
    for window in GROWTH_WINDOWS:
        counts = read_window_counts(store, growth_offsets(window), pairs)
        table = growth_view(counts, window).table
        frames.append(table.assign(window=f"{window}d"))
    rows = pd.concat(frames, ignore_index=True)
    return rows[GROWTH_COLUMNS]


def catalog_floors(recipe: Recipe, store: Store) -> tuple[pd.DataFrame, str, list[str]]:
    """(the recipe's images in the latest catalog snapshot, the snapshot's source and dates, what is missing)."""
    if not recipe.images:
        return pd.DataFrame(columns=CATALOG_COLUMNS), "", []
    try:
        entries, snapshot = read_catalog(store)
    except AnalysisError as error:
        return pd.DataFrame(columns=CATALOG_COLUMNS), "", [f"catalog: {error}"]
    keys = entries["namespace"] + "/" + entries["name"]
    wanted = pd.Series(False, index=entries.index)
    for image in recipe.images:
        namespace, name = _split(image)
        wanted |= (entries["namespace"] == namespace) if name == "*" else (keys == image)
    found = entries[wanted.to_numpy()].sort_values(["pull_low", "namespace", "name"], ascending=[False, True, True])
    observed = snapshot_span(snapshot)
    table = found.assign(image=image_labels(found), observed=observed)[CATALOG_COLUMNS].reset_index(drop=True)
    missing = []
    if table.empty:
        missing.append(f"catalog: the snapshot of {observed} lists none of {', '.join(recipe.images)}")
    return table, f"{snapshot['source']}, {observed}", missing
