"""The deck in the dashboard: "Add to deck" under a chart, and the deck's list and download in the sidebar.

The deck is a list of views (the query strings the dashboard keeps in its URL, with the chart meant)
kept in the browser session; the .pptx is built only when downloaded, by the same `analysis.views.slides`
and `exports.deck` that `python -m analysis deck` uses.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from analysis.errors import AnalysisError
from analysis.views.slides import ViewSources, slide_for
from analysis.views.spec import MAX_PARAM_CHARS, TITLE_PARAM, ViewSpec, parse_view, with_title
from dashboard import pull_loaders as loaders
from dashboard import survey_loaders as surveys_
from dashboard.markup import literal
from exports.deck import build_deck

DECK_KEY = "_deck"
TITLES_KEY = "_deck_titles"  # view -> the title of its chart when it was added, as the sidebar lists it
PAGE_KEY = "_page"
MAX_SLIDES = 60


def deck_views() -> list[str]:
    """The views in this session's deck, in slide order."""
    return list(st.session_state.get(DECK_KEY, []))


def current_view(chart: str) -> str | None:
    """The view now on screen (its page and the query parameters last published) with `chart`.

    None where the link cannot be a view (far too long): the page itself ignores what it cannot use.
    """
    page = st.session_state.get(PAGE_KEY, "overview")
    pairs = tuple(
        (key, value)
        for key in st.query_params
        for value in st.query_params.get_all(key)
        if len(value) <= MAX_PARAM_CHARS
    )
    try:
        return parse_view(ViewSpec(page, pairs, chart).query()).query()
    except AnalysisError:
        return None


def _add(chart: str, key: str, title: str) -> bool:
    views = st.session_state.setdefault(DECK_KEY, [])
    view = current_view(chart)
    if view is None:
        st.toast("This view's link is too long to keep as a slide.", icon=":material/link_off:")
        return False
    if len(views) >= MAX_SLIDES:
        st.toast(f"The deck holds at most {MAX_SLIDES} slides.", icon=":material/block:")
        return False
    typed = str(st.session_state.get(f"deck-title-{key}") or "")
    view = with_title(view, typed) if typed.strip() else view
    views.append(view)
    st.session_state.setdefault(TITLES_KEY, {})[view] = title
    return True


def slides_label(count: int) -> str:
    """The deck's size in words: "1 slide", "3 slides"."""
    return f"{count} slide" if count == 1 else f"{count} slides"


def add_button(chart: str, key: str, title: str) -> None:
    """The "Add to deck" button under a chart, and the slide's own title if the speaker types one.

    `title` is the chart's title as words (escaped where it is shown): the sidebar lists the slide by it.
    """
    with st.popover("Slide title", icon=":material/title:", type="tertiary"):
        st.text_input(
            "Slide title",
            key=f"deck-title-{key}",
            max_chars=140,
            placeholder="the chart's own title",
            help="The title this chart's slide will have; the chart's own title goes to the speaker notes",
        )
    clicked = st.button(
        "Add to deck",
        key=f"deck-add-{key}",
        icon=":material/add_to_queue:",
        help="Add this chart, as it is now, as a slide of the deck (download it from the sidebar)",
    )
    # Handled here rather than in on_click, then the whole app rerun: a button inside a fragment (the pulls
    # chart) would otherwise rerun only its fragment, and the sidebar would keep the old deck until the next page.
    if clicked and _add(chart, key, title):
        st.rerun(scope="app")


def _retitle(position: int) -> None:
    views = st.session_state.get(DECK_KEY, [])
    if 0 <= position < len(views):
        old = views[position]
        views[position] = with_title(old, str(st.session_state.get(f"deck-retitle-{position}") or ""))
        titles = st.session_state.setdefault(TITLES_KEY, {})
        if old in titles:
            titles[views[position]] = titles[old]


def _sources() -> ViewSources:
    def load_surveys():
        surveys, _ = surveys_.load_all()
        return surveys, surveys_.catalogue()

    return ViewSources(load_surveys, surveys_.mappings, loaders.store)


def deck_bytes(views: list[str]) -> bytes:
    """The .pptx of `views`, one slide each; a view that no longer opens (an upload gone) is left out."""
    sources, slides = _sources(), []
    for view in views:
        try:
            slides.append(slide_for(view, sources))
        except AnalysisError:
            continue
    return build_deck(slides)


def _move(position: int, step: int) -> None:
    views = st.session_state.get(DECK_KEY, [])
    target = position + step
    if 0 <= position < len(views) and 0 <= target < len(views):
        views[position], views[target] = views[target], views[position]


def _remove(position: int) -> None:
    views = st.session_state.get(DECK_KEY, [])
    if 0 <= position < len(views):
        view = views.pop(position)
        if view not in views:
            st.session_state.get(TITLES_KEY, {}).pop(view, None)


def sidebar() -> None:
    """The deck's slides in order (move up, down, remove) and the "Download deck (.pptx)" button."""
    views = deck_views()
    titles = st.session_state.get(TITLES_KEY, {})
    with st.expander(literal(f"Deck ({slides_label(len(views))})"), icon=":material/slideshow:", expanded=bool(views)):
        if not views:
            st.caption('The deck is empty: use "Add to deck" under a chart to add it as a slide.')
        for position, view in enumerate(views):
            # A slide is listed by its chart's title when it was added; a view from elsewhere by its page's name.
            name = titles.get(view) or view.split("?", 1)[0].strip("/").title() or "Slide"
            st.caption(literal(f"{position + 1}. {name}"))
            st.session_state[f"deck-retitle-{position}"] = parse_view(view).get(TITLE_PARAM) or ""
            st.text_input(
                "Slide title",
                key=f"deck-retitle-{position}",
                max_chars=140,
                placeholder="the chart's own title",
                on_change=_retitle,
                args=(position,),
            )
            with st.container(horizontal=True, gap="small"):
                st.button("↑", key=f"deck-up-{position}", on_click=_move, args=(position, -1), disabled=position == 0)
                st.button(
                    "↓",
                    key=f"deck-down-{position}",
                    on_click=_move,
                    args=(position, 1),
                    disabled=position == len(views) - 1,
                )
                st.button("Remove", key=f"deck-remove-{position}", on_click=_remove, args=(position,))
    st.download_button(
        "Download deck (.pptx)",
        data=partial(deck_bytes, views),
        file_name="deck.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="deck-download",
        on_click="ignore",
        disabled=not views,
        icon=":material/slideshow:",
        help="One slide per chart added: native editable charts, footer with source, base, n and date, "
        "speaker notes with the sentence to quote and the command",
    )
