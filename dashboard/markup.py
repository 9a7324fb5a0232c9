"""The one guard for Streamlit text: outside words shown as words, never as Markdown, HTML or a link.

Streamlit renders Markdown (with HTML, GitHub autolinks, `:color[...]` and `:emoji:` directives and LaTeX)
in st.markdown/caption/info/warning/error/success/toast, titles, headers, widget labels and help. Every
piece of text from outside (a file, the store, a link's parameter, an error quoting either) goes through
`literal` before it reaches one of them; `tests/hostile/test_hostile_text.py` walks every call site.
Plotly text has its own guard (`dashboard.charts.escape`): plotly draws HTML, not Markdown.
"""

from __future__ import annotations

import re

# Every character that starts Markdown or HTML syntax, a Streamlit directive (`:red[...]`, `:material/x:`),
# LaTeX (`$`), a setext heading (`===`), an entity (`&`) or an autolink (`www.x.com`, `a@b.io`, `http://`).
_MARKDOWN_SPECIALS = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]()<>#+-.!|~:$&=@\"'^"})
# A metric's label renders links (also bare www. ones), images, emphasis and code: these characters stop each.
_LABEL_SPECIALS = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]()<>!~$."})
# Characters that look like nothing or like a space (no-break, zero-width, bidirectional controls, C0/C1 controls
# other than tab and newline): read as a plain space, or dropped, so no word can hide a link or reorder a line.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def plain_text(text: object) -> str:
    """Return `text` with odd spaces made plain spaces and invisible characters dropped (no escaping)."""
    return _INVISIBLE.sub("", _ODD_SPACES.sub(" ", str(text)))


def literal(text: object) -> str:
    """Return `text` with Markdown and HTML syntax escaped, so outside words are shown, never interpreted."""
    # A line indented by a tab or four spaces would be a code block: indentation is not the words.
    lines = plain_text(text).split("\n")
    return "\n".join(line.lstrip(" \t") for line in lines).translate(_MARKDOWN_SPECIALS)


def label_literal(text: object) -> str:
    """Return `text` escaped for a metric's label, which renders a smaller set of Markdown than body text."""
    return plain_text(text).translate(_LABEL_SPECIALS)
