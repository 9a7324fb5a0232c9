"""Adoption statistics dashboard: `streamlit run app.py`."""

from pathlib import Path

import streamlit as st

from dashboard import deck_panel, state, widgets

# A file served by this server: a Material icon as page_icon is fetched from a font host, which fails offline.
FAVICON = str(Path(__file__).resolve().parent / "dashboard" / "assets" / "favicon.png")
st.set_page_config(page_title="Adoption statistics", page_icon=FAVICON, layout="wide")

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("app_pages/pulls.py", title="Docker Hub pulls", icon=":material/download:", url_path="pulls"),
    st.Page("app_pages/catalog.py", title="Docker Hub catalog", icon=":material/inventory_2:", url_path="catalog"),
    st.Page("app_pages/surveys.py", title="Surveys", icon=":material/ballot:", url_path="surveys"),
    st.Page("app_pages/upload.py", title="Upload", icon=":material/upload_file:", url_path="upload"),
]

page = st.navigation(PAGES)
st.session_state[deck_panel.PAGE_KEY] = page.url_path or "overview"
widgets.reset_exhibits()
with st.sidebar:
    state.seed_flag(widgets.SLIDE_KEY, "slide", False)
    st.toggle(
        "Slide theme",
        key=widgets.SLIDE_KEY,
        help="Large type, high contrast, colour-blind-safe palette (Okabe-Ito), as exported images use",
    )
page.run()
state.publish({"slide": widgets.slide_mode() or None})
with st.sidebar:
    widgets.talk_pack_button(
        page.title, "?" + "&".join(f"{k}={v}" for k in st.query_params for v in st.query_params.get_all(k))
    )
    deck_panel.sidebar()
