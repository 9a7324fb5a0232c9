"""One slide per view: the sources a view needs (surveys, the store), loaded once, and the view's slide."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis.views.catalog import catalog_slide
from analysis.views.headlines import headline_slide
from analysis.views.pulls import pulls_slide
from analysis.views.spec import TITLE_PARAM, Slide, ViewSpec, parse_view
from analysis.views.surveys import survey_slide
from analysis.views.technology import technology_slide
from exports.slides import TITLE_CHARS
from store.interface import Store
from survey_model.survey import Survey


@dataclass
class ViewSources:
    """Where views read from, each loaded on first use: surveys by key with their files, mappings, the store."""

    load_surveys: Callable[[], tuple[Mapping[str, Survey], Mapping[str, Path]]]
    load_mappings: Callable[[], Mapping[str, pd.DataFrame]]
    open_store: Callable[[], Store]
    _cache: dict = field(default_factory=dict)

    def surveys(self) -> tuple[Mapping[str, Survey], Mapping[str, Path]]:
        """The loaded surveys by key and the file of each."""
        if "surveys" not in self._cache:
            self._cache["surveys"] = self.load_surveys()
        return self._cache["surveys"]

    def mappings(self) -> Mapping[str, pd.DataFrame]:
        """The wording mappings by name."""
        if "mappings" not in self._cache:
            self._cache["mappings"] = self.load_mappings()
        return self._cache["mappings"]

    def store(self) -> Store:
        """The store."""
        if "store" not in self._cache:
            self._cache["store"] = self.open_store()
        return self._cache["store"]


def slide_for(spec: ViewSpec | str, sources: ViewSources) -> Slide:
    """The slide of one view (a ViewSpec, or its query string), titled as the view's `title` asks where it does."""
    spec = parse_view(spec) if isinstance(spec, str) else spec
    slide = _slide_of(spec, sources)
    typed = " ".join((spec.get(TITLE_PARAM) or "").split())
    if not typed:
        return slide
    # The typed title replaces the slide's own, which stays in the notes: what the chart shows is still said.
    return replace(slide, title=typed[: TITLE_CHARS * 2], notes=[*slide.notes, f"Title as built: {slide.title}"])


def _slide_of(spec: ViewSpec, sources: ViewSources) -> Slide:
    if spec.page == "catalog":
        return catalog_slide(spec, sources.store())
    if spec.page == "technologies":
        surveys, _ = sources.surveys()
        return technology_slide(spec, surveys, sources.store())
    if spec.page == "overview" and spec.chart == "catalog":
        return catalog_slide(ViewSpec("catalog", spec.params, "threshold"), sources.store())
    if spec.page == "surveys":
        surveys, paths = sources.surveys()
        return survey_slide(spec, surveys, paths, sources.mappings())
    if spec.page == "overview" and spec.chart != "pulls":
        surveys, paths = sources.surveys()
        return headline_slide(spec, surveys, paths, sources.mappings())
    return pulls_slide(spec, sources.store())
