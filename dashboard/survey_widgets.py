"""What the survey pages share on screen: the command that prints a figure again."""

from __future__ import annotations

import streamlit as st


def reproduce(command: str | None, why_not: str = "") -> None:
    """A small "Reproduce" expander holding the `python -m analysis` command that prints the figure above it."""
    with st.expander("Reproduce", icon=":material/terminal:"):
        if command:
            st.caption("Run from the project folder; it prints the same number.")
            st.code(command, language="bash", wrap_lines=True)
        else:
            st.caption(why_not or "No single command prints this figure.")
