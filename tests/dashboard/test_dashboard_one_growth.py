"""One pull growth figure and one daily pulls function: the pages, the commands and the deck show what
`analysis.pulls.figures` makes from the store's reads, on the bundled histories."""

from __future__ import annotations

import io
import shlex
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.__main__ import main
from analysis.pulls.figures import GrowthView, growth_offsets, growth_view, images_daily
from analysis.pulls.read import read_pull_history, read_window_counts
from analysis.views.pulls import OVERVIEW_IMAGES, chart_images, overview_images, period_table, pulls_slide
from analysis.views.spec import parse_view
from dashboard import pull_loaders as loaders
from store import open_store

ROOT = Path(__file__).resolve().parents[2]
VERSION = (0, 0, 0)
IMAGES = ("falcosecurity/falco", "falcosecurity/falco-exporter")


@pytest.fixture
def view(store_copy: Path) -> GrowthView:
    """The 30-day growth figure as analysis makes it from the store's window counts."""
    return growth_view(read_window_counts(open_store(f"sqlite:///{store_copy}"), growth_offsets()))


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Run `python -m analysis ARGS` in this process, from the project root; return the CSV it prints."""
    monkeypatch.chdir(ROOT)

    def run_command(command: str) -> pd.DataFrame:
        capsys.readouterr()
        assert main(shlex.split(command)) == 0, capsys.readouterr().err
        return pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)

    return run_command


def test_rank_prints_the_growth_views_ranking(view: GrowthView, store_copy: Path, run) -> None:
    printed = run(f"rank --by growth --window 30d --top 100 --db {store_copy} --format csv")
    ranked = view.ranked("growth", top=100)
    assert len(printed) == len(ranked) > 3
    assert printed["name"].tolist() == ranked["name"].tolist()
    assert printed["growth"].tolist() == pytest.approx(ranked["growth"].astype(float).round(4).tolist(), abs=1e-4)


def test_the_pages_loader_and_the_deck_use_the_same_growth_figure(view: GrowthView, store_copy: Path) -> None:
    url = f"sqlite:///{store_copy}"
    images = tuple(loaders.stored_images(url, VERSION)["image"])
    pd.testing.assert_frame_equal(loaders.pull_growth(url, VERSION, images), view.table)
    assert overview_images(open_store(url)) == chart_images(view.table, OVERVIEW_IMAGES)[0]


def test_the_overview_cards_are_the_growth_views_headlines(app: AppTest, view: GrowthView) -> None:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    picks = view.headlines()
    cards = {metric.label: metric.value for metric in app.metric}
    biggest, fastest = picks["biggest"], picks["fastest"]
    assert cards[f"Biggest stored image: {biggest['image']}"] == f"{int(biggest['pull_count']):,} pulls"
    assert cards[f"Fastest-growing: {fastest['image']}"] == f"{fastest['growth']:+.0%}"


def test_daily_pulls_are_one_function_for_page_command_and_deck(store_copy: Path, run) -> None:
    url = f"sqlite:///{store_copy}"
    observations, failures = read_pull_history(open_store(url), [tuple(image.split("/")) for image in IMAGES])
    daily = images_daily(observations, failures)
    pd.testing.assert_frame_equal(loaders.pull_daily(url, VERSION, IMAGES), daily)
    slide = pulls_slide(parse_view("pulls?" + "&".join(f"image={i}" for i in IMAGES) + "&measure=day"), open_store(url))
    pd.testing.assert_frame_equal(slide.table, period_table(daily, "day"))
    printed = run(f"pulls --image {IMAGES[0]} --freq day --db {store_copy} --format csv")
    mine = daily[daily["name"] == "falco"]
    assert len(printed) == len(mine) > 30
    assert pd.to_numeric(printed["pulls"]).tolist() == pytest.approx(mine["pulls"].astype(float).tolist(), nan_ok=True)
