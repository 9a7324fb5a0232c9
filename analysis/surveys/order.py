"""The order answers are shown in: ordered scales (sizes, frequencies, agreement) keep their order.

An answer list is an ordered scale when most of its answers are numeric ranges ("<10", "10-49",
"1,000-4,999", ">5000", "5000+", "20,000 or more", "Less than $10k/mo") with one unit, or words of
one known scale ("Never" .. "Always", "Strongly disagree" .. "Strongly agree", "Multiple times a
day" .. "Yearly", ...). Then the ranked answers come in scale order, answers off the scale after
them, and the answers that are no point of any scale ("Other", "Don't know", "N/A", "Prefer not to
say", "None of the above", codes without a label) last. Anything else keeps the order it came in.
An explicit order (an order file, see `read_order`) overrides the detection.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from analysis.errors import InvalidInput
from analysis.small_csv import read_small_csv
from survey_model.codes import is_unlabelled_code

TAIL = re.compile(
    r"^other\b|please specify|\bdon.?t know\b|\bnot sure\b|^unsure$|^undecided$|^n/?a\b|not applicable"
    r"|prefer not|^none of the above|^no answer$|^can.?t (say|remember)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+|<=|>=|[<>+-]|\S")
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_WORDS = {"less", "fewer", "than", "under", "below", "up", "to", "more", "greater", "over", "above", "at", "least",
          "or", "and", "plus"}  # fmt: skip
_IGNORED = set("$€£%/")
_BELOW = {"< N", "<= N", "less than N", "fewer than N", "under N", "below N", "up to N", "N or less", "N or fewer",
          "N or below", "N and below"}  # fmt: skip
_ABOVE = {"> N", ">= N", "more than N", "greater than N", "over N", "above N", "at least N", "N +", "N or more",
          "N and above", "N and up", "N plus"}  # fmt: skip
# Known scales, each from one end to the other; a scale's words are matched whole (case-insensitive).
SCALES = (
    ("strongly disagree", "disagree", "somewhat disagree", "neither agree nor disagree", "neutral",
     "somewhat agree", "agree", "strongly agree"),
    ("never", "rarely", "seldom", "sometimes", "occasionally", "often", "usually", "very often", "always"),
    ("multiple times a day", "several times a day", "daily", "once a day", "a few times a week", "weekly",
     "once a week", "a few times a month", "monthly", "once a month", "a few times a quarter", "quarterly",
     "a few times a year", "yearly", "annually", "once a year", "less than once a year"),
    ("never", "very unlikely", "somewhat unlikely", "unlikely", "not at all likely", "neither likely nor unlikely",
     "somewhat likely", "likely", "very likely", "extremely likely", "absolutely"),
    ("extremely dissatisfied", "very dissatisfied", "somewhat dissatisfied", "dissatisfied",
     "neither satisfied nor dissatisfied", "somewhat satisfied", "satisfied", "very satisfied",
     "extremely satisfied"),
    ("very negative", "somewhat negative", "negative", "neutral", "somewhat positive", "positive", "very positive"),
    ("not at all important", "not important", "slightly important", "somewhat important", "important",
     "very important", "extremely important"),
    ("significantly decreased", "slightly decreased", "remained constant", "slightly increased",
     "significantly increased"),
)  # fmt: skip
Key = tuple[float, float]


def is_tail(answer: str) -> bool:
    """True for answers that are no point of a scale: Other, Don't know, N/A, none of the above, unlabelled codes."""
    return is_unlabelled_code(answer) or bool(TAIL.search(_flat(answer)))


def _flat(answer: str) -> str:
    return " ".join(str(answer).replace("\xa0", " ").split()).strip(" -–—:").casefold()


def numeric_range(answer: str) -> tuple[Key, str] | None:
    """(low, high) of an answer that is a number or a range ("10-49", "<10", "5000+"), with its unit words; or None."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", _flat(answer)).replace("–", "-").replace("—", "-")
    if text in ("none", "zero"):
        return (-math.inf, -math.inf), ""  # before "<50": none at all
    skeleton, values, unit = [], [], []
    for token in _TOKEN.findall(text):
        if token[0].isdigit():
            skeleton.append("N")
            values.append(float(token))
        elif token in _MULTIPLIERS and skeleton[-1:] == ["N"]:
            values[-1] *= _MULTIPLIERS[token]
        elif token in _WORDS or token in "<>+-" or token in ("<=", ">="):
            skeleton.append(token)
        elif token.isalpha():
            unit.append(token)  # "nodes", "employees", "mo" of "$10k/mo"
        elif token not in _IGNORED:
            return None
    shape, unit_words = " ".join(skeleton), " ".join(unit)
    if shape == "N":
        return (values[0], values[0]), unit_words
    if shape in ("N - N", "N to N"):
        return (values[0], values[1]), unit_words
    if shape in _BELOW:
        return (-math.inf, values[0]), unit_words
    if shape in _ABOVE:
        return (values[0], math.inf), unit_words
    return None


def _scale_ranks(answers: Sequence[str]) -> dict[str, Key]:
    """Ranks of the answers on the known scale that covers most of them (at least two)."""
    best: dict[str, Key] = {}
    for scale in SCALES:
        ranks = {answer: (float(scale.index(_flat(answer))),) * 2 for answer in answers if _flat(answer) in scale}
        if len(ranks) > len(best):
            best = ranks
    return best if len(best) >= 2 else {}


def _range_ranks(answers: Sequence[str]) -> dict[str, Key]:
    """Ranks of the answers that are numeric ranges with the most common unit (at least two)."""
    parsed = {answer: found for answer in answers if (found := numeric_range(answer)) is not None}
    if not parsed:
        return {}
    unit, _count = Counter(found[1] for found in parsed.values()).most_common(1)[0]
    ranks = {answer: found[0] for answer, found in parsed.items() if found[1] == unit}
    return ranks if len(ranks) >= 2 else {}


def scale_ranks(answers: Sequence[str]) -> dict[str, Key]:
    """Rank of each answer on the scale the answers form; empty when they form none (see the module docstring)."""
    points = [answer for answer in answers if not is_tail(answer)]
    ranks = max((_range_ranks(points), _scale_ranks(points)), key=len)
    # A scale needs most answers on it: two numbers among ten project names make no scale.
    return ranks if len(ranks) * 2 > len(points) else {}


def arrange(answers: Sequence[str], order: Sequence[str] | None = None) -> list[int]:
    """Positions of `answers` in display order: the explicit `order`, else a detected scale, else as given."""
    if order:
        wanted = {_flat(answer): rank for rank, answer in enumerate(order)}
        listed = [i for i, answer in enumerate(answers) if _flat(answer) in wanted]
        listed.sort(key=lambda i: wanted[_flat(answers[i])])
    else:
        wanted, listed = {}, []
    # Answers the explicit order does not name follow in the order they would have had without it.
    detected = _detected(tuple(str(answer) for answer in answers))
    return listed + [i for i in detected if _flat(answers[i]) not in wanted]


@lru_cache(maxsize=4096)
def _detected(answers: tuple[str, ...]) -> tuple[int, ...]:
    """Positions in scale order, ranked then off-scale then tail answers; as given where there is no scale."""
    ranks = scale_ranks(answers)
    if not ranks:
        return tuple(range(len(answers)))
    ranked = sorted((i for i, answer in enumerate(answers) if answer in ranks), key=lambda i: ranks[answers[i]])
    tail = [i for i, answer in enumerate(answers) if is_tail(answer)]
    placed = set(ranked) | set(tail)
    return tuple(ranked + [i for i in range(len(answers)) if i not in placed] + tail)


def ordered(answers: Sequence[str], order: Sequence[str] | None = None) -> list[str]:
    """`answers` in display order (see `arrange`)."""
    return [answers[i] for i in arrange(answers, order)]


def read_order(path: str | Path, question_id: str | None = None) -> list[str]:
    """The answer order an order file gives: a CSV with an `answer` column, one row per answer in order.

    An optional `question` column limits a row to that question id (rows left blank apply to every question).
    """
    table = read_small_csv(path, "the order file", "a CSV with an answer column")
    if "answer" not in table.columns:
        raise InvalidInput(f"{path}: an order file needs an answer column, one row per answer in order")
    if "question" in table.columns and question_id is not None:
        wanted = table["question"].str.strip().str.casefold()
        table = table[(wanted == "") | (wanted == question_id.casefold())]
    answers = [answer.strip() for answer in table["answer"] if answer.strip()]
    if not answers:
        raise InvalidInput(f"{path}: the order file lists no answer" + (f" for {question_id}" if question_id else ""))
    return answers
