"""One error root per layer: pull analytics refuse with AnalysisError, collectors with CollectorError; the commands
print one line and exit 2 for either."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

from analysis.errors import AnalysisError, InvalidInput, NoSnapshots
from analysis.pulls.growth import compound_growth
from analysis.pulls.milestones import event_lift
from analysis.pulls.periods import daily_pulls, days_in_period, period_start
from analysis.pulls.rank import parse_window, rank_images
from analysis.pulls.read import read_pull_history, read_window_counts
from cli.analysis import _reported as analysis_reported
from cli.collectors import _reported as collectors_reported
from cli.toolkit import EXIT_USAGE, run_command
from collectors.catalog.buckets import PullCountError
from collectors.catalog.bundled import CatalogFileError
from collectors.dockerhub.api import DockerHubError, NotFoundError, RateLimitedError, UnreachableError
from collectors.dockerhub.watchlist import WatchlistError
from collectors.errors import CollectorError
from collectors.history.read import HistoryError
from collectors.snapshot_check import SnapshotValueError
from collectors.surveys.errors import SurveyError

DAILY = pd.DataFrame(
    {
        "namespace": ["library"] * 2,
        "name": ["nginx"] * 2,
        "day": pd.to_datetime(["2025-01-01", "2025-01-02"]),
        "pull_count": [100, 150],
        "pulls": [float("nan"), 50.0],
        "flag": ["", ""],
    }
)


@pytest.mark.parametrize(
    "refusal",
    [
        lambda: parse_window("thirty"),
        lambda: rank_images(pd.DataFrame(), "fame"),
        lambda: daily_pulls(pd.DataFrame(), "guess"),
        lambda: period_start(pd.Series(pd.to_datetime(["2025-01-01"])), "fortnight"),
        lambda: days_in_period(pd.Series(pd.to_datetime(["2025-01-01"])), "fortnight"),
        lambda: compound_growth(DAILY, "2025-01-02", "2025-01-01"),
        lambda: event_lift(DAILY, "2025-01-02", 0),
    ],
)
def test_pull_analytics_refuse_with_an_analysis_error_that_is_still_a_value_error(refusal) -> None:
    with pytest.raises(InvalidInput) as raised:
        refusal()
    assert isinstance(raised.value, AnalysisError) and isinstance(raised.value, ValueError)
    assert "\n" not in str(raised.value)


def test_images_the_store_lacks_are_no_snapshots_an_analysis_error_and_a_lookup_error(store) -> None:
    for read in (
        lambda: read_pull_history(store, [("nobody", "nothing")]),
        lambda: read_window_counts(store, [0, 30], [("nobody", "nothing")]),
    ):
        with pytest.raises(NoSnapshots, match="no snapshots stored for nobody/nothing") as raised:
            read()
        assert isinstance(raised.value, AnalysisError) and isinstance(raised.value, LookupError)


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (SurveyError, ValueError),
        (HistoryError, ValueError),
        (CatalogFileError, ValueError),
        (SnapshotValueError, ValueError),
        (PullCountError, ValueError),
        (WatchlistError, ValueError),
        (DockerHubError, Exception),
        (NotFoundError, DockerHubError),
        (UnreachableError, DockerHubError),
        (RateLimitedError, DockerHubError),
    ],
)
def test_every_collector_error_has_the_one_root_and_keeps_its_base(error: type, builtin: type) -> None:
    assert issubclass(error, CollectorError) and issubclass(error, builtin)


def _raising(error: Exception):
    def handler(_args: argparse.Namespace) -> int:
        raise error

    return handler


@pytest.mark.parametrize(
    ("reported", "error"),
    [
        (analysis_reported, InvalidInput("not a window: 'thirty'")),
        (analysis_reported, NoSnapshots("no snapshots stored for nobody/nothing")),
        (analysis_reported, SurveyError("survey.csv", "no header row")),
        (collectors_reported, UnreachableError("hub.docker.com did not answer\n(after 3 tries)")),
        (collectors_reported, HistoryError("history.csv line 3: not a number")),
    ],
)
def test_the_commands_print_each_layers_error_in_one_line_and_exit_2(reported, error, capsys) -> None:
    assert run_command(_raising(error), argparse.Namespace(), reported) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
