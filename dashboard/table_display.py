"""Tables as a person reads them: plain headers, numbers grouped, shares in percent, no column empty in every row.

Display only: the figures are analysis's, and every CSV download keeps them as they are. A table's
headers are a dict of column -> (header, format), in the order the columns are shown; a format is a
`st.column_config.NumberColumn` format, "percent" (a share, shown as 12.3%), "check", "link" or None (text).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

Headers = dict[str, tuple[str, str | None]]


def _empty_everywhere(column: pd.Series) -> bool:
    return bool(column.isna().all() or column.astype("string").fillna("").str.strip().eq("").all())


def shown_table(table: pd.DataFrame, headers: Headers) -> pd.DataFrame:
    """`table`'s columns named in `headers`, in that order, shares in percent, columns empty in every row left out."""
    columns = [column for column in headers if column in table]
    shown = table[columns].assign(
        **{
            column: (pd.to_numeric(table[column], errors="coerce") * 100).round(1)
            for column in columns
            if headers[column][1] == "percent"
        }
    )
    if shown.empty:
        return shown  # no rows: every header stays, so the table still says what it would list
    return shown[[column for column in columns if not _empty_everywhere(shown[column])]]


def column_config(shown: pd.DataFrame, headers: Headers) -> dict:
    """The plain header and number format of each column of a `shown_table`."""
    config = {}
    for column in shown.columns:
        label, number_format = headers.get(column, (column, None))
        if number_format is None:
            config[column] = st.column_config.TextColumn(label)
        elif number_format == "percent":
            config[column] = st.column_config.NumberColumn(label, format="%.1f%%")
        elif number_format == "check":
            config[column] = st.column_config.CheckboxColumn(label)
        elif number_format == "link":
            config[column] = st.column_config.LinkColumn(label)
        else:
            config[column] = st.column_config.NumberColumn(label, format=number_format)
    return config
