"""Issue 20, kind 1: text from outside reaches a rendered surface only through that surface's one guard.

The surfaces and their guards: Streamlit Markdown (`dashboard.markup.literal`), plotly text
(`dashboard.charts.escape`, walked in test_hostile_dashboard.py), deck text and chart data
(`exports.deck.deck_text` and its inert workbook writer), the terminal (`exports.tables.visible_controls`)
and CSV cells (`exports.tables.to_csv_text`). Each door-walk test reads the source (AST) and fails on a
call site that passes anything else; each fuzz test feeds the guard random text with Markdown, HTML,
formula leads and odd spaces (hypothesis; the budget is in docs/security.md).
"""

from __future__ import annotations

import ast
import csv
import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from pptx import Presentation

from dashboard.markup import label_literal, literal
from exports.deck import build_deck, deck_text
from exports.slides import Slide
from exports.tables import CONTROL_CHARACTERS, runs_as_formula, to_csv_text, visible_controls
from tests.hostile.hostile_helpers import ROOT, as_shown

TEXT_EXAMPLES = 300  # per property of a pure guard
PAGE_EXAMPLES = 4  # per page for the AppTest fuzz (each run loads a page: seconds, not milliseconds)

# Streamlit calls that render their first argument as Markdown.
MARKDOWN_CALLS = {
    "warning", "info", "error", "success", "markdown", "caption", "toast", "write", "title", "header", "subheader",
    "expander", "popover", "metric", "exception", "text_input", "text_area", "selectbox", "multiselect", "radio",
    "toggle", "checkbox", "button", "download_button", "number_input", "slider", "tabs",
}  # fmt: skip
STREAMLIT_GUARDS = {"literal", "label_literal"}
# Calls whose result is a number (or a count): safe inside an f-string.
NUMBER_CALLS = {"len", "int", "sum", "round", "min", "max"}

HOSTILE_PIECES = [
    "[Session expired: sign in again](https://evil.example/login)",
    "![x](https://evil.example/pixel.png)",
    "<a href='https://evil.example'>x</a>",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ `code` ~~s~~",
    "www.evil.example",
    "https://evil.example",
    "mail@evil.example",
    ":red[alarm] :material/warning: :smile:",
    "$x^2$",
    "# Heading",
    "Title\n===",
    "> quote",
    "1. item",
    "- item",
    "| a | b |\n|---|---|",
    "&lt;b&gt;",
    "[x]\u00a0(https://evil.example)",
    "[Session\u00a0expired](https://evil.example)",
    "\u200b[x](https://evil.example)",
    '=HYPERLINK("https://evil.example","x")',
    "\uff1d1+1",
    "\x1b]0;title\x07",
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE_PIECES),
    st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=20)), min_size=1, max_size=4).map(" ".join),
    st.text(max_size=60),
)
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])  # with raw HTML


def _rendered(markdown: str) -> str:
    return _MARKDOWN.render(markdown)


def _tags(rendered: str) -> set[str]:
    return set(re.findall(r"<\s*([A-Za-z][A-Za-z0-9-]*)", rendered))


# ---- Streamlit text ------------------------------------------------------------------------------------------


def _guarded(node: ast.expr) -> bool:
    """True when `node` is literal text, one of our UPPER_CASE constants, a guard's result, or built only of them."""
    if isinstance(node, ast.Constant):
        return node.value is None or isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        return name in STREAMLIT_GUARDS
    if isinstance(node, ast.JoinedStr):
        return all(_guarded_part(part) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _guarded(node.left) and _guarded(node.right)
    if isinstance(node, ast.IfExp):
        return _guarded(node.body) and _guarded(node.orelse)
    return False


def _guarded_part(part: ast.expr) -> bool:
    if isinstance(part, ast.Constant):
        return True
    assert isinstance(part, ast.FormattedValue)
    value = part.value
    if part.format_spec is not None:  # a number or a date formatted by us (`:,`, `:.0f`, `:%H:%M`)
        return True
    if isinstance(value, ast.Call) and getattr(value.func, "id", "") in NUMBER_CALLS:
        return True
    return _guarded(value)


def _markdown_calls() -> list[tuple[str, int, ast.Call]]:
    calls = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MARKDOWN_CALLS
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id in ("log", "logger", "logging"))
            ):
                calls.append((str(path.relative_to(ROOT)), node.lineno, node))
    return calls


def test_every_streamlit_text_call_goes_through_the_guard() -> None:
    calls = _markdown_calls()
    assert len(calls) > 50  # the walk sees the dashboard's call sites (59 when written)
    unguarded = []
    for path, line, call in calls:
        texts = ([call.args[0]] if call.args else []) + [k.value for k in call.keywords if k.arg in ("label", "help")]
        unguarded += [f"{path}:{line}: {ast.unparse(text)[:80]}" for text in texts if not _guarded(text)]
    assert unguarded == []


def test_the_door_walk_catches_an_unguarded_call() -> None:
    # The walk itself must be able to fail: an f-string echoing a value, a bare variable.
    assert not _guarded(ast.parse('f"Ignored {value}"', mode="eval").body)
    assert not _guarded(ast.parse("problem", mode="eval").body)
    assert _guarded(ast.parse('f"{len(rows)} rows of {literal(name)}"', mode="eval").body)


@given(text=HOSTILE_TEXT)
@settings(max_examples=TEXT_EXAMPLES, deadline=None)
def test_nothing_in_literal_text_becomes_markup(text: str) -> None:
    rendered = _rendered(literal(text))
    assert _tags(rendered) <= {"p", "br"}, rendered
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    # Every visible character of the input is shown as itself (odd spaces as spaces, invisible ones dropped).
    assert " ".join(shown.split()) == " ".join(as_shown(literal(text)).split())


@given(text=HOSTILE_TEXT)
@settings(max_examples=TEXT_EXAMPLES, deadline=None)
def test_nothing_in_a_metric_label_becomes_a_link_an_image_or_emphasis(text: str) -> None:
    rendered = _MARKDOWN.renderInline(label_literal(text))
    assert not _tags(rendered) & {"a", "img", "em", "strong", "code", "s", "del"}, rendered


def test_odd_spaces_cannot_hide_a_link() -> None:
    for text in ("[x]\u00a0(https://evil.example)", "[Session\u202fexpired](https://evil.example)"):
        assert "<a" not in _rendered(literal(text))
        assert "\u00a0" not in literal(text) and "\u202f" not in literal(text)


# ---- plotly text: the walk of every figure builder is test_hostile_dashboard.py; here, the catalog's charts


def test_catalog_charts_escape_their_labels() -> None:
    source = (ROOT / "dashboard" / "catalog_charts.py").read_text(encoding="utf-8")
    assert "escape(label)" in source


# ---- deck text and chart data ----------------------------------------------------------------------------------


def _slide(categories: list[str], text: str) -> Slide:
    import pandas as pd

    from exports.slides import Series

    return Slide(
        view="/surveys",
        kind="bar",
        title=text,
        subtitle=text,
        categories=categories,
        series=[Series(name=text or "share", values=[0.5] * len(categories))],
        number_format="0%",
        footer=text,
        table=pd.DataFrame({"answer": categories}),
        notes=[text],
    )


def _embedded_cells(deck: bytes) -> list:
    presentation = Presentation(io.BytesIO(deck))
    cells = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                book = load_workbook(io.BytesIO(shape.chart.part.chart_workbook.xlsx_part.blob))
                cells += [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
    return cells


FORMULAS = ['=HYPERLINK("https://evil.example","click")', "+1+1", "-1+1", "@SUM(A1)", "\uff1dSUM(A1)", "=1+1"]


def test_a_formula_in_a_survey_answer_stays_text_in_the_deck_chart_data() -> None:
    cells = _embedded_cells(build_deck([_slide(FORMULAS, '=HYPERLINK("https://evil.example")')]))
    assert cells
    assert all(cell.data_type != "f" for cell in cells)
    assert {cell.value for cell in cells} >= set(FORMULAS)


@given(categories=st.lists(HOSTILE_TEXT.filter(str.strip), min_size=1, max_size=4, unique=True), text=HOSTILE_TEXT)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_deck_text_becomes_a_formula_or_breaks_the_deck(categories: list[str], text: str) -> None:
    deck = build_deck([_slide(categories, text + "\ud800")])  # a lone surrogate failed the whole deck
    assert all(cell.data_type != "f" for cell in _embedded_cells(deck))
    package = zipfile.ZipFile(io.BytesIO(deck))
    xml = b"".join(package.read(name) for name in package.namelist() if name.endswith(".xml"))
    assert b"\x1b" not in xml


def test_every_deck_text_goes_through_deck_text() -> None:
    tree = ast.parse((ROOT / "exports" / "deck.py").read_text(encoding="utf-8"))
    unguarded = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Attribute) and target.attr in ("text", "categories") for target in node.targets
        ):
            if not isinstance(node.value, ast.Constant) and not _calls(node.value, "deck_text", "repr"):
                unguarded.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_series":
            if not _calls(node.args[0], "deck_text"):
                unguarded.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
    assert unguarded == []


def _calls(node: ast.expr, *names: str) -> bool:
    return any(isinstance(inner, ast.Call) and getattr(inner.func, "id", "") in names for inner in ast.walk(node))


@given(text=HOSTILE_TEXT)
@settings(max_examples=TEXT_EXAMPLES, deadline=None)
def test_deck_text_keeps_lines_and_shows_other_controls(text: str) -> None:
    shown = deck_text(text + "\ud800")
    assert not CONTROL_CHARACTERS.search(shown.replace("\n", ""))
    shown.encode("utf-8")  # no lone surrogate left


# ---- terminal and CSV -------------------------------------------------------------------------------------------

PRINT_GUARDS = {"visible_controls", "render", "say", "warn"}


def test_every_line_a_command_prints_goes_through_visible_controls() -> None:
    unguarded = []
    for path in sorted((ROOT / "cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print" and node.args:
                if not _printed_safely(node.args[0]):
                    unguarded.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    # `_print_table` prints `render(...)`'s text (a table shows controls as symbols; CSV and JSON keep data exact).
    assert [line.split(": ", 1)[1] for line in unguarded] == ["print(text, end='' if text.endswith('\\n') else '\\n')"]


def _printed_safely(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Call):
        return getattr(node.func, "id", "") in PRINT_GUARDS
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(part, ast.Constant) or part.format_spec is not None or _printed_safely(part.value)
            for part in node.values
        )
    return False


@given(text=HOSTILE_TEXT)
@settings(max_examples=TEXT_EXAMPLES, deadline=None)
def test_no_control_character_reaches_the_terminal(text: str) -> None:
    assert not CONTROL_CHARACTERS.search(visible_controls(text))


@given(cells=st.lists(HOSTILE_TEXT, min_size=1, max_size=5))
@settings(max_examples=TEXT_EXAMPLES, deadline=None)
def test_no_csv_cell_runs_as_a_formula(cells: list[str]) -> None:
    import pandas as pd

    frame = pd.DataFrame({"answer": cells, "count": range(len(cells))})
    text = to_csv_text(frame)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert all(not runs_as_formula(cell) for row in rows for cell in row)
    expected = [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in cells]
    assert [
        row[0][1:] if runs_as_formula(want) else row[0] for row, want in zip(rows[1:], expected, strict=True)
    ] == expected
    # A spreadsheet that ends a row at any CR or LF outside quotes still sees no formula at the start of a line.
    unquoted = re.sub(r'"(?:[^"]|"")*"', '""', text)
    assert not any(runs_as_formula(line) for line in re.split(r"[\r\n]", unquoted))


def test_import_history_shows_escape_codes_in_a_file_name(tmp_path: Path) -> None:
    from tests.hostile.hostile_helpers import HISTORY, run_module

    source = next(HISTORY.glob("*.csv"))
    hostile = tmp_path / "pulls\x1b]0;owned\x07\x1b[2J.csv"
    hostile.write_bytes(source.read_bytes())
    done = run_module(
        "collectors", "import-history", "--db", str(tmp_path / "a.db"), "--image", "library/x", str(hostile)
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    assert "pulls␛]0;owned␇␛[2J.csv" in done.stdout


# ---- every page's URL parameters ------------------------------------------------------------------------------

PAGES = ["overview", "pulls", "surveys", "upload", "catalog"]
PARAMS = ["pulls", "events", "image", "ns", "q", "survey", "search", "snapshot", "target", "slide", "measure", "by"]
PARAMS += ["net"]  # a net from a link: NAME=ANSWER|ANSWER


def _markdown_elements(at) -> list[str]:
    kinds = ("warning", "info", "error", "success", "caption", "markdown", "toast", "title", "header", "subheader")
    return [element.value for kind in kinds for element in at.get(kind) if isinstance(element.value, str)]


def _open_with(app, page: str, params: dict[str, str]):
    app.query_params.update(params)
    app.run()
    if page != "overview":
        app.switch_page(f"app_pages/{page}.py").run()
    return app


def _check_page(at, params: dict[str, str]) -> None:
    assert not at.exception, [element.value for element in at.exception]
    for markdown in _markdown_elements(at):
        assert not _tags(_rendered(markdown)) & {"a", "img", "script", "iframe", "span"}, markdown
    for notice in [*(toast.value for toast in at.toast), *(warning.value for warning in at.warning)]:
        for value in params.values():
            if len(value.strip()) > 3:
                assert value not in notice and value not in as_shown(notice)


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("catalog", {"pulls": "[Session expired: sign in again](https://evil.example/login)"}),
        ("pulls", {"events": "[Session\u00a0expired:\u00a0sign\u00a0in](https://evil.example)"}),
        ("pulls", {"events": "2024-01-01 ![x](https://evil.example/p.png)\nsoon [x](https://evil.example)"}),
        ("surveys", {"search": "<img src=x onerror=alert(1)>", "q": "[x](https://evil.example)"}),
    ],
)
def test_a_hostile_link_never_renders_a_link_or_echoes_its_value(app, page: str, params: dict[str, str]) -> None:
    at = _open_with(app, page, params)
    _check_page(at, params)
    if page == "catalog":  # the store holds the bundled catalog snapshot, so the threshold box is on the page
        assert any("link's pulls parameter" in as_shown(toast.value) for toast in at.toast)
        assert at.text_input(key="catalog_pulls").value == "10M"


@pytest.mark.timeout(600)
@pytest.mark.parametrize("page", PAGES)
@given(data=st.data())
@settings(max_examples=PAGE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_url_parameters_never_break_a_page_or_render_markup(page: str, data: st.DataObject) -> None:
    from streamlit.testing.v1 import AppTest

    names = data.draw(st.lists(st.sampled_from(PARAMS), min_size=1, max_size=4, unique=True))
    text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
    params = {name: data.draw(st.one_of(st.sampled_from(HOSTILE_PIECES), text)) for name in names}
    at = _open_with(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), page, params)
    _check_page(at, params)


@pytest.fixture(autouse=True)
def _page_environment(request, seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The random-parameter fuzz builds its own AppTest per example: give it the hostile store too."""
    if "random_url_parameters" not in request.node.name:
        return
    import shutil

    path = tmp_path / "fuzz.db"
    shutil.copy(seeded_store, path)
    monkeypatch.setenv("ADOPTION_DB", str(path))
    monkeypatch.delenv("ADOPTION_DB_URL", raising=False)
    monkeypatch.setenv("ADOPTION_ALLOW_COLLECT", "0")
