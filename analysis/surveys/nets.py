"""Nets: several answers of one question counted together ("using" = in production + in test), once per respondent.

A net is written `NAME=ANSWER|ANSWER` (the command line's `--net`, the view's `net` parameter). It is a row
of its own beside the answers, labelled `net: NAME`, with `is_net` true: its count is the respondents who
chose any of its answers, each counted once even when they chose several (multiple choice), so its share,
interval, significance letters and arrows are those of a real answer and never a sum of shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.surveys.counts import refuse_counts
from analysis.surveys.shares import (
    Choices,
    base_weights_for,
    breakdown,
    choices_of,
    dense_weights,
    fold_answer,
    question_answers,
    respondent_weights,
    shares_of,
)
from analysis.surveys.weights_file import RakedWeights
from survey_model.survey import Survey

NET_PREFIX = "net: "
NET_COLUMN = "is_net"
SEPARATOR = "|"
MAX_NET_CHARS = 2000  # the view's parameter limit: a net comes from a URL too


@dataclass(frozen=True)
class Net:
    """A named set of answers of one question, counted as one answer (once per respondent)."""

    name: str
    answers: tuple[str, ...]

    @property
    def label(self) -> str:
        """How the net is shown wherever an answer is: `net: NAME`."""
        return f"{NET_PREFIX}{self.name}"

    @property
    def spec(self) -> str:
        """The net written back as `NAME=ANSWER|ANSWER` (for commands and links)."""
        return f"{self.name}={SEPARATOR.join(self.answers)}"

    def words(self) -> str:
        """The net as a sentence says it: `net: NAME (any of "A", "B")`."""
        return f"{self.label} (any of " + ", ".join(f'"{answer}"' for answer in self.answers) + ")"


def parse_net(text: str) -> Net:
    """Read `NAME=ANSWER|ANSWER`; refuse in one line a net without a name or answers."""
    text = str(text)
    if len(text) > MAX_NET_CHARS:
        raise InvalidInput(f"--net: longer than {MAX_NET_CHARS:,} characters")
    name, equals, answers = text.partition("=")
    name = " ".join(name.split())
    parts = tuple(dict.fromkeys(" ".join(part.split()) for part in answers.split(SEPARATOR)))
    parts = tuple(part for part in parts if part)
    if not equals or not name or not parts:
        raise InvalidInput(f'--net {text[:80]!r}: write NAME=ANSWER|ANSWER, e.g. "Using=In production|In test"')
    return Net(name, parts)


def parse_nets(texts: Iterable[str] | None) -> tuple[Net, ...]:
    """Read every `--net`; refuse two nets of one name."""
    nets = tuple(parse_net(text) for text in texts or ())
    names = [fold_answer(net.name) for net in nets]
    repeated = next((net.name for net, name in zip(nets, names, strict=True) if names.count(name) > 1), None)
    if repeated is not None:
        raise InvalidInput(f"--net: two nets are called {repeated!r}; give each net its own name")
    return nets


def check_nets(nets: Sequence[Net], offered: Iterable[str], where: str) -> None:
    """Refuse a net naming an answer the question does not offer (matched like any answer: case-insensitive)."""
    known = {fold_answer(answer) for answer in offered}
    for net in nets:
        missing = [answer for answer in net.answers if fold_answer(answer) not in known]
        if missing:
            listed = ", ".join(repr(answer) for answer in list(dict.fromkeys(offered))[:15])
            raise InvalidInput(f"{where}: the net {net.name!r} names {missing[0]!r}, not an answer; answers: {listed}")


def net_choices(choices: Choices, nets: Sequence[Net]) -> Choices:
    """Who is in each net: every respondent who chose any of its answers, once (codes into the nets' labels)."""
    folded = np.array([fold_answer(label) for label in choices.labels], dtype=object)
    respondents, codes = [], []
    for code, net in enumerate(nets):
        members = np.flatnonzero(np.isin(folded, [fold_answer(answer) for answer in net.answers]))
        chosen = np.unique(choices.respondent[np.isin(choices.code, members)])
        respondents.append(chosen)
        codes.append(np.full(len(chosen), code, dtype=np.int64))
    respondent = np.concatenate(respondents) if respondents else np.zeros(0, dtype=np.int64)
    code = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
    return Choices(respondent.astype(np.int64), code, tuple(net.label for net in nets))


def shares_with_nets(
    choices: Choices,
    weights: np.ndarray,
    options: Sequence[str] = (),
    weighted: bool = False,
    order: Sequence[str] | None = None,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    """`shares_of` the answers, then one row per net after them (same base), with an `is_net` column."""
    table = shares_of(choices, weights, options, weighted, order)
    if not nets:
        return table
    labels = [net.label for net in nets]
    netted = shares_of(net_choices(choices, nets), weights, labels, weighted, labels)
    return pd.concat([table.assign(is_net=False), netted.assign(is_net=True)], ignore_index=True)


def net_answer(answer: str | None, nets: Sequence[Net]) -> str | None:
    """The row an asked answer names: a net's label when it names a net (by name or label), else the answer."""
    if answer is None:
        return None
    for net in nets:
        if fold_answer(answer) in (fold_answer(net.name), fold_answer(net.label)):
            return net.label
    return answer


def wave_nets_of(survey: Survey, wave_question, nets: Sequence[Net]) -> tuple[Net, ...]:
    """Each net cut to the answers one wave's question offers; a net of which it offers none is refused."""
    if not nets:
        return ()
    question = survey.question(wave_question.question_id)
    given = question_answers(survey, question.id, wave_question.item)["answer"].astype(str).unique().tolist()
    offered = {fold_answer(answer) for answer in [*question.options, *given]}
    kept = []
    for net in nets:
        answers = tuple(answer for answer in net.answers if fold_answer(answer) in offered)
        if not answers:
            raise InvalidInput(
                f"{survey.meta.source}: question {question.id} offers none of the answers of the net {net.name!r}"
            )
        kept.append(Net(net.name, answers))
    return tuple(kept)


def offers_net(survey: Survey, wave_question, net: Net) -> bool:
    """True when one wave's question offers any answer of `net` (so the net can be counted there)."""
    try:
        wave_nets_of(survey, wave_question, (net,))
    except InvalidInput:
        return False
    return True


def named_net(answer: str | None, nets: Sequence[Net]) -> Net | None:
    """The net an answer names (by name or label), or None."""
    label = net_answer(answer, nets)
    return next((net for net in nets if net.label == label), None)


def breakdown_with_nets(
    survey: Survey,
    question_id: str,
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weight: str | RakedWeights | None = None,
    order: Sequence[str] | None = None,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    """`shares.breakdown`, with each net's row after the answers of its block (grid row) and an `is_net` column."""
    table = breakdown(survey, question_id, item, base, exclude, weight, order)
    if not nets:
        return table
    refuse_counts(survey, "a net (each respondent counted once)")
    question = survey.question(question_id)
    exclude = list(exclude)
    folded = {fold_answer(answer) for answer in exclude}
    answers = question_answers(survey, question_id, None, exclude)
    offered = [option for option in question.options if fold_answer(option) not in folded]
    check_nets(
        nets, [*offered, *answers["answer"].astype(str).unique()], f"{survey.meta.source}: question {question_id}"
    )
    weights = respondent_weights(survey, weight) if weight else None
    labels = [net.label for net in nets]
    is_grid = bool(question.items)
    rows = [item] if item is not None or not is_grid else list(question.items)
    blocks = []
    for row in rows:
        row_answers = answers[(answers["item"] == row).to_numpy()] if row is not None else answers
        everyone = dense_weights(base_weights_for(survey, row_answers, base, weights), 0)
        netted = shares_of(net_choices(choices_of(row_answers), nets), everyone, labels, weights is not None, labels)
        own = table[(table["item"] == row).to_numpy()] if is_grid else table
        blocks += [
            own.assign(is_net=False),
            netted.assign(item=row, is_net=True) if is_grid else netted.assign(is_net=True),
        ]
    return pd.concat(blocks, ignore_index=True)[[*table.columns, NET_COLUMN]]
