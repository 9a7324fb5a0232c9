"""Shareable views: widget state seeded from, and written back to, the page's query parameters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

TRUE_WORDS = ("1", "true", "yes", "on")


def seed_text(key: str, param: str, fallback: str, allowed: Iterable[str] | None = None) -> None:
    """Give widget `key` its first value from query parameter `param`, else `fallback`."""
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    choices = None if allowed is None else list(allowed)
    st.session_state[key] = raw if raw is not None and (choices is None or raw in choices) else fallback


def seed_list(key: str, param: str, fallback: list[str], allowed: Iterable[str] | None = None) -> None:
    """Give multiselect `key` its first value from repeated query parameter `param`, else `fallback`."""
    if key in st.session_state:
        return
    raw = st.query_params.get_all(param)
    choices = None if allowed is None else set(allowed)
    picked = [value for value in raw if choices is None or value in choices]
    st.session_state[key] = picked or fallback


def seed_flag(key: str, param: str, fallback: bool) -> None:
    """Give toggle `key` its first value from query parameter `param` (1/0), else `fallback`."""
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    st.session_state[key] = fallback if raw is None else raw.lower() in TRUE_WORDS


def seed_number(key: str, param: str, fallback: int, parse: Callable[[str], Any] = int) -> None:
    """Give number input `key` its first value from query parameter `param`, else `fallback`."""
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    try:
        st.session_state[key] = fallback if raw is None else parse(raw)
    except ValueError:
        st.session_state[key] = fallback


def publish(values: dict[str, Any]) -> None:
    """Write `values` into the URL so that a copied link opens this view; empty values are removed."""
    for param, value in values.items():
        if value is None or value == "" or value == []:
            if param in st.query_params:
                del st.query_params[param]
            continue
        if isinstance(value, bool):
            value = "1" if value else "0"
        if isinstance(value, list | tuple):
            wanted = [str(item) for item in value]
            if st.query_params.get_all(param) != wanted:
                st.query_params[param] = wanted
        elif st.query_params.get(param) != str(value):
            st.query_params[param] = str(value)
