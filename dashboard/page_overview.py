"""Overview: headline answers from the embedded data, each with base, n, interval, source and date."""

from __future__ import annotations

import streamlit as st

from analysis.catalog.stats import threshold_count
from analysis.errors import AnalysisError
from analysis.pulls.figures import GrowthView
from analysis.pulls.freshness import as_of_words, today_utc
from analysis.pulls.rank import MIN_PULLS_FOR_GROWTH
from analysis.reproduce import catalog as reproduce_catalog
from analysis.reproduce import pulls as reproduce
from analysis.reproduce import surveys as reproduce_surveys
from analysis.surveys import headlines as survey_headlines
from analysis.surveys import quote as survey_quote
from analysis.surveys.trend import break_notes
from analysis.views import headlines as views_headlines
from analysis.views import pulls as views_pulls
from analysis.views.catalog import base_words
from analysis.views.pulls import OVERVIEW_IMAGES
from dashboard import catalog_loaders, charts, deck_panel, widgets
from dashboard import pull_display as pull_views
from dashboard import pull_loaders as loaders
from dashboard import survey_loaders as surveys_
from dashboard.markup import literal
from dashboard.talkpack import Exhibit

PULL_SOURCE = "Docker Hub pull_count snapshots, this tool's store"


def _pull_cards(view: GrowthView, as_of: str) -> None:
    picks, growth = view.headlines(), view.table
    left, right = st.columns(2)
    with left:
        row = picks["biggest"]
        if row is not None:
            widgets.card(
                f"Biggest stored image: {row['image']}",
                f"{int(row['pull_count']):,} pulls",
                [
                    "Base: all-time cumulative pull_count reported by Docker Hub",
                    f"n = {len(growth)} images stored; observed {row['first_observed']} to {row['window_end']}",
                    f"Trend: {row['avg_daily_pulls']:,.0f} pulls a day over the {row['days']} days to "
                    f"{row['window_end']} (no sampling interval: a count)",
                    f"Source: {PULL_SOURCE} · as of {as_of}",
                ],
            )
            widgets.reproduce(reproduce.biggest_command())
    with right:
        row = picks["fastest"]
        if row is not None:
            widgets.card(
                f"Fastest-growing: {row['image']}",
                f"{row['growth']:+.0%}",
                [
                    f"Base: pulls per day in the {row['days']} days to its last observation against the "
                    f"{row['previous_days']} days before",
                    f"Pulls: {int(row['pulls']):,}, against {int(row['previous_pulls']):,} before; n = "
                    f"{len(growth)} images stored, those with at least {MIN_PULLS_FOR_GROWTH:,} pulls in the "
                    "earlier 30 days considered",
                    "Interval: none (a count, not a sample); see anomalies on the pulls page",
                    f"Source: {PULL_SOURCE} · as of {as_of}",
                ],
            )
            widgets.reproduce(reproduce.fastest_command())


def _chart_images(growth) -> tuple[tuple[str, ...], str]:
    """The images the chart draws, and the note naming those left out (one snapshot only)."""
    images, left_out = views_pulls.chart_images(growth, OVERVIEW_IMAGES)
    return tuple(images), views_pulls.left_out_note(left_out)


def _shown_as_of(url: str, version: tuple, view: GrowthView) -> str:
    """The one "as of" day of every pull figure on the page: the newest good observation of the images it shows."""
    images, _ = _chart_images(view.table)
    picked = tuple(row["image"] for row in view.headlines().values() if row is not None)
    return loaders.pull_as_of(url, version, tuple(dict.fromkeys(images + picked)))


def _pull_chart(url: str, version: tuple, view: GrowthView, as_of: str) -> None:
    images, left_out = _chart_images(view.table)
    series = loaders.pull_series(url, version, images, "cumulative")
    figure = _figure(url, version, images, widgets.slide_mode(), as_of, left_out)
    command = reproduce.periods_command(images, "day")
    widgets.show_chart(
        Exhibit(
            deck_chart="pulls",
            key="overview-pulls",
            title="Pull counts over time",
            source=PULL_SOURCE,
            as_of=as_of,
            figure=figure,
            table=series.drop(columns=["marker_y"]).rename(columns={"value": "pull_count"}),
            notes=[f"Reproduce: {command} (the pull_count column)"],
        )
    )
    widgets.reproduce(command)
    st.page_link(
        "app_pages/pulls.py",
        label="Choose images, pulls per week, growth and projections",
        icon=":material/arrow_forward:",
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _figure(url: str, version: tuple, images: tuple[str, ...], slide: bool, as_of: str, left_out: str = ""):
    # Built once per store version and theme: a new visitor's page then only serialises it.
    series = pull_views.display_points(loaders.pull_series(url, version, images, "cumulative"), "cumulative")
    footer = charts.footer_text(PULL_SOURCE, as_of)
    return charts.pulls_over_time(
        series,
        "cumulative pull count",
        "Pull counts over time: the biggest stored images",
        [left_out, footer] if left_out else footer,
        log_scale=True,
        slide=slide,
        failures=loaders.pull_failure_markers(url, version, images, "cumulative"),
    )


def _catalog_card(url: str, version: tuple) -> None:
    snapshot = catalog_loaders.chosen_snapshot(url, version, None)
    if snapshot is None:
        return
    entries = catalog_loaders.catalog_entries(url, version, int(snapshot["snapshot_id"]))
    row = threshold_count(entries, 10**7).iloc[0]
    widgets.card(
        "Images with 10 M+ pulls (Docker Hub catalog)",
        f"{row['images']:,} of {row['base']:,}",
        [
            f"Base: {base_words(entries, snapshot)}",
            f"Counts: {row['bounds']:,} by a bucket's lower bound, {row['exact']:,} exact (so a floor)",
            f"Source: {snapshot['source']} · {snapshot['observed']}",
        ],
    )
    with st.container(horizontal=True, gap="small"):
        deck_panel.add_button("catalog", "overview-catalog", "Images with 10 M+ pulls (Docker Hub catalog)")
        widgets.reproduce(reproduce_catalog.threshold_command(10**7, int(snapshot["snapshot_id"])))
    st.page_link("app_pages/catalog.py", label="Thresholds, distribution, claims", icon=":material/arrow_forward:")


def _survey_cards() -> None:
    if not surveys_.loader_available():
        st.info("Survey loading is not part of this installation yet.")
        return
    surveys, _ = surveys_.load_all()
    table = surveys_.headline_table(tuple(s.meta.sha256 for s in surveys.values()), surveys)
    shown, left_off = survey_headlines.comparable(table), survey_headlines.left_off(table)
    if shown.empty and left_off.empty:
        st.info("No loaded survey asks about containers or Kubernetes in production.")
        return
    paths = surveys_.catalogue()
    for topic in dict.fromkeys(table["topic"]):
        st.subheader(widgets.literal(topic))
        rows = shown[shown["topic"] == topic]
        if not rows.empty:
            _topic_cards(rows, paths)
            _topic_trend(topic, rows, surveys, paths)
        for reason in left_off[left_off["topic"] == topic].itertuples():
            st.caption(
                widgets.literal(f"Left off: {views_headlines.year_label(reason)} ({reason.wave}), {reason.reason}")
            )


def _topic_cards(rows, paths) -> None:
    columns = st.columns(max(len(rows), 1))
    for column, row in zip(columns, rows.itertuples(), strict=True):
        with column:
            widgets.card(
                str(row.year or row.wave),
                survey_quote.percent(row.share),
                [
                    # n is the base everywhere (cards, charts, CSV, the CLI): the count is said as "X of n".
                    f"{row.count:,} of {row.base:,} chose {row.answer}",
                    f"Base: n = {row.base:,} respondents who answered ({row.item or row.question})",
                    f"95% interval: {survey_quote.percent(row.ci_low)}–{survey_quote.percent(row.ci_high)} (Wilson)",
                    f"Source: {row.wave} ({row.source})",
                    f"Date: {row.fielded}",
                ],
            )
            try:
                widgets.reproduce(reproduce_surveys.headline_command(row._asdict(), paths[row.survey]))
            except AnalysisError as error:
                widgets.reproduce(None, str(error))


def _topic_trend(topic: str, rows, surveys, paths) -> None:
    trend = rows.assign(wave=[views_headlines.year_label(row) for row in rows.itertuples()])
    figure = charts.share_trend(
        trend,
        views_headlines.trend_title(topic),
        charts.footer_text("; ".join(rows["wave"]), "each survey's fieldwork"),
        slide=widgets.slide_mode(),
    )
    command = reproduce_surveys.headline_trend_command(rows, surveys, paths, surveys_.mappings())
    widgets.show_chart(
        Exhibit(
            deck_chart=survey_headlines.chart_name(topic),
            key=f"overview-{topic}",
            title=topic,
            source="; ".join(rows["wave"]),
            as_of="see each survey",
            figure=figure,
            table=rows,
            notes=[views_headlines.year_note(r) for r in rows.itertuples()]
            + break_notes(rows)
            + ([f"Reproduce: {command}"] if command else []),
        ),
        height=380,
    )
    for note in break_notes(rows):
        st.caption(widgets.literal(note))
    widgets.reproduce(
        command, "No wording mapping names every year of this headline: each card above has its own command."
    )


def render() -> None:
    """Lay out the page."""
    st.title("Adoption at a glance")
    url, version = loaders.store_url(), loaders.current_version()
    catalogue = loaders.stored_images(url, version)
    st.header("Docker Hub pulls")
    if catalogue.empty:
        st.warning("The store has no snapshots yet: run `python -m collectors dockerhub` or import a history.")
    else:
        view = loaders.pull_growth_view(url, version, tuple(catalogue["image"]))
        # One day for the warning, the cards and the chart: images the page does not show do not date it.
        as_of_day, today = _shown_as_of(url, version, view), today_utc()
        if warning := pull_views.stale_warning(as_of_day, today):
            st.warning(literal(warning), icon=":material/history:")
        # The chart is sent before the cards shown above it: the browser starts loading plotly sooner.
        cards = st.container()
        _pull_chart(url, version, view, as_of_words(as_of_day, today))
        with cards:
            _pull_cards(view, as_of_words(as_of_day, today))
    _catalog_card(url, version)
    st.header("Surveys: in production, by year")
    _survey_cards()


def preload() -> None:
    """Fill the caches this page's first run reads (default theme), before any visitor: dashboard.warmup."""
    url = loaders.store_url()
    version = loaders.store_version(url)
    catalogue = loaders.stored_images(url, version)
    if not catalogue.empty:
        view = loaders.pull_growth_view(url, version, tuple(catalogue["image"]))
        images, left_out = _chart_images(view.table)
        _figure(url, version, images, False, as_of_words(_shown_as_of(url, version, view), today_utc()), left_out)
    snapshot = catalog_loaders.chosen_snapshot(url, version, None)
    if snapshot is not None:
        catalog_loaders.catalog_entries(url, version, int(snapshot["snapshot_id"]))
    surveys = surveys_.load_embedded()
    surveys_.headline_table(tuple(s.meta.sha256 for s in surveys.values()), surveys)
    surveys_.mappings()
