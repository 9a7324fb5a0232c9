"""A PowerPoint deck from slides (`exports.slides.Slide`): one native, editable chart per slide.

Each slide: a short title, the full question under it, the chart (its numbers travel inside it, so
PowerPoint, Keynote, Google Slides or LibreOffice can restyle it), a footer with source, base, n and
date, and speaker notes with the sentences to quote and the command that prints the figures again.
Text boxes are sized from their text, so nothing runs past the slide.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from exports.slides import Slide, whole_words
from exports.tables import visible_controls

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
TITLE_PT, SUBTITLE_PT, FOOTER_PT, TICK_PT = 28, 14, 10, 12
FIGURE_PT, SENTENCE_PT = 96, 24  # a big-number slide: the figure, and the sentence that says what it counts
FOOTER_SEPARATOR = " · "
C15 = "http://schemas.microsoft.com/office/drawing/2012/chart"
LEADER_LINES_EXT = "{CE6537A1-D6FC-4f65-9D91-7224C49458BB}"
PARTIAL_NAME = "partial period (dashed)"  # the series drawing a line's partial periods, named once in the legend
PLOT_LEFT, PLOT_WIDTH = 0.09, 0.68  # of a chart's width: the plot of charts that share a time axis
SPREADSHEET_EPOCH = date(1899, 12, 30)
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
NON_BREAKING_HYPHEN = "\u2011"  # a date's hyphens: a line never breaks inside "2026-08-08"
LABEL_GAP = 0.012  # of the chart's width: the space between a whisker's end and the data label beyond it
CHAR_EM = 0.56  # a sans-serif character's mean width in ems, on the wide side, to size text boxes
LINE_EM = 1.25
MAX_SUBTITLE_LINES = 4
PALETTE = ("0072B2", "E69F00", "009E73", "D55E00", "CC79A7", "56B4E9", "F0E442", "000000")  # Okabe & Ito
CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "clustered": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "dates": XL_CHART_TYPE.LINE,
}


def _per_line(points: float, width: int) -> int:
    return max(int(Emu(width).pt / (points * CHAR_EM)), 8)


def text_lines(text: str, points: float, width: int) -> int:
    """How many lines `text` takes at `points` in a box `width` EMU wide (word wrap, a generous estimate)."""
    per_line = _per_line(points, width)
    lines, line = 0, 0
    for paragraph in text.split("\n"):
        lines, line = lines + 1, 0
        for word in paragraph.split(" "):
            if line and line + 1 + len(word) > per_line:
                lines, line = lines + 1, len(word)
            else:
                line += len(word) + (1 if line else 0)
            lines += max(0, math.ceil(len(word) / per_line) - 1)
    return lines


def unbroken_dates(text: str) -> str:
    """`text` with the hyphens of its ISO dates made non-breaking, so no line ends inside a date."""
    return _DATE.sub(lambda day: NON_BREAKING_HYPHEN.join(day.groups()), text)


def _box_height(text: str, points: float, width: int) -> int:
    return int(Pt(text_lines(text, points, width) * points * LINE_EM)) + int(Inches(0.1))


def _text_box(slide, text: str, top: int, points: float, bold: bool = False, grey: bool = False) -> int:
    """A text box across the slide at `top`, as tall as its text needs; returns its bottom."""
    width = WIDTH - 2 * MARGIN
    height = _box_height(text, points, width)
    box = slide.shapes.add_textbox(MARGIN, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Inches(0.02)
    frame.text = deck_text(unbroken_dates(text))
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(points)
            run.font.bold = bold
            run.font.color.rgb = RGBColor.from_string("444444" if grey else "000000")
    return top + height


def footer_lines(footer: str, points: float, width: int | None = None) -> str:
    """The footer with its lines broken only between its " · " parts, so no part (a date, "n = 1,300") is split."""
    width = WIDTH - 2 * MARGIN if width is None else width
    lines: list[str] = []
    for part in footer.split(FOOTER_SEPARATOR):
        joined = f"{lines[-1]}{FOOTER_SEPARATOR}{part}" if lines else part
        if lines and text_lines(joined, points, width) == 1:
            lines[-1] = joined
        else:
            lines.append(part)
    return "\n".join(lines)


def _fitted(text: str, points: float, max_lines: int) -> tuple[str, float]:
    """`text` and a type size at which it takes at most `max_lines` (smaller type, then whole words kept)."""
    width = WIDTH - 2 * MARGIN
    for size in (points, points - 2, points - 4):
        if text_lines(text, size, width) <= max_lines:
            return text, size
    size = points - 4
    # No more than the box's characters can show: cutting there first keeps the steps below (each as long
    # as the text kept) few whatever the text's length; a 30,000-word question took over 120 s.
    limit = min(len(text), _per_line(size, width) * max_lines)
    if limit < len(text):
        text = whole_words(text, limit) + " (in full in the notes)"
    while limit > 40 and text_lines(text, size, width) > max_lines:
        limit -= 40
        text = whole_words(text, limit) + " (in full in the notes)"
    return text, size


def deck_text(value: object) -> object:
    """Return text bound for a slide, its notes or its chart data as it may be written: controls shown, no surrogate.

    The one guard for deck text (titles, question, footer, notes, categories, series names); other values pass.
    python-pptx would fail the whole deck on a lone surrogate, and carry an ESC into the slide.
    """
    if not isinstance(value, str):
        return value
    # Line breaks are the notes' own layout: kept; every other control is shown as a symbol.
    return "\n".join(visible_controls(line) for line in _SURROGATE.sub("\ufffd", value).split("\n"))


_SURROGATE = re.compile("[\ud800-\udfff]")


class _InertWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's writer of a chart's embedded workbook, writing every text as text, never a formula or link.

    XlsxWriter, which python-pptx 1.0.2 uses, turns a string starting with `=` into a formula and one that
    looks like a URL into a hyperlink by default: a survey answer `=HYPERLINK(...)` would run in the chart's
    data sheet. The cell keeps the exact words, so the slide's axis shows them as they are.
    """

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple]:
        from xlsxwriter import Workbook

        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class InertChartData(CategoryChartData):
    """Category chart data whose embedded workbook holds text as text (see `_InertWorkbookWriter`)."""

    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _InertWorkbookWriter(self)


def drawn_series(slide_data: Slide) -> list[tuple[str, list[float | None], int | None]]:
    """The series the chart draws: (name, values, the line it continues, or None for a line of its own).

    A line's partial periods are drawn by a series of their own (dashed, hollow diamonds) that holds each
    partial point and its neighbours, and the line itself stops short of them: a dash style set point by
    point is ignored by LibreOffice, which drew the partial month's fall as an ordinary solid segment.
    Continuations come after the lines and before the flagged points, which stay the last series.
    """
    series = list(slide_data.series)
    flagged = [series.pop()] if slide_data.flagged_series and series else []
    lines: list[tuple[str, list[float | None], int | None]] = []
    continuations: list[tuple[str, list[float | None], int | None]] = []
    for index, line in enumerate(series):
        positions = slide_data.partial_points[index] if index < len(slide_data.partial_points) else []
        values = list(line.values)
        if not positions:
            lines.append((line.name, values, None))
            continue
        near = {p + step for p in positions for step in (-1, 0, 1) if 0 <= p + step < len(values)}
        lines.append((line.name, [None if p in positions else v for p, v in enumerate(values)], None))
        continuations.append((PARTIAL_NAME, [v if p in near else None for p, v in enumerate(values)], index))
    return lines + continuations + [(item.name, list(item.values), None) for item in flagged]


def _chart_data(slide_data: Slide) -> CategoryChartData:
    data = InertChartData(number_format=slide_data.number_format)
    data.categories = [deck_text(category) for category in slide_data.categories]
    for name, values, _ in drawn_series(slide_data):
        data.add_series(deck_text(name), values)
    return data


def _style_chart(chart, slide_data: Slide, height: int, stacked: bool = False) -> None:
    chart.font.size = Pt(TICK_PT)
    chart.has_title = False  # the slide's own title says it; a chart title would repeat a series name
    drawn = drawn_series(slide_data)
    many = len(drawn) > 1
    chart.has_legend = many
    if many:
        beside = slide_data.kind == "dates" or slide_data.date_span
        chart.legend.position = XL_LEGEND_POSITION.RIGHT if beside else XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(TICK_PT)
    for position, (series, (_, _, continues)) in enumerate(zip(chart.plots[0].series, drawn, strict=True)):
        colour = RGBColor.from_string(PALETTE[(position if continues is None else continues) % len(PALETTE)])
        if slide_data.kind in ("line", "dates"):
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.5)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
        if continues is not None:
            mark_partial(series, colour, slide_data.partial_points[continues])
    _one_legend_entry(chart, [index for index, item in enumerate(drawn) if item[2] is not None])
    values = chart.value_axis
    values.tick_labels.number_format = slide_data.number_format
    values.tick_labels.number_format_is_linked = False
    values.has_major_gridlines = True
    if slide_data.number_format.endswith("%"):
        values.minimum_scale = 0.0
        values.maximum_scale = 1.0
    if slide_data.kind == "dates" or slide_data.date_span:
        _date_axis(chart.category_axis, slide_data.categories, slide_data.date_span)
    if slide_data.date_span and stacked:
        _shared_plot_area(chart, height)
    if slide_data.kind == "bar":
        chart.category_axis.reverse_order = True  # the first answer at the top, as in the dashboard
    if slide_data.kind in ("bar", "line", "clustered") and not many:
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = slide_data.number_format
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(TICK_PT)
        if slide_data.kind == "bar":
            plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END  # a short bar's label beside it, not inside
        if slide_data.kind == "bar" and slide_data.intervals:
            _labels_beyond_whiskers(plot.series[0], slide_data)
            _no_leader_lines(plot)
        if slide_data.kind == "line" and slide_data.intervals:
            _labels_above_whiskers(plot.series[0], slide_data, height)
            _no_leader_lines(plot)
    if slide_data.flagged_series:
        _markers_only(chart.plots[0].series[-1])
    if slide_data.log_scale:
        scaling = values._element.find(qn("c:scaling"))
        scaling.insert(0, etree.SubElement(scaling, qn("c:logBase"), val="10"))
        values.minimum_scale = None
    if slide_data.intervals:
        for series, (low, high) in zip(chart.plots[0].series, slide_data.intervals, strict=True):
            add_error_bars(series, low, high)


def mark_partial(series, colour: RGBColor, positions: Sequence[int]) -> None:
    """Draw a line's partial-period series dashed, a hollow diamond on each partial period (`positions`)."""
    series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    series.format.line.color.rgb = colour
    series.format.line.width = Pt(2.5)
    series.marker.style = XL_MARKER_STYLE.DIAMOND
    series.marker.size = 11
    series.marker.format.fill.background()  # hollow, as the page draws it
    series.marker.format.line.color.rgb = colour
    series.marker.format.line.width = Pt(2)
    for position, value in enumerate(series.values):
        if value is not None and position not in positions:
            series.points[position].marker.style = XL_MARKER_STYLE.NONE  # a whole period the dash only reaches


def _one_legend_entry(chart, indexes: Sequence[int]) -> None:
    """Keep one legend entry of the partial-period series (they share a name): the dashed diamond says it once."""
    if not chart.has_legend or len(indexes) < 2:
        return
    legend = chart.legend._element
    for index in indexes[1:]:
        entry = etree.Element(qn("c:legendEntry"))
        etree.SubElement(entry, qn("c:idx"), val=str(index))
        etree.SubElement(entry, qn("c:delete"), val="1")
        legend.find(qn("c:legendPos")).addnext(entry)


def _labels_beyond_whiskers(series, slide_data: Slide) -> None:
    """Move each bar's data label past the end of its whisker, so the whisker never strikes the number through.

    A label's manual layout is an offset from its place at the bar's end, as a fraction of the chart's
    width: the whisker's length on a 0..1 axis times the plot's share of that width, and a small gap.
    """
    longest = max((len(str(category)) for category in slide_data.categories), default=0)
    chart_pt = Emu(WIDTH - 2 * MARGIN).pt
    plot_share = min(max(1 - (longest * TICK_PT * CHAR_EM + 20) / chart_pt, 0.4), 0.95)
    low, high = slide_data.intervals[0]
    for index, (value, top) in enumerate(zip(slide_data.series[0].values, high, strict=True)):
        if value is None:
            continue
        label = series.points[index].data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        _manual_offset(label, max(top - value, 0.0) * plot_share + LABEL_GAP, 0.0)


def _plot_box(height: int) -> tuple[float, float, float, float]:
    """Where a chart sharing a time axis draws its plot: (x, y, width, height) as fractions of the chart.

    The same left edge and width in every such chart, whatever its tick labels or legend, so one day sits at
    the same place across stacked charts; room on the left for "35,000,000", on the right for the legend.
    """
    chart_pt = Emu(height).pt
    top = 8 / chart_pt
    bottom = (TICK_PT * LINE_EM + 14) / chart_pt  # the date labels under the plot
    return PLOT_LEFT, top, PLOT_WIDTH, max(1 - top - bottom, 0.3)


def _shared_plot_area(chart, height: int) -> None:
    """Fix the plot's inner box (the axes' rectangle) to `_plot_box`, so stacked charts' time axes line up."""
    x, y, w, h = _plot_box(height)
    plot_area = chart._chartSpace.chart.plotArea
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = etree.Element(qn("c:layout"))
        plot_area.insert(0, layout)
    layout.clear()
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    for tag, value in (("layoutTarget", "inner"), ("xMode", "edge"), ("yMode", "edge")):
        etree.SubElement(manual, qn(f"c:{tag}"), val=value)
    for tag, value in (("x", x), ("y", y), ("w", w), ("h", h)):
        etree.SubElement(manual, qn(f"c:{tag}"), val=f"{value:.4f}")


def _labels_above_whiskers(series, slide_data: Slide, height: int) -> None:
    """Move each point's data label above the top of its whisker, so the whisker never strikes the number through.

    The offset is a fraction of the chart's height: the whisker's length on the 0..1 axis times the plot's
    share of that height, and a small gap.
    """
    plot_share = _plot_box(height)[3]
    low, high = slide_data.intervals[0]
    for index, (value, top) in enumerate(zip(slide_data.series[0].values, high, strict=True)):
        if value is None:
            continue
        label = series.points[index].data_label
        label.position = XL_LABEL_POSITION.ABOVE
        if index < len(slide_data.point_names):
            # Custom text replaces the value, so the value is written into it; one line, unwrapped (LibreOffice
            # wraps a custom label narrower than "1H 2020: 3%" unless told not to).
            shown = f"{value:.0%}" if slide_data.number_format.endswith("%") else f"{value:,.0f}"
            label.text_frame.text = deck_text(f"{slide_data.point_names[index]}: {shown}")
            label.text_frame.word_wrap = False
            label.font.size = Pt(TICK_PT)
        _manual_offset(label, 0.0, -(max(top - value, 0.0) * plot_share + LABEL_GAP))


def _manual_offset(label, x: float, y: float) -> None:
    """Offset a data label from its place by (`x`, `y`), fractions of the chart's width and height."""
    element = label._dLbl
    layout = element.find(qn("c:layout"))
    if layout is None:
        layout = etree.Element(qn("c:layout"))
        element.find(qn("c:idx")).addnext(layout)
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    etree.SubElement(manual, qn("c:x"), val=f"{x:.4f}")
    etree.SubElement(manual, qn("c:y"), val=f"{y:.4f}")


def _no_leader_lines(plot) -> None:
    """No leader line from a whisker's end to its moved label (LibreOffice draws one): it reads as a longer whisker."""
    for labels in plot._element.iter(qn("c:dLbls")):
        shown = labels.find(qn("c:showLeaderLines"))
        if shown is not None:
            shown.set("val", "0")
        # Office 2012's own switch for labels moved by hand, which LibreOffice reads (a c:ext, last in c:dLbls).
        ext = etree.SubElement(etree.SubElement(labels, qn("c:extLst")), qn("c:ext"), uri=LEADER_LINES_EXT)
        etree.SubElement(ext, f"{{{C15}}}showLeaderLines", nsmap={"c15": C15}).set("val", "0")


def _markers_only(series) -> None:
    """Draw a series as markers without a line: flagged points, shown as flagged rather than as data."""
    series.format.line.fill.background()
    series.marker.style = XL_MARKER_STYLE.X
    series.marker.size = 11
    series.marker.format.line.color.rgb = RGBColor.from_string("000000")
    series.marker.format.line.width = Pt(2)


def spreadsheet_day(day: date) -> int:
    """A date as a chart stores it: days since 1899-12-30 (the spreadsheet epoch, its 1900 leap day included)."""
    return (day - SPREADSHEET_EPOCH).days


def _date_axis(axis, days: Sequence, span: tuple | None = None) -> None:
    """Dates labelled by month and year, about eight labels along the axis, never rotated into a crowd.

    With a `span` (first day, last day) the axis runs exactly over it, so charts given the same span line up.
    """
    axis.tick_labels.number_format = "mmm yyyy"
    axis.tick_labels.number_format_is_linked = False
    first, last = span if span else (days[0], days[-1]) if days else (None, None)
    months = max(1, round(((last - first).days / 30.4) / 8)) if first is not None and last > first else 1
    if span:
        # A shared axis starts on a 1 January: a step that divides a year labels every year at the same month.
        months = next((step for step in (1, 2, 3, 6, 12, 24, 60) if step >= months), months)
        axis.minimum_scale, axis.maximum_scale = spreadsheet_day(first), spreadsheet_day(last)
    element = axis._element
    for tag, value in (("c:baseTimeUnit", "days"), ("c:majorUnit", str(months)), ("c:majorTimeUnit", "months")):
        found = element.find(qn(tag))
        if found is None:
            found = etree.SubElement(element, qn(tag))
        found.set("val", value)
    _reorder_date_axis(element)
    body = element.find(qn("c:txPr"))
    if body is not None:
        body.find(qn("a:bodyPr")).set("rot", "0")


def _reorder_date_axis(element) -> None:
    """Put c:dateAx children in the order the schema asks (PowerPoint refuses a file that does not)."""
    order = [
        "c:axId", "c:scaling", "c:delete", "c:axPos", "c:majorGridlines", "c:minorGridlines", "c:title",
        "c:numFmt", "c:majorTickMark", "c:minorTickMark", "c:tickLblPos", "c:spPr", "c:txPr", "c:crossAx",
        "c:crosses", "c:crossesAt", "c:auto", "c:lblOffset", "c:baseTimeUnit", "c:majorUnit",
        "c:majorTimeUnit", "c:minorUnit", "c:minorTimeUnit", "c:extLst",
    ]  # fmt: skip
    rank = {qn(tag): position for position, tag in enumerate(order)}
    children = sorted(element, key=lambda child: rank.get(child.tag, len(order)))
    for child in children:
        element.append(child)


def _number_list(tag: str, values: Sequence[float]) -> etree._Element:
    holder = etree.Element(qn(tag))
    literal = etree.SubElement(holder, qn("c:numLit"))
    etree.SubElement(literal, qn("c:formatCode")).text = "General"
    etree.SubElement(literal, qn("c:ptCount"), val=str(len(values)))
    for index, value in enumerate(values):
        point = etree.SubElement(literal, qn("c:pt"), idx=str(index))
        etree.SubElement(point, qn("c:v")).text = repr(max(float(value), 0.0))
    return holder


def add_error_bars(series, low: Sequence[float], high: Sequence[float]) -> None:
    """Whiskers from `low` to `high` on each point of `series`, their values kept in the chart (c:numLit)."""
    values = list(series.values)
    bars = etree.Element(qn("c:errBars"))
    etree.SubElement(bars, qn("c:errBarType"), val="both")
    etree.SubElement(bars, qn("c:errValType"), val="cust")
    etree.SubElement(bars, qn("c:noEndCap"), val="0")
    bars.append(_number_list("c:plus", [h - v if v is not None else 0.0 for h, v in zip(high, values, strict=True)]))
    bars.append(_number_list("c:minus", [v - lo if v is not None else 0.0 for lo, v in zip(low, values, strict=True)]))
    line = etree.SubElement(etree.SubElement(bars, qn("c:spPr")), qn("a:ln"), w="15875")
    etree.SubElement(etree.SubElement(line, qn("a:solidFill")), qn("a:srgbClr"), val="000000")
    series._element.find(qn("c:cat")).addprevious(bars)


def notes_text(slide_data: Slide) -> str:
    """The speaker notes: the full sentence, the short one, the full question, notes, the command and the view."""
    lines = []
    if slide_data.sentence:
        lines += [f"Quote: {slide_data.sentence}"]
    if slide_data.short:
        lines += [f"Short quote: {slide_data.short}"]
    lines += [f"Shown: {slide_data.subtitle}", *slide_data.notes, f"Footer: {slide_data.footer}"]
    if slide_data.command:
        lines.append(f"Reproduce: {slide_data.command}")
    lines.append(f"View: {slide_data.view}")
    return "\n".join(lines)


def _number_body(slide, slide_data: Slide, top: int, bottom: int) -> None:
    """A big-number slide's body: the figure, large, and under it the sentence that says what it counts."""
    figure = _text_box(slide, slide_data.figure, top + Inches(0.3), FIGURE_PT, bold=True)
    for run in slide.shapes[-1].text_frame.paragraphs[0].runs:
        run.font.color.rgb = RGBColor.from_string(PALETTE[0])
    sentence, sentence_pt = _fitted(slide_data.sentence, SENTENCE_PT, 4)
    _text_box(slide, sentence, min(figure + Inches(0.2), bottom), sentence_pt)


def add_slide(deck, slide_data: Slide) -> None:
    """Add one slide: title, full question, native chart (or a big figure and its sentence), footer, notes."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    title, title_pt = _fitted(slide_data.title, TITLE_PT, 2)
    bottom = _text_box(slide, title, Inches(0.3), title_pt, bold=True)
    subtitle, subtitle_pt = _fitted(slide_data.subtitle, SUBTITLE_PT, MAX_SUBTITLE_LINES)
    bottom = _text_box(slide, subtitle, bottom + Inches(0.05), subtitle_pt, grey=True)
    footer, footer_pt = _fitted(slide_data.footer, FOOTER_PT, 3)
    footer = footer_lines(footer, footer_pt)
    footer_top = HEIGHT - Inches(0.2) - _box_height(footer, footer_pt, WIDTH - 2 * MARGIN)
    _text_box(slide, footer, footer_top, footer_pt, grey=True)
    top = bottom + Inches(0.1)
    slide.notes_slide.notes_text_frame.text = deck_text(notes_text(slide_data))
    if slide_data.kind == "number":
        _number_body(slide, slide_data, top, footer_top)
        return
    height = footer_top - Inches(0.1) - top
    charts = [slide_data] if slide_data.panel is None else [slide_data, slide_data.panel]
    # Panels stacked, each its own native chart: two y axes on one chart would invite a false comparison.
    each = int(height / len(charts))
    for position, chart_data in enumerate(charts):
        frame = slide.shapes.add_chart(
            CHART_TYPES[chart_data.kind],
            MARGIN,
            top + position * each,
            WIDTH - 2 * MARGIN,
            each,
            _chart_data(chart_data),
        )
        _style_chart(frame.chart, chart_data, each, stacked=len(charts) > 1)


def build_deck(slides: Sequence[Slide]) -> bytes:
    """Return the .pptx bytes of a 16:9 deck with one slide per item of `slides`."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    for slide_data in slides:
        add_slide(deck, slide_data)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
