"""Pull views as slides: a view spec of the pulls or Overview page in, the numbers its chart shows out (pure).

The same analysis functions the pages call (`pulls_load.read_pull_history`, `pulls_periods.daily_pulls`
and `period_pulls`, `pulls_milestones.milestone_path`, `pulls_rank.rank_images`), with the pages'
defaults. A chart of many images draws the biggest `MAX_LINES - 1` and sums the rest as "others".
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.pulls.anomalies import anomaly_texts, data_as_of
from analysis.pulls.figures import growth_offsets, growth_view, images_daily
from analysis.pulls.freshness import age_note, as_of_words, today_utc
from analysis.pulls.milestones import milestone_path, next_round_target
from analysis.pulls.periods import period_pulls
from analysis.pulls.rank import rank_images
from analysis.pulls.read import image_label, image_labels, read_pull_history, read_window_counts
from analysis.reproduce import pulls as reproduce
from analysis.views.spec import Series, Slide, ViewSpec
from store.interface import Store
from store.values import split_image

MEASURES = {
    "cumulative": "Cumulative pull count",
    "day": "Pulls per day",
    "week": "Pulls per week",
    "month": "Pulls per month",
}
SOURCE = "Docker Hub pull_count snapshots (hub.docker.com API), this tool's store"
DEFAULT_IMAGES = 3
OVERVIEW_IMAGES = 5
MAX_LINES = 8  # lines a chart of pulls draws: the biggest MAX_LINES - 1 images and "others"
SLIDE_LINES = 5  # lines a slide draws: more are spaghetti at the back of a room
FLAGGED = "flagged (see notes)"
OTHERS = "others"
SERIES_COLUMNS = ["image", "period", "value"]


def fold_others(series: pd.DataFrame, measure: str, max_lines: int = MAX_LINES) -> tuple[pd.DataFrame, list[str]]:
    """Rows of at most `max_lines` lines: the biggest images and `others`, the rest summed per period.

    Images rank by their last cumulative count, or by their pulls over the whole series; "others"
    adds the values the other images have in a period (an image not yet observed adds nothing).
    Returns (rows, the images summed as others; empty when nothing was summed).
    """
    images = list(dict.fromkeys(series["image"]))
    if len(images) <= max_lines:
        return series, []
    grouped = series.groupby("image", sort=False)["value"]
    size = grouped.last() if measure == "cumulative" else grouped.sum()
    ranked = list(size.sort_values(ascending=False, kind="stable").index)
    kept, rest = ranked[: max_lines - 1], ranked[max_lines - 1 :]
    summed = (
        series[series["image"].isin(rest)].groupby("period", sort=True)["value"].sum(min_count=1).reset_index()
    ).assign(image=f"{OTHERS} ({len(rest)} images)")
    lines = series[series["image"].isin(kept)]
    lines = lines.assign(image=pd.Categorical(lines["image"], categories=kept, ordered=True)).sort_values(
        ["image", "period"], kind="stable"
    )
    lines = lines.assign(image=lines["image"].astype(str))
    summed = summed.reindex(columns=lines.columns)
    fills = {"flag": "", "estimated": False, "partial": False, "days": 0, "days_in_period": 0}
    summed = summed.assign(**{column: fill for column, fill in fills.items() if column in summed})
    if "marker_y" in summed:
        summed = summed.assign(marker_y=summed["value"].fillna(0.0))
    return pd.concat([lines, summed], ignore_index=True), rest


def lines_title(measure_words: str, images: list[str], namespace: str | None = None) -> str:
    """A pulls chart's title: the measure and the images, or their count and namespace when there are many."""
    spaces = {image.split("/")[0] if "/" in image else "library" for image in images}
    if namespace is None and len(images) > DEFAULT_IMAGES and len(spaces) == 1:
        namespace = spaces.pop()
    if namespace:
        return f"{measure_words}: {len(images)} images of {namespace}"
    if len(images) <= DEFAULT_IMAGES:
        return f"{measure_words}: {', '.join(images)}"
    return f"{measure_words}: {len(images)} images"


def _daily(store: Store, images: list[str]) -> pd.DataFrame:
    try:
        observations, failures = read_pull_history(store, [split_image(image) for image in images])
    except (LookupError, ValueError) as error:
        raise InvalidInput(f"view: {error}") from error
    return images_daily(observations, failures)


def period_table(daily: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The pulls page's table and CSV: one row per image and period, `pull_count` or `pulls`, flags and days."""
    rows = period_pulls(daily, "day" if measure == "cumulative" else measure)
    column = "pull_count" if measure == "cumulative" else "pulls"
    return pd.DataFrame(
        {
            "image": image_labels(rows),
            "period": rows["period"].to_numpy(),
            column: rows[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
            "flag": rows["flag"].to_numpy(),
            "estimated": rows["estimated"].to_numpy(),
            "days": rows["days"].to_numpy(),
            "days_in_period": rows["days_in_period"].to_numpy(),
            "partial": rows["partial"].to_numpy(dtype=bool) & (measure != "cumulative"),
        }
    )


def _drawn_partial(table: pd.DataFrame) -> pd.DataFrame:
    # A partial period with no value (a first day, the baseline: 0 of 1 days) draws nothing to mark.
    return table[table["partial"] & table["pulls"].notna()] if "pulls" in table else table.iloc[0:0]


def _partial_points(table: pd.DataFrame, lines: pd.DataFrame, rest: list[str], categories: list) -> list[list[int]]:
    """Per line of the chart, the positions of its partial periods (the summed "others" partial where any is)."""
    partial = _drawn_partial(table)
    position = {day: index for index, day in enumerate(categories)}
    points = []
    for name in dict.fromkeys(lines["image"]):
        members = rest if name.startswith(f"{OTHERS} (") and rest else [name]
        days = pd.DatetimeIndex(partial.loc[partial["image"].isin(members), "period"]).date
        points.append(sorted({position[day] for day in days if day in position}))
    return points


def _period_name(period: pd.Timestamp, measure: str) -> str:
    if measure == "month":
        return period.strftime("%B %Y")
    return f"the week of {period.date().isoformat()}" if measure == "week" else period.date().isoformat()


def _partial_spans(table: pd.DataFrame, measure: str) -> list[str]:
    """The partial periods, latest last: ["March 2023: 16 of 31 days", "August 2026: 8 of 31 days"]."""
    partial = _drawn_partial(table).drop_duplicates(["period", "days", "days_in_period"]).sort_values("period")
    return [
        f"{_period_name(pd.Timestamp(row.period), measure)}: {row.days} of {row.days_in_period} days"
        for row in partial.itertuples()
    ]


def images_word(count: int) -> str:
    """A count of images with its noun in the right number: "1 image", "12 images"."""
    return f"{count:,} image" if count == 1 else f"{count:,} images"


def _flagged(table: pd.DataFrame, column: str, shown: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """The periods of the shown lines with an anomaly flag (gap, failed poll, cap...): rows and one note each image."""
    texts = pd.Series(anomaly_texts(table["flag"]), index=table.index)
    rows = table[(texts != "") & table["image"].isin(shown) & table[column].notna()]
    notes = [
        f"Flagged: {image}, {len(group)} periods ({', '.join(sorted(set(';'.join(texts[group.index]).split(';'))))})"
        for image, group in rows.groupby("image", sort=False)
    ]
    # One marker series: where two lines are flagged in the same period, the marker sits on the higher one.
    points = rows.rename(columns={column: "value"}).groupby("period", as_index=False)["value"].max()
    return points.assign(image=FLAGGED), notes


def _wide(rows: pd.DataFrame) -> tuple[list, list[Series]]:
    """Dates on one axis and one series per line, None where a line has no value that day."""
    wide = rows.pivot(index="period", columns="image", values="value").sort_index()
    wide = wide.reindex(columns=list(dict.fromkeys(rows["image"])))
    categories = [moment.date() for moment in pd.DatetimeIndex(wide.index)]
    series = [
        Series(str(name), [None if pd.isna(value) else float(value) for value in wide[name]]) for name in wide.columns
    ]
    return categories, series


def _catalogue(store: Store) -> pd.DataFrame:
    frame = store.list_images()
    if frame.empty:
        raise InvalidInput("view: the store has no snapshots; collect or import pull counts first")
    return frame.assign(image=[image_label(ns, n) for ns, n in zip(frame["namespace"], frame["name"], strict=True)])


def chosen_images(spec: ViewSpec, store: Store) -> tuple[list[str], str | None]:
    """The images a pulls view shows (its `image`s, every image of its `ns`, else the biggest three), and `ns`."""
    catalogue = _catalogue(store)
    namespace = spec.get("ns")
    if namespace:
        images = catalogue.loc[catalogue["namespace"] == namespace, "image"].tolist()
        if not images:
            raise InvalidInput(f"view: no stored image is in namespace {namespace!r} (parameter ns)")
        return images, namespace
    wanted = spec.get_all("image")
    unknown = [image for image in wanted if image not in set(catalogue["image"])]
    if unknown:
        raise InvalidInput(f"view: no snapshots stored for {unknown[0]!r} (parameter image)")
    return list(dict.fromkeys(wanted)) or default_images(catalogue), None


def default_images(catalogue: pd.DataFrame) -> list[str]:
    """The images a pulls view opens on: the biggest DEFAULT_IMAGES stored images by their latest count."""
    return catalogue.sort_values("pull_count", ascending=False)["image"].head(DEFAULT_IMAGES).tolist()


def pulls_slide(spec: ViewSpec, store: Store) -> Slide:
    """The slide of a pulls view (`chart=pulls`, `chart=milestone`) or of the Overview's pulls chart."""
    if spec.page == "overview":
        images, left_out = chart_images(growth_view(read_window_counts(store, growth_offsets())).table)
        slide = _lines_slide(spec, store, images, "cumulative", True, None, overview=True)
        return replace(slide, notes=[*slide.notes, left_out_note(left_out)] if not left_out.empty else slide.notes)
    images, namespace = chosen_images(spec, store)
    if spec.chart == "milestone":
        return milestone_slide(spec, store, images)
    measure = spec.get("measure") or "week"
    if measure not in MEASURES:
        raise InvalidInput(f"view: measure must be one of {', '.join(MEASURES)} (parameter measure)")
    return _lines_slide(spec, store, images, measure, spec.get("scale") == "log", namespace)


def overview_images(store: Store) -> list[str]:
    """The Overview chart's images: the biggest stored images by their latest count (`rank --by total`)."""
    return chart_images(growth_view(read_window_counts(store, growth_offsets())).table)[0]


def chart_images(growth: pd.DataFrame, top: int = OVERVIEW_IMAGES) -> tuple[list[str], pd.DataFrame]:
    """The biggest `top` images that have a line to draw, and those left out: observed on one day only.

    An image seen once has no line; it would sit in the legend with nothing drawn and stretch the
    date axis back to its one day. Returns (images, left-out rows with `image` and `window_end`).
    """
    once = growth["first_observed"].astype(str) == growth["window_end"].astype(str)
    shown = rank_images(growth[~once], "total", top=top)
    return list(shown["image"]), growth.loc[once, ["image", "window_end"]].reset_index(drop=True)


def left_out_note(left_out: pd.DataFrame) -> str:
    """The sentence under a chart that left images out for having one snapshot only ("" when none was)."""
    if left_out.empty:
        return ""
    named = ", ".join(f"{row.image} ({row.window_end})" for row in left_out.itertuples())
    return f"Left out: {named}: one snapshot only, no line to draw."


def _lines_slide(
    spec: ViewSpec,
    store: Store,
    images: list[str],
    measure: str,
    log_scale: bool,
    namespace: str | None,
    overview: bool = False,
) -> Slide:
    daily = _daily(store, images)
    table = period_table(daily, measure)
    column = "pull_count" if measure == "cumulative" else "pulls"
    lines, rest = fold_others(table.rename(columns={column: "value"})[SERIES_COLUMNS], measure, SLIDE_LINES)
    flagged, flag_notes = _flagged(table, column, set(lines["image"]))
    categories, series = _wide(pd.concat([lines, flagged[SERIES_COLUMNS]], ignore_index=True))
    as_of, today = data_as_of(daily), today_utc()
    title = (
        "Pull counts over time: the biggest stored images"
        if overview
        else lines_title(MEASURES[measure], images, namespace)
    )
    notes = [f"Lines: {', '.join(images)}"]
    if rest:
        notes.append(f"{OTHERS}: the {len(rest)} smaller images summed per period ({', '.join(rest)})")
    spans = _partial_spans(table, measure)
    if spans:
        notes.append(
            f"Partial periods (hollow diamond, dashed segment): {'; '.join(spans[-3:])}. Their totals cover "
            "fewer days: compare pulls per day, not the height of the point."
        )
    stale = age_note(as_of, today) if as_of is not None else ""
    if stale:
        notes.append(stale[0].upper() + stale[1:])
    notes += flag_notes
    return Slide(
        view=spec.query(),
        kind="dates",
        title=title,
        subtitle=f"{MEASURES[measure]}"
        + (", log scale" if log_scale else "")
        + f"; {images_word(len(images))}"
        + ("; ✕ flagged periods (gaps estimated, failed polls), listed in the notes" if flag_notes else ""),
        categories=categories,
        series=series,
        number_format="#,##0",
        footer=f"Source: {SOURCE} · Base: every pull Docker Hub counted (a count, not a sample) · "
        f"n = {images_word(len(images))} · Data as of {as_of_words(as_of, today)}"
        + (f" · ◇ dashed: partial, {spans[-1]}" if spans else ""),
        table=table,
        command=reproduce.periods_command(images, "day" if measure == "cumulative" else measure)
        + f" (the {column} column)",
        notes=notes,
        log_scale=log_scale,
        partial_points=_partial_points(table, lines, rest, categories),
        flagged_series=bool(flag_notes),
    )


def milestone_slide(spec: ViewSpec, store: Store, images: list[str]) -> Slide:
    """When one image passes a target: its cumulative count and the recent, fast and slow trends ahead."""
    image = spec.get("mimage") or images[0]
    target_text = spec.get("target") or "0"
    if not target_text.isdigit() or len(target_text) > 15:
        raise InvalidInput("view: target must be a whole number of pulls (parameter target)")
    daily = _daily(store, [image])
    target = int(target_text) or next_round_target(daily)
    today = today_utc()
    summary, forecast = milestone_path(daily, target, today=today)
    history = period_table(daily, "cumulative").rename(columns={"pull_count": "value"})[SERIES_COLUMNS]
    paths = forecast.melt(id_vars="period", var_name="image", value_name="value")
    paths = paths.assign(
        image=paths["image"].map({"expected": "recent trend", "fast": "fast trend", "slow": "slow trend"})
    )
    categories, series = _wide(pd.concat([history.assign(image="pull count"), paths], ignore_index=True))
    as_of = data_as_of(daily)
    notes = [
        f"{image} reaches {target:,} pulls: {row.date_reached} "
        f"({row.scenario} trend, {row.pulls_per_day:,.0f} pulls a day)"
        for row in summary.itertuples()
    ]
    stale = age_note(as_of, today) if as_of is not None else ""
    if stale:
        notes.append(stale[0].upper() + stale[1:])
    return Slide(
        view=spec.query(),
        kind="dates",
        title=f"{image}: when will it pass {target:,} pulls?",
        subtitle="Cumulative pull count, and the paths of its 7-, 30- and 90-day trends",
        categories=categories,
        series=series,
        number_format="#,##0",
        footer=f"Source: {SOURCE}; trend of the last 7, 30 and 90 days · "
        f"Base: every pull Docker Hub counted (a count) · n = 1 image · Data as of {as_of_words(as_of, today)}",
        table=summary,
        command=reproduce.milestone_command(image, target, today=today),
        sentence=notes[0] if notes else "",
        notes=notes,
    )
