"""Work that grows faster than the input: the counted steps, never the time (bench/bench_growth.py times them)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from collectors.surveys.builder import ResponseBuilder
from collectors.surveys.loader import load_survey
from exports import deck
from exports.slides import Series, Slide, whole_words


class CountingSet(set):
    """A set that counts the membership tests made on it."""

    tests = 0

    def __contains__(self, item: object) -> bool:
        CountingSet.tests += 1
        return super().__contains__(item)


def test_same_named_columns_get_their_ids_in_linear_steps() -> None:
    builder = ResponseBuilder(1)
    builder._ids = CountingSet()
    CountingSet.tests = 0
    ids = [builder.unique_id("Q") for _ in range(3_000)]
    assert ids[:3] == ["Q", "Q_2", "Q_3"] and ids[-1] == "Q_3000" and len(set(ids)) == 3_000
    assert CountingSet.tests <= 2 * 3_000  # one or two tests per id; counting up from Q_2 each time made 4.5 million


def test_an_id_already_taken_is_still_skipped() -> None:
    builder = ResponseBuilder(1)
    assert [builder.unique_id(name) for name in ("Q", "Q_2", "Q", "Q", "Q_2")] == ["Q", "Q_2", "Q_3", "Q_4", "Q_2_2"]


def test_a_file_of_same_named_columns_loads_with_every_column(tmp_path: Path) -> None:
    path = tmp_path / "same.csv"
    path.write_text(",".join(["Q"] * 300) + "\n" + ",".join(["yes"] * 300) + "\n", encoding="utf-8")
    survey = load_survey(path, cache_dir=tmp_path / "cache")
    assert [question.id for question in survey.questions][:2] == ["Q", "Q_2"]
    assert len(survey.questions) == 300


def _slide(question: str) -> Slide:
    table = pd.DataFrame({"answer": ["Yes", "No"], "share": [0.6, 0.4]})
    return Slide(
        view="test", kind="bar", title=question, subtitle=question, categories=["Yes", "No"],
        series=[Series("share", [0.6, 0.4])], number_format="0%", footer="footer", table=table,
    )  # fmt: skip


def test_a_long_question_is_fitted_to_its_slide_in_steps_bounded_by_the_slide(monkeypatch) -> None:
    """Characters measured while fitting stay a few times the slide's, whatever the question's length."""
    measured: list[int] = []
    original = deck.text_lines

    def counting(text: str, points: float, width: int) -> int:
        measured.append(len(text))
        return original(text, points, width)

    monkeypatch.setattr(deck, "text_lines", counting)
    question = " ".join(f"word{index % 97}" for index in range(3_000))
    deck.build_deck([_slide(question)])
    # Each of title, subtitle and footer is measured at three sizes on the whole text, then on cuts no
    # longer than the box holds; cutting 40 characters at a time from the whole text measured 13 million.
    assert sum(measured) <= 10 * len(question)
    assert all(length <= len(question) for length in measured)


def test_whole_words_reads_only_what_it_can_keep() -> None:
    text = "alpha beta gamma " * 10_000
    assert whole_words(text, 12) == "alpha beta…"
    assert whole_words("averyveryverylongword and more", 5) == "averyveryverylongword…"
    assert whole_words("short", 10) == "short"
