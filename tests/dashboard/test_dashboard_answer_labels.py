"""Answer labels beside and under survey bars wrap between words: no answer is cut, and each line stays short."""

from __future__ import annotations

import pandas as pd

from dashboard import charts

LONG = (
    "Our organization runs containers in production for customer-facing services and internal tools "
    "across several regions"
)


def _shares(answers: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "answer": answers,
            "count": [30, 10],
            "base": [40, 40],
            "share": [0.75, 0.25],
            "ci_low": [0.6, 0.14],
            "ci_high": [0.86, 0.4],
        }
    )


def _words(label: str) -> list[str]:
    return label.replace("<br>", " ").split()


def test_a_long_answer_beside_its_bar_wraps_whole_words() -> None:
    figure = charts.share_bars(_shares([LONG, "No"]), "Title", "Source: x · Data as of y", "Base: answered")
    labels = list(figure.data[0].y)
    wrapped = next(label for label in labels if "<br>" in label)
    assert _words(wrapped) == LONG.split()  # every word, none cut, no ellipsis
    assert "…" not in wrapped
    assert all(len(line) <= charts.ANSWER_WIDTH for line in wrapped.split("<br>"))


def test_many_wrapped_answers_make_the_chart_tall_enough_for_every_line() -> None:
    answers = [f"{number} {LONG}" for number in range(12)]
    rows = pd.DataFrame({"answer": answers, "count": 1, "base": 12, "share": 1 / 12, "ci_low": 0.01, "ci_high": 0.3})
    figure = charts.share_bars(rows, "Title", "Source: x · Data as of y", "Base: answered")
    lines = sum(label.count("<br>") + 1 for label in figure.data[0].y)
    plot = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b
    assert lines > 24 and plot >= lines * charts.sizes(False)["font"] * 1.3


def test_a_long_answer_under_grouped_bars_wraps_whole_words() -> None:
    rows = _shares([LONG, "No"]).assign(segment="All", small_base=False)
    figure = charts.grouped_share_bars(rows, "Title", "Source: x · Data as of y", "Base: answered")
    wrapped = figure.data[0].x[0]
    assert _words(wrapped) == LONG.split() and "…" not in wrapped
    assert all(len(line) <= charts.COLUMN_WIDTH for line in wrapped.split("<br>"))
    assert list(figure.layout.xaxis.categoryarray) == [wrapped, "No"]


def test_a_wrapped_label_keeps_markup_from_a_file_inert() -> None:
    label = charts.answer_label("<b>bold</b> & " + "word " * 20, 30)
    assert "<b>" not in label and "&lt;b&gt;bold&lt;/b&gt; &amp;" in label
    assert set(label.replace("<br>", " ").split()) == {"&lt;b&gt;bold&lt;/b&gt;", "&amp;", "word"}
