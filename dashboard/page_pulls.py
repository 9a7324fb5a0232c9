"""Docker Hub pulls: pull counts over time for images chosen from the store, growth, anomalies, milestones."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.pulls.freshness import as_of_words, today_utc
from analysis.reproduce import pulls as reproduce
from analysis.views import pulls as views_pulls
from analysis.views.pulls import MEASURES, SOURCE
from dashboard import charts, pull_tables, state, table_display, widgets
from dashboard import pull_display as pull_views
from dashboard import pull_loaders as loaders
from dashboard.collect_panel import collection_section
from dashboard.markup import literal
from dashboard.pull_display import parse_events
from dashboard.talkpack import Exhibit

DEFAULT_MEASURE = "week"
MARKERS_NOTE = (
    "Markers: ▽ count went down · ✕ 2,147,483,647 cap (2020) · □ stall, ■ its catch-up · ○ no "
    "observation that day (the increase is spread over the gap and marked estimated) · ⊗ failed poll. "
    "Counts that cannot be right are left out of the lines. ◇ on a dotted line: a partial period (the first "
    'or last of a series), whose total covers fewer days ("8 of 31 days" on hover): compare pulls per day, '
    "not the height of the point. A failed poll after the last observation is only its ⊗ marker."
)
GROWTH_NOTE = (
    "Each image is measured up to its own last good observation (window end): pulls in the 30 days "
    "ending there against the 30 days before, per day. A flag says where a window is shorter or "
    "longer than 30 days (that column shows only then). "
    "Same figures as `python -m analysis rank --by total --window 30d`."
)


def _namespace_choices(catalogue: pd.DataFrame) -> list[str]:
    return ["", *sorted(catalogue["namespace"].unique())]


def _seed_images(catalogue: pd.DataFrame) -> list[str]:
    """Seed the image pickers (URL, else the default images) and return the images they hold."""
    state.seed_list("pulls_images", "image", views_pulls.default_images(catalogue), allowed=catalogue["image"].tolist())
    state.seed_text("pulls_namespace", "ns", "", allowed=_namespace_choices(catalogue))
    namespace = st.session_state["pulls_namespace"]
    if namespace:  # every image of the namespace chosen, else those picked one by one
        return catalogue.loc[catalogue["namespace"] == namespace, "image"].tolist()
    return list(st.session_state["pulls_images"])


def _pick_images(catalogue: pd.DataFrame) -> None:
    left, right = st.columns([3, 1])
    left.multiselect(
        "Images (type to search what is stored)",
        catalogue["image"].tolist(),
        key="pulls_images",
        placeholder="Search stored images…",
    )
    right.selectbox(
        "…or every image of a namespace",
        _namespace_choices(catalogue),
        key="pulls_namespace",
        format_func=lambda ns: ns or "(none)",
    )


def _seed_controls() -> tuple[str, bool, str]:
    """Seed the chart's controls (URL, else defaults) and return (measure, log scale, events text)."""
    state.seed_text("pulls_measure", "measure", DEFAULT_MEASURE, allowed=list(MEASURES))
    state.seed_text("pulls_scale", "scale", "linear", allowed=["linear", "log"])
    state.seed_text("pulls_events", "events", "")
    measure = st.session_state["pulls_measure"] or DEFAULT_MEASURE
    return measure, st.session_state["pulls_scale"] == "log", st.session_state["pulls_events"]


def _controls() -> None:
    # One wrapping row: the four measures need about 500 pixels, more than a third of a laptop screen.
    with st.container(horizontal=True, gap="medium"):
        st.segmented_control("Show", list(MEASURES), format_func=MEASURES.get, key="pulls_measure")
        st.segmented_control("Scale", ["linear", "log"], key="pulls_scale")
        st.text_area(
            "Events to mark (one per line: YYYY-MM-DD label)",
            key="pulls_events",
            height=68,
            placeholder="2024-03-19 KubeCon EU talk",
            width=360,
        )


def _chart(url: str, version: tuple, images: tuple[str, ...], measure: str, log: bool, events_text: str) -> None:
    events, problems = parse_events(events_text)
    for problem in problems:
        st.warning(widgets.literal(problem))
    series = loaders.pull_series(url, version, images, measure)
    as_of = as_of_words(loaders.pull_as_of(url, version, images), today_utc())
    figure = _figure(url, version, images, measure, log, tuple(events), widgets.slide_mode(), as_of)
    column = "pull_count" if measure == "cumulative" else "pulls"
    table = series.rename(columns={"value": column})
    command = reproduce.periods_command(images, "day" if measure == "cumulative" else measure)
    widgets.show_chart(
        Exhibit(
            deck_chart="pulls",
            key=f"pulls-{measure}",
            title=MEASURES[measure],
            source=SOURCE,
            as_of=as_of,
            figure=figure,
            table=table.drop(columns=["marker_y"]),
            notes=[f"Reproduce: {command} (the {column} column)"],
            slot="pulls-main",
        )
    )
    widgets.reproduce(command)


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(
    url: str,
    version: tuple,
    images: tuple[str, ...],
    measure: str,
    log: bool,
    events: tuple[tuple[pd.Timestamp, str], ...],
    slide: bool,
    as_of: str,
):
    # Built once per choice and kept as it is: plotly's validation costs more than the rest of a redraw.
    series = pull_views.display_points(loaders.pull_series(url, version, images, measure), measure)
    series, _ = views_pulls.fold_others(series, measure)  # at most 8 lines: the biggest and "others"
    return charts.pulls_over_time(
        series,
        MEASURES[measure],
        views_pulls.lines_title(MEASURES[measure], list(images)),
        charts.footer_text(SOURCE, as_of),
        log_scale=log,
        events=events,
        slide=slide,
        failures=loaders.pull_failure_markers(url, version, images, measure),
    )


@st.fragment
def _main_chart(url: str, version: tuple, images: tuple[str, ...]) -> None:
    """The controls and the main chart: a change here reruns only this part of the page."""
    # The controls' place comes first on the page, but the chart is sent first (values read from the
    # session, seeded above): the browser starts on plotly before the widgets' code.
    controls = st.container()
    measure, log, events_text = _seed_controls()
    if images:
        _chart(url, version, images, measure, log, events_text)
    with controls:
        _controls()
    state.publish({"measure": measure, "scale": "log" if log else "linear", "events": events_text})


def _growth_and_anomalies(url: str, version: tuple, images: tuple[str, ...]) -> None:
    growth = loaders.pull_growth(url, version, images).drop(columns=["namespace", "name"])
    shown = pull_tables.growth_shown(growth)
    anomalies = loaders.pull_anomalies(url, version, images)
    as_of = as_of_words(loaders.pull_as_of(url, version, images), today_utc())
    # Stacked, not side by side: the growth table needs the page's width to show its columns.
    st.subheader("Growth")
    growth_command, anomalies_command = reproduce.growth_command(images), reproduce.anomalies_command(images)
    widgets.show_table(
        Exhibit(
            key="pulls-growth",
            title="Growth",
            source=SOURCE,
            as_of=as_of,
            table=growth,
            notes=[f"Reproduce: {growth_command}"],
        ),
        column_config=pull_tables.growth_column_config(shown),
        shown=shown,
    )
    st.caption(GROWTH_NOTE)
    widgets.reproduce(growth_command)
    st.subheader(f"Anomalies ({len(anomalies)})")
    anomalies_shown = table_display.shown_table(anomalies, pull_tables.ANOMALY_HEADERS)
    widgets.show_table(
        Exhibit(
            key="pulls-anomalies",
            title="Anomalies",
            source=SOURCE,
            as_of=as_of,
            table=anomalies,
            notes=[f"Reproduce: {anomalies_command}"],
        ),
        column_config=table_display.column_config(anomalies_shown, pull_tables.ANOMALY_HEADERS),
        shown=anomalies_shown,
    )
    widgets.reproduce(anomalies_command)


def _milestone(url: str, version: tuple, images: tuple[str, ...]) -> int:
    st.subheader("Milestone projection")
    state.seed_text("pulls_milestone_image", "mimage", images[0], allowed=images)
    state.seed_number("pulls_target", "target", 0)
    left, right = st.columns(2)
    image = left.selectbox("Image", images, key="pulls_milestone_image")
    chosen = right.number_input(
        "Target pulls (0 = next round number)",
        min_value=0,
        max_value=state.MAX_NUMBER,
        step=1_000_000,
        key="pulls_target",
    )
    today = today_utc()
    target, summary, forecast, history = loaders.pull_milestone(url, version, image, int(chosen), today)
    as_of = as_of_words(loaders.pull_as_of(url, version, (image,)), today)
    drawn = pull_views.display_points(history, "cumulative")
    figure = charts.projection(
        drawn,
        forecast,
        target,
        f"{image}: when will it pass {target:,} pulls?",
        charts.footer_text(SOURCE + "; trend of the last 7, 30 and 90 days", as_of),
        slide=widgets.slide_mode(),
    )
    notes = [
        f"{image} reaches {target:,} pulls: {row.date_reached} ({row.scenario} trend, "
        f"{row.pulls_per_day:,.0f} pulls a day)"
        for row in summary.itertuples()
    ]
    command = reproduce.milestone_command(image, target, today=today)
    notes.append(f"Reproduce: {command}")
    widgets.show_chart(
        Exhibit(
            deck_chart="milestone",
            key="pulls-milestone",
            title=f"Milestone {target:,}",
            source=SOURCE,
            as_of=as_of,
            figure=figure,
            table=summary,
            notes=notes,
        )
    )
    widgets.reproduce(command)
    st.dataframe(
        pull_tables.milestone_shown(summary), hide_index=True, column_config=pull_tables.MILESTONE_COLUMN_CONFIG
    )
    return target


def render() -> None:
    """Lay out the page."""
    st.title("Docker Hub pulls")
    url, version = loaders.store_url(), loaders.current_version()
    catalogue = loaders.stored_images(url, version)
    if catalogue.empty:
        st.warning("The store has no snapshots yet: run `python -m collectors dockerhub` or import a history.")
        collection_section(url, version, ())
        return
    images = tuple(_seed_images(catalogue))
    if images and (warning := pull_views.stale_warning(loaders.pull_as_of(url, version, images), today_utc())):
        st.warning(literal(warning), icon=":material/history:")
    pickers = st.container()  # above the chart, filled after it (see _main_chart)
    _main_chart(url, version, images)
    with pickers:
        _pick_images(catalogue)
    if images:  # outside the fragment: it never changes, so a control's rerun need not send it again
        st.caption(MARKERS_NOTE)
    target = None
    if images:
        _growth_and_anomalies(url, version, images)
        target = _milestone(url, version, images)
    else:
        st.info("Pick one or more images to chart.")
    collection_section(url, version, images)
    state.publish(
        {
            "image": list(st.session_state["pulls_images"]),
            "ns": st.session_state["pulls_namespace"],
            "mimage": st.session_state.get("pulls_milestone_image"),
            "target": target,
        }
    )


def preload() -> None:
    """Fill the caches this page's first run reads (default images and controls), before any visitor."""
    url = loaders.store_url()
    version = loaders.store_version(url)
    catalogue = loaders.stored_images(url, version)
    images = tuple(views_pulls.default_images(catalogue)) if not catalogue.empty else ()
    if not images:
        return
    as_of = as_of_words(loaders.pull_as_of(url, version, images), today_utc())
    _figure(url, version, images, DEFAULT_MEASURE, False, (), False, as_of)
    loaders.pull_growth(url, version, images)
    loaders.pull_anomalies(url, version, images)
    loaders.pull_milestone(url, version, images[0], 0, today_utc())
    loaders.pull_as_of(url, version, images[:1])
