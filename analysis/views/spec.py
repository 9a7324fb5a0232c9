"""Shareable views as data: the dashboard's query string read as a view spec, and the slide a view makes.

A view is what the dashboard keeps in its URL: the page (`surveys`, `pulls`, `overview`, `catalog`) and
its query parameters (`survey`, `q`, `item`, `base`, `by`, `answer`; `image`, `ns`, `measure`, `scale`,
`mimage`, `target`; `pulls`, `snapshot`), plus `chart`, which of the page's charts is meant, and
`title`, a slide title typed by the speaker in place of the one the slide would have. `Slide` holds everything one
slide shows: the chart's numbers, its short title and full question, the footer, the sentences to
quote and the command that prints the same figures. Building it is `analysis.views.surveys` and
`analysis.views.pulls`; drawing it is `exports.deck`. `Slide` and `Series` live in `exports.slides`, below both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from analysis.errors import InvalidInput
from analysis.surveys.headlines import RECIPES, chart_name
from exports.slides import Series, Slide, short_title

__all__ = ["Series", "Slide", "ViewSpec", "parse_view", "short_title", "view_of"]

PAGE_CHARTS = {
    "surveys": ("shares", "crosstab", "trend"),
    "pulls": ("pulls", "milestone"),
    "overview": ("pulls", *(chart_name(recipe.topic) for recipe in RECIPES), "catalog"),
    "catalog": ("threshold", "distribution"),
}
PAGE_ALIASES = {"": "overview", "overview": "overview", "pulls": "pulls", "surveys": "surveys", "catalog": "catalog"}
MAX_VIEW_CHARS = 4000
MAX_PARAM_CHARS = 2000
PULL_PARAMS = {"image", "ns", "measure", "scale", "mimage", "target", "events"}
SURVEY_PARAMS = {"survey", "q", "item", "base", "by", "answer", "search", "search_here", "net"}
CATALOG_PARAMS = {"pulls", "snapshot"}
TITLE_PARAM = "title"  # a slide title the speaker typed, on any page; kept in the view like the rest
SHORT_SENTENCE_CHARS = 160


@dataclass(frozen=True)
class ViewSpec:
    """One view: its page, its query parameters in order (a parameter may repeat) and the chart meant."""

    page: str
    params: tuple[tuple[str, str], ...] = ()
    chart: str = ""

    def get(self, name: str) -> str | None:
        """The first value of parameter `name`, or None."""
        return next((value for key, value in self.params if key == name), None)

    def get_all(self, name: str) -> list[str]:
        """Every value of parameter `name`, in order."""
        return [value for key, value in self.params if key == name]

    def query(self) -> str:
        """The view as PAGE?QUERY, the form `python -m analysis deck` takes and the dashboard links use."""
        pairs = [*self.params, *([("chart", self.chart)] if self.chart else [])]
        return f"{self.page}?{urlencode(pairs)}" if pairs else self.page


def mapping_title(name: str) -> str:
    """A wording mapping's file stem as a title: `cncf-containers-in-production` -> `Containers in production`."""
    words = name.split("-")
    if words and words[0].casefold() == "cncf":
        words = words[1:]
    text = " ".join(words) or name
    return text[:1].upper() + text[1:]


def _page_of(path: str, params: list[tuple[str, str]]) -> str:
    name = path.strip("/").rsplit("/", 1)[-1].casefold()
    if name in PAGE_ALIASES and (name or not params):
        return PAGE_ALIASES[name]
    if name:
        raise InvalidInput(f"view: unknown page {name!r}; choose one of: {', '.join(PAGE_CHARTS)}")
    keys = {key for key, _ in params}
    if keys & PULL_PARAMS:
        return "pulls"
    if keys & SURVEY_PARAMS:
        return "surveys"
    return "overview"


def parse_view(text: str) -> ViewSpec:
    """Read a view from a dashboard link, `PAGE?QUERY` or `?QUERY` (the page guessed from its parameters).

    Raises InvalidInput in one line for a view that is too long, names an unknown page or chart.
    """
    text = str(text).strip()
    if len(text) > MAX_VIEW_CHARS:
        raise InvalidInput(f"view: longer than {MAX_VIEW_CHARS:,} characters")
    parts = urlsplit(text if "?" in text or "://" in text else f"{text}?")
    params = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=False)]
    for key, value in params:
        if len(value) > MAX_PARAM_CHARS:
            raise InvalidInput(f"view: parameter {key!r} is longer than {MAX_PARAM_CHARS:,} characters")
    page = _page_of(parts.path, params)
    chart = next((value for key, value in params if key == "chart"), "") or PAGE_CHARTS[page][0]
    if chart not in PAGE_CHARTS[page]:
        raise InvalidInput(f"view: page {page} has no chart {chart!r}; choose one of: {', '.join(PAGE_CHARTS[page])}")
    own = {"surveys": SURVEY_PARAMS, "pulls": PULL_PARAMS, "catalog": CATALOG_PARAMS}.get(page, set())
    kept = tuple((key, value) for key, value in params if key in own or key == TITLE_PARAM)
    return ViewSpec(page, kept, chart)


def with_title(view: str, title: str) -> str:
    """`view` (PAGE?QUERY) with its slide title set to `title` (white space made single), or removed when empty."""
    spec = parse_view(view)
    typed = " ".join(str(title).split())[:MAX_PARAM_CHARS]
    kept = tuple((key, value) for key, value in spec.params if key != TITLE_PARAM)
    return ViewSpec(spec.page, kept + (((TITLE_PARAM, typed),) if typed else ()), spec.chart).query()


def view_of(page: str, values: dict, chart: str) -> ViewSpec:
    """The view of a dashboard page from its widget values (lists repeat a parameter; empty values left out)."""
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        if value is None or value == "" or value == []:
            continue
        for one in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, str(one)))
    return ViewSpec(page, tuple(pairs), chart)


def short_waves(waves: Sequence[str]) -> list[str]:
    """Wave names without the words they all start with: `2018`, `1H 2020` for CNCF Cloud Native Survey waves."""
    split = [wave.split() for wave in waves]
    common = 0
    while (
        len(set(waves)) > 1
        and all(len(words) > common + 1 for words in split)
        and len({words[common] for words in split}) == 1
    ):
        common += 1
    return [" ".join(words[common:]) for words in split]
