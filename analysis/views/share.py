"""The survey share figure: one question's breakdown and every word its chart, slide, table and quote say (pure).

The Surveys page, `python -m analysis breakdown|answer` and the deck all call `share_view` with the same
arguments, so the numbers and the words of the figure are computed once, in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.surveys import quote as survey_quote
from analysis.surveys.mappings import find_mapping
from analysis.surveys.nets import NET_COLUMN, Net, breakdown_with_nets
from analysis.surveys.shares import WEIGHTED_COLUMNS, weighting_label
from analysis.surveys.weights_file import RakedWeights
from analysis.views.spec import mapping_title, short_title
from survey_model.survey import Survey

SHARE_COLUMNS = ["answer", "count", "base", "share", "ci_low", "ci_high"]
BASE_WORDS = {"answered": "respondents who answered", "all": "all respondents in the file"}
INTERVAL_WORDS = "whiskers: 95% Wilson interval"


@dataclass(frozen=True)
class ShareView:
    """One question's shares and the words around them: title, question, base note, source and date."""

    breakdown: pd.DataFrame  # as analysis.surveys.shares.breakdown returns it (the command prints this)
    table: pd.DataFrame  # the chart's rows: one per answer, display columns only
    title: str
    subtitle: str
    heading: str
    base_note: str
    source: str
    as_of: str
    quoting: survey_quote.QuoteContext

    @property
    def n(self) -> int:
        """The base: how many respondents each share is of (0 when nobody answered)."""
        return int(self.table["base"].iloc[0]) if len(self.table) else 0

    @property
    def footer(self) -> str:
        """The slide's footer: source, base note, n and when the survey was fielded."""
        return slide_footer(self.source, self.base_note, f"{self.n:,}", self.as_of)

    def quote(self, answer: str) -> str:
        """The sentence to quote for one answer (`analysis.surveys.quote.quote`), from this breakdown."""
        return survey_quote.quote_row(self.quoting, self.breakdown, answer)

    def short_quote(self, answer: str, limit: int = 160) -> str:
        """The same in at most `limit` characters (`analysis.surveys.quote.short_quote`)."""
        return survey_quote.short_quote_row(self.quoting, self.breakdown, answer, limit)


def chart_table(shares: pd.DataFrame, weight: str | RakedWeights | None = None) -> pd.DataFrame:
    """A breakdown's rows as its chart and CSV show them: answer as text, count, base, share and interval.

    Weighted, the unweighted count and base stay beside the weighted ones, and a `weighting` column says
    how the shares were weighted, so a CSV read on its own never passes for an unweighted one.
    """
    columns = SHARE_COLUMNS + (WEIGHTED_COLUMNS if weight is not None else []) + [NET_COLUMN] * (NET_COLUMN in shares)
    shown = shares.drop(columns=["item"], errors="ignore")[columns].assign(answer=lambda t: t["answer"].astype(str))
    return shown.assign(weighting=weighting_label(weight)) if weight is not None else shown


def slide_footer(source: str, note: str, n: str, as_of: str) -> str:
    """The footer of a survey slide: `Source: … · base note · n = … · Data: fielded …`."""
    return f"Source: {source} · {note} · n = {n} · Data: {as_of}"


def chart_title(survey: Survey, question_id: str, item: str | None, mappings: Mapping[str, pd.DataFrame]) -> str:
    """A question's short title: its wording mapping's name where one names it, else its first clause; + grid row."""
    name = find_mapping(mappings, survey, question_id, item)
    if name:
        return mapping_title(name)
    title = short_title(survey.question(question_id).text)
    return f"{title} — {short_title(item, 40)}" if item else title


def question_words(survey: Survey, question_id: str, item: str | None) -> str:
    """The whole question, as written under a chart: `Q15: text (grid row: Production)`."""
    text = " ".join(survey.question(question_id).text.split())
    return f"{question_id}: {text}" + (f" (grid row: {item})" if item else "")


def heading(survey: Survey, question_id: str, item: str | None, base: str, weighting: str | None = None) -> str:
    """The line a command prints above the table: wave, question, grid row, base and weighting."""
    text = " ".join(survey.question(question_id).text.split())
    where = f" (item: {item})" if item else ""
    who = "respondents who answered" if base == "answered" else f"all {survey.meta.respondents:,} respondents"
    line = f"{survey.meta.wave} — {question_id}: {text}{where}; base: {who}" + (f"; {weighting}" if weighting else "")
    return line + "".join(f"; warning: {warning}" for warning in survey.question(question_id).warnings)


def share_view(
    survey: Survey,
    question_id: str,
    item: str | None = None,
    base: str = "answered",
    weight: str | RakedWeights | None = None,
    *,
    mappings: Mapping[str, pd.DataFrame],
    exclude: Iterable[str] = (),
    order: Sequence[str] | None = None,
    nets: Sequence[Net] = (),
) -> ShareView:
    """The share figure of one question (or grid row): its breakdown, computed once, and all its words.

    `nets` (`analysis.surveys.nets`) add a row each, labelled `net: NAME`, flagged in the `is_net` column.
    """
    exclude = list(exclude)
    shares = breakdown_with_nets(survey, question_id, item, base, exclude, weight, order, nets)
    table = chart_table(shares, weight)
    quoting = survey_quote.quote_context(survey, question_id, item, base, exclude, weight, nets=nets)
    label = weighting_label(weight) if weight else None
    return ShareView(
        breakdown=shares,
        table=table,
        title=chart_title(survey, question_id, item, mappings),
        subtitle=question_words(survey, question_id, item),
        heading=heading(survey, question_id, item, base, label),
        base_note=_base_note(survey, table, base, quoting.several, label),
        source=f"{survey.meta.wave} ({survey.meta.source})",
        as_of=survey_quote.fielded(survey.meta),
        quoting=quoting,
    )


def _base_note(survey: Survey, table: pd.DataFrame, base: str, several: bool, label: str | None) -> str:
    base_n = int(table["base"].iloc[0]) if len(table) else 0
    note = f"Base: {base_n:,} {BASE_WORDS[base]} (of {survey.meta.respondents:,} in the file); {INTERVAL_WORDS}"
    note += f"; {survey_quote.SEVERAL_ANSWERS_NOTE}" if several else ""
    return note + (f"; {label}, effective n={table['n_eff'].iloc[0]:,.0f}" if label and len(table) else "")
