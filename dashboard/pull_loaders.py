"""Cached loaders: one store connection per process, frames cached by store version or file hash.

A rerun that changes only a widget reads nothing: frames come from `st.cache_data`, keyed by the
store's version (snapshot count, newest observation, newest run), which is itself re-read at most
every STORE_VERSION_TTL seconds or right after a collection.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.pulls.anomalies import anomalies, data_as_of, failed_polls_outside
from analysis.pulls.figures import GrowthView, growth_offsets, growth_view, images_daily
from analysis.pulls.milestones import milestone_path, next_round_target
from analysis.pulls.read import image_label, read_pull_history, read_window_counts
from collectors.bundled import ensure_bundled_history
from dashboard import pull_display as pull_views
from dashboard.markup import literal
from store import Store, StoreError, open_store, resolve_db_url
from store.values import split_image

STORE_VERSION_TTL = 30


@st.cache_resource(show_spinner="Opening the store…")
def store_at(url: str) -> Store:
    """Open the store at `url` once per process, seeding it with the bundled data on this first use.

    On a fresh machine this imports the bundled histories once (the warm-up does it before the first
    visitor); afterwards it only compares hashes. Drawing a page never writes: loaders only read.
    """
    store = open_store(url)
    ensure_bundled_history(store)
    return store


def store() -> Store:
    """Return the store ($ADOPTION_DB_URL, $ADOPTION_DB or data/adoption.db), seeded with bundled history."""
    return store_at(resolve_db_url())


def store_url() -> str:
    """Return the URL of the store the dashboard reads."""
    return resolve_db_url()


@st.cache_data(ttl=STORE_VERSION_TTL, show_spinner=False)
def store_version(url: str) -> tuple[int, int, int]:
    """Return (snapshots, newest observed_at, newest run id): changes whenever the store gains data."""
    return store_at(url).version()


def current_version() -> tuple[int, int, int]:
    """Return the version of the store the dashboard reads; a store that cannot be opened stops the page in one line."""
    try:
        return store_version(store_url())
    except StoreError as error:
        st.error(literal(f"The store cannot be opened: {error}"), icon=":material/database:")
        st.stop()


def forget_store_version() -> None:
    """Make the next rerun see what a collection has just added."""
    store_version.clear()


@st.cache_data(show_spinner=False, max_entries=8)
def stored_images(url: str, version: tuple[int, int, int]) -> pd.DataFrame:
    """Every stored image with its snapshot count, first and last observation and latest count."""
    frame = store_at(url).list_images()
    return frame.assign(
        image=[image_label(ns, name) for ns, name in zip(frame["namespace"], frame["name"], strict=True)]
    )


@st.cache_data(show_spinner=False, max_entries=64)
def image_snapshots(url: str, version: tuple[int, int, int], images: tuple[str, ...]) -> pd.DataFrame:
    """The stored snapshots of `images` (NS/NAME or NAME), oldest first."""
    return store_at(url).read_snapshots(list(images))


@st.cache_data(show_spinner=False, max_entries=8)
def collection_runs(url: str, version: tuple[int, int, int]) -> pd.DataFrame:
    """The latest collection and import runs, newest first."""
    return store_at(url).read_runs(limit=20)


@st.cache_data(show_spinner=False, max_entries=16)
def run_failures(url: str, version: tuple[int, int, int], run_id: int) -> pd.DataFrame:
    """The images that failed in one run, with the reason for each."""
    return store_at(url).read_failures(run_id)


@st.cache_data(show_spinner=False, max_entries=64)
def pull_history(url: str, version: tuple[int, int, int], images: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observations, failed polls) of `images` (analysis.pulls.read.read_pull_history)."""
    return read_pull_history(store_at(url), [split_image(image) for image in images])


@st.cache_data(show_spinner=False, max_entries=64)
def pull_daily(url: str, version: tuple[int, int, int], images: tuple[str, ...]) -> pd.DataFrame:
    """Daily pulls of `images` (analysis.pulls.figures.images_daily, gaps spread and marked estimated)."""
    observations, failures = pull_history(url, version, images)
    return images_daily(observations, failures)


@st.cache_data(show_spinner=False, max_entries=64)
def pull_series(url: str, version: tuple[int, int, int], images: tuple[str, ...], measure: str) -> pd.DataFrame:
    """Chart series of `images`: the cumulative count or pulls per day, week or month, anomalies flagged."""
    return pull_views.series(pull_daily(url, version, images), measure)


@st.cache_data(show_spinner=False, max_entries=64)
def pull_failure_markers(
    url: str, version: tuple[int, int, int], images: tuple[str, ...], measure: str
) -> pd.DataFrame:
    """Failed polls of `images` outside their series, placed for the chart of `measure`."""
    _, failures = pull_history(url, version, images)
    failed = failed_polls_outside(pull_daily(url, version, images), failures)
    return pull_views.failure_markers(pull_series(url, version, images, measure), failed)


@st.cache_data(show_spinner=False, max_entries=64)
def pull_as_of(url: str, version: tuple[int, int, int], images: tuple[str, ...]) -> str:
    """The last day with a good observation of any of `images` (YYYY-MM-DD), or "-"."""
    day = data_as_of(pull_daily(url, version, images))
    return "-" if day is None else day.date().isoformat()


@st.cache_data(show_spinner=False, max_entries=32)
def pull_growth_view(url: str, version: tuple[int, int, int], images: tuple[str, ...]) -> GrowthView:
    """The 30-day growth figure of `images` (analysis.pulls.figures.growth_view): what `rank` ranks."""
    pairs = [split_image(image) for image in images]
    return growth_view(read_window_counts(store_at(url), growth_offsets(), pairs))


def pull_growth(url: str, version: tuple[int, int, int], images: tuple[str, ...]) -> pd.DataFrame:
    """The growth figure's table of `images`: one row per image, biggest first, as `python -m analysis rank` counts."""
    return pull_growth_view(url, version, images).table


@st.cache_data(show_spinner=False, max_entries=32)
def pull_anomalies(url: str, version: tuple[int, int, int], images: tuple[str, ...]) -> pd.DataFrame:
    """Every flagged day of `images`: gaps, failed polls, the 2020 cap, decreases, stalls and catch-ups."""
    return anomalies(pull_daily(url, version, images))


@st.cache_data(show_spinner=False, max_entries=32)
def pull_milestone(
    url: str, version: tuple[int, int, int], image: str, target: int, today: pd.Timestamp
) -> tuple[int, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(target, scenarios, forecast path, cumulative history) for `image`; target 0 is the next round number.

    A date the trend would have reached before `today` is said in words, never given as a forecast.
    """
    daily = pull_daily(url, version, (image,))
    target = target or next_round_target(daily)
    summary, forecast = milestone_path(daily, target, today=today)
    return target, summary, forecast, pull_views.series(daily, "cumulative")
