"""One browser session's run of the app: the page list, the sidebar and the chosen page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analysis.errors import AnalysisError
from dashboard import deck_panel, state, widgets

# A file served by this server: a Material icon as page_icon is fetched from a font host, which fails offline.
FAVICON = str(Path(__file__).resolve().parent / "assets" / "favicon.png")


def pages() -> list:
    """The dashboard's pages, in the order of the sidebar (paths relative to app.py)."""
    return [
        # The default page is served at the root; the same Overview, hidden from the menu, answers /overview too
        # (the name deck views use), which would otherwise be "Page not found".
        st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="", default=True),
        st.Page("app_pages/overview.py", title="Overview", url_path="overview", visibility="hidden"),
        st.Page("app_pages/pulls.py", title="Docker Hub pulls", icon=":material/download:", url_path="pulls"),
        st.Page("app_pages/catalog.py", title="Docker Hub catalog", icon=":material/inventory_2:", url_path="catalog"),
        st.Page("app_pages/surveys.py", title="Surveys", icon=":material/ballot:", url_path="surveys"),
        st.Page("app_pages/technologies.py", title="Technologies", icon=":material/hub:", url_path="technologies"),
        st.Page("app_pages/upload.py", title="Upload", icon=":material/upload_file:", url_path="upload"),
    ]


def run() -> None:
    """Lay out the session's page: theme toggle, the page itself, then the talk pack and the deck."""
    st.set_page_config(page_title="Adoption statistics", page_icon=FAVICON, layout="wide")
    page = st.navigation(pages())
    st.session_state[deck_panel.PAGE_KEY] = page.url_path or "overview"
    widgets.reset_exhibits()
    state.seed_flag(widgets.SLIDE_KEY, "slide", False)
    # The page runs first, so that its first chart is the first thing the browser loads; the toggle, made
    # after it, still reads its value from the session (seeded above) and tops the sidebar.
    try:
        page.run()
    except AnalysisError as error:
        # One door for what analysis refuses (a view, a window, an image the store lacks): one line, no traceback.
        st.error(widgets.literal(str(error)))
    state.publish({"slide": widgets.slide_mode() or None})
    with st.sidebar:
        st.toggle(
            "Slide theme",
            key=widgets.SLIDE_KEY,
            help="Large type, high contrast, colour-blind-safe palette (Okabe-Ito), as exported images use",
        )
        widgets.talk_pack_button(
            page.title, "?" + "&".join(f"{k}={v}" for k in st.query_params for v in st.query_params.get_all(k))
        )
        deck_panel.sidebar()
