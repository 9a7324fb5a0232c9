"""Shareable views: widget state seeded from, and written back to, the page's query parameters.

A link is text anyone can write. Every query parameter goes through `read_param` (or `read_list`): it
is parsed with bounds (length, range, the choices on offer), and a bad one is ignored with a short
notice that names the parameter, never echoes its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

import streamlit as st

from dashboard.markup import literal

Value = TypeVar("Value")

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
MAX_TEXT_CHARS = 2000  # a free-text parameter (events, search) longer than this is ignored
MAX_CHOICE_CHARS = 300  # a parameter naming a choice (an image, a question) is never longer
MAX_LIST_ITEMS = 50  # values of one repeated parameter (images) taken from a link
MAX_NUMBER = 10**13  # past any Docker Hub pull count (library images are near 10**10)
NOTICES_KEY = "_query_notices"
# C0 controls and DEL, except tab and newline: a link has no business putting them in a text box.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class BadParam(ValueError):
    """A query parameter that cannot be used: its reason is shown, its value never is."""


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """Return a parser of a whole number from `low` to `high`, raising BadParam otherwise."""

    def parse(raw: str) -> int:
        text = raw.strip().replace("_", "").replace(",", "")
        if not re.fullmatch(r"[+-]?[0-9]{1,30}", text) or not low <= int(text) <= high:
            raise BadParam(f"not a whole number from {low:,} to {high:,}")
        return int(text)

    return parse


def text(raw: str) -> str:
    """Parse free text: control characters (other than tab and newline) removed."""
    return _CONTROLS.sub("", raw)


def flag(raw: str) -> bool:
    """Parse an on/off parameter: 1/0, true/false, yes/no, on/off."""
    word = raw.strip().lower()
    if word not in TRUE_WORDS + FALSE_WORDS:
        raise BadParam("not 1 or 0")
    return word in TRUE_WORDS


def _notice(param: str, reason: str) -> None:
    shown = st.session_state.setdefault(NOTICES_KEY, set())
    if param in shown:
        return
    shown.add(param)
    # Only the parameter's name (one of ours) and our reason are shown: the value came from whoever wrote the link.
    st.toast(literal(f"Ignored the link's {param} parameter: {reason}."), icon=":material/link_off:")


def read_param(
    param: str,
    parse: Callable[[str], Value] = text,
    allowed: Collection[Any] | None = None,
    max_chars: int = MAX_CHOICE_CHARS,
) -> Value | None:
    """Return query parameter `param` parsed, or None when it is absent or bad (a bad one gets a notice)."""
    raw = st.query_params.get(param)
    if raw is None:
        return None
    try:
        if len(raw) > max_chars:
            raise BadParam(f"longer than {max_chars:,} characters")
        value = parse(raw)
        if allowed is not None and value not in allowed:
            raise BadParam("not one of the choices on this page")
    except (ValueError, OverflowError) as error:
        _notice(param, str(error) if isinstance(error, BadParam) else "not readable")
        return None
    return value


def read_list(param: str, allowed: Collection[str] | None = None, max_items: int = MAX_LIST_ITEMS) -> list[str]:
    """Return the values of repeated query parameter `param` that are on offer (at most `max_items`)."""
    raw = st.query_params.get_all(param)
    picked = [text(value) for value in raw if len(value) <= MAX_CHOICE_CHARS]
    picked = [value for value in picked if allowed is None or value in allowed]
    if len(picked) < len(raw):
        _notice(param, f"{len(raw) - len(picked)} of its values are not on offer here")
    if len(picked) > max_items:
        _notice(param, f"only its first {max_items} values are used")
    return list(dict.fromkeys(picked))[:max_items]


def seed_text(key: str, param: str, fallback: str, allowed: Iterable[str] | None = None) -> None:
    """Give widget `key` its first value from query parameter `param`, else `fallback`."""
    if key in st.session_state:
        return
    if allowed is None:
        value = read_param(param, text, max_chars=MAX_TEXT_CHARS)
    else:
        value = read_param(param, text, allowed=set(allowed))
    st.session_state[key] = fallback if value is None else value


def seed_list(key: str, param: str, fallback: list[str], allowed: Iterable[str] | None = None) -> None:
    """Give multiselect `key` its first value from repeated query parameter `param`, else `fallback`."""
    if key in st.session_state:
        return
    st.session_state[key] = read_list(param, None if allowed is None else set(allowed)) or fallback


def seed_flag(key: str, param: str, fallback: bool) -> None:
    """Give toggle `key` its first value from query parameter `param` (1/0), else `fallback`."""
    if key in st.session_state:
        return
    value = read_param(param, flag)
    st.session_state[key] = fallback if value is None else value


def seed_number(key: str, param: str, fallback: int, low: int = 0, high: int = MAX_NUMBER) -> None:
    """Give number input `key` its first value from query parameter `param` (a whole number in bounds)."""
    if key in st.session_state:
        return
    value = read_param(param, whole_number(low, high))
    st.session_state[key] = fallback if value is None else value


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
