"""Adoption statistics dashboard: `streamlit run app.py`.

`streamlit run` finds `app` below and serves this file to every browser session. Before the first
visitor comes, the server loads what each page's default view needs (dashboard/warmup.py), so the
first visit does not pay for imports and data loading; $ADOPTION_WARM_UP=0 turns that off.
"""

import streamlit as st

if __name__ == "__main__":  # a browser session's run of this script (also how AppTest runs it)
    from dashboard import navigation

    navigation.run()
else:  # imported by the server that `streamlit run app.py` starts
    from dashboard import warmup

    app = st.App(__file__, lifespan=warmup.lifespan)
