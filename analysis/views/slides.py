"""One slide per view: the sources a view needs (surveys, the store), loaded once, and the view's slide."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.views.headlines import headline_slide
from analysis.views.pulls import pulls_slide
from analysis.views.spec import Slide, ViewSpec, parse_view
from analysis.views.surveys import survey_slide
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
    """The slide of one view (a ViewSpec, or its query string); raises analysis errors in one line."""
    spec = parse_view(spec) if isinstance(spec, str) else spec
    if spec.page == "surveys":
        surveys, paths = sources.surveys()
        return survey_slide(spec, surveys, paths, sources.mappings())
    if spec.page == "overview" and spec.chart != "pulls":
        surveys, paths = sources.surveys()
        return headline_slide(spec, surveys, paths, sources.mappings())
    return pulls_slide(spec, sources.store())
