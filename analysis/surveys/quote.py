"""One sentence a speaker can quote: the share, who was asked, how many answered, the interval and the source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.errors import NotComparable
from analysis.surveys.lookup import QuestionNotFound
from analysis.surveys.nets import Net, net_answer
from analysis.surveys.shares import breakdown, fold_answer, question_answers, weighting_label
from analysis.surveys.weights_file import RakedWeights
from exports.slides import whole_words
from survey_model.codes import is_unlabelled_code, unlabelled_code
from survey_model.counts import is_counts
from survey_model.survey import QuestionType, Survey, SurveyMeta

MULTIPLE_TYPES = (QuestionType.MULTIPLE, QuestionType.GRID_MULTIPLE)
SEVERAL_ANSWERS_NOTE = "several answers allowed, shares may add up past 100%"


def percent(share: float) -> str:
    """Return a share (0..1) as a percentage: whole numbers from 10%, one decimal below."""
    if pd.isna(share):
        return "n/a"
    value = share * 100
    digits = 1 if 0 < value < 10 else 0
    return f"{value:.{digits}f}%"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def fielded(meta: SurveyMeta) -> str:
    """Return when the survey was in the field, as precisely as its file says."""
    if meta.fielded_from and meta.fielded_to:
        return f"fielded {_day(meta.fielded_from)} to {_day(meta.fielded_to)}"
    if meta.fielded_from:
        return f"fielded from {_day(meta.fielded_from)}"
    if meta.fielded_to:
        return f"fielded until {_day(meta.fielded_to)}"
    if meta.year is not None:
        return f"fielded {meta.year}"
    return "fielding dates not stated in the file"


def _clean(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def several_answers(survey: Survey, question_id: str, item: str | None = None) -> bool:
    """True when the question takes several answers and some respondent gave more than one (to grid row `item`).

    An export can mark a grid as multiple choice where every respondent gave one answer per row
    (CNCF 1H 2020): its shares cannot add up past 100%, so it is read as single choice.
    """
    if survey.question(question_id).type not in MULTIPLE_TYPES:
        return False
    if is_counts(survey):
        return True  # read as multiple choice only where the published counts add up past the base
    rows = question_answers(survey, question_id, item)
    given = pd.DataFrame(
        {
            "respondent": rows["respondent"].to_numpy(),
            "item": rows["item"].to_numpy(),
            "answer": rows["answer"].to_numpy(),
        }
    ).drop_duplicates()
    return bool(given.duplicated(["respondent", "item"]).any())


def several_answers_note(survey: Survey, question_id: str, item: str | None = None) -> str:
    """The note put under a question's shares when several answers were given; empty otherwise."""
    return SEVERAL_ANSWERS_NOTE if several_answers(survey, question_id, item) else ""


def refuse_code(answer: str, where: str) -> None:
    """Raise NotComparable when `answer` is an answer code without a label: it is no wording to quote."""
    if is_unlabelled_code(answer):
        raise NotComparable(
            f"{where}: {answer!r} is an answer code without a label, not an answer; it cannot be quoted "
            "(add its label to the survey's codebook)"
        )


def find_answer(shares: pd.DataFrame, answer: str, where: str) -> pd.Series:
    """Return the row of `shares` for `answer` (case-insensitive), or raise listing the answers there are.

    An answer code without a label, named as `1` or as `code 1 (no label)`, raises NotComparable.
    """
    if shares.empty or not shares["count"].any():
        raise QuestionNotFound(f"{where} has no answer {answer!r}: no respondent answered it")
    folded = shares["answer"].map(fold_answer)
    if (folded == fold_answer(unlabelled_code(answer))).any():
        answer = unlabelled_code(answer)
    refuse_code(answer, where)
    hits = shares[(folded == fold_answer(answer)).to_numpy()]
    if hits.empty:
        known = ", ".join(repr(str(name)) for name in shares["answer"].head(15))
        raise QuestionNotFound(f"{where} has no answer {answer!r}; its answers include: {known}")
    return hits.iloc[0]


@dataclass(frozen=True)
class QuoteContext:
    """What a quote says besides the answer's row: who was asked what, the base, the weighting and the source."""

    source: str
    question_id: str
    asked: str
    item: str | None
    several: bool
    base: str
    answered: int | None
    exclude: tuple[str, ...]
    wave: str
    fielded: str
    weighting: str | None
    warnings: tuple[str, ...] = ()  # what the reader saw wrong with the question's data: every quote says it
    nets: tuple[Net, ...] = ()  # the nets the breakdown holds, so that a quoted net says what it is

    def where(self) -> str:
        """Where an answer is looked for, as errors name it."""
        return f"{self.source}: question {self.question_id}"


def quote_context(
    survey: Survey,
    question_id: str,
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weight: str | RakedWeights | None = None,
    *,
    nets: Sequence[Net] = (),
) -> QuoteContext:
    """The words every quote of one question (or grid row) shares, whatever answer it quotes."""
    exclude = tuple(exclude)
    question = survey.question(question_id)
    answered = None
    if base != "answered" and is_counts(survey):
        answered = survey.base(question_id, item)
    elif base != "answered":
        answered = int(question_answers(survey, question_id, item, exclude)["respondent"].nunique())
    return QuoteContext(
        source=survey.meta.source,
        question_id=question_id,
        asked=f'"{_clean(question.text)}"' + (f" (item: {item})" if item else ""),
        item=item,
        several=several_answers(survey, question_id, item),
        base=base,
        answered=answered,
        exclude=exclude,
        wave=survey.meta.wave,
        fielded=fielded(survey.meta),
        weighting=weighting_label(weight) if weight else None,
        warnings=question.warnings,
        nets=tuple(nets),
    )


def quote(
    survey: Survey,
    question_id: str,
    answer: str,
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weight: str | RakedWeights | None = None,
) -> str:
    """Return the quotable sentence for one answer of one question (one grid row if `item` is given)."""
    survey.question(question_id)  # an unknown question says so before any counting
    exclude = list(exclude)
    shares = breakdown(survey, question_id, item, base, exclude, weight)
    return quote_row(quote_context(survey, question_id, item, base, exclude, weight), shares, answer)


def quote_row(context: QuoteContext, shares: pd.DataFrame, answer: str) -> str:
    """Return the quotable sentence for `answer`, read from the question's breakdown `shares`."""
    row = find_answer(shares, net_answer(answer, context.nets), context.where())
    several = " (several answers allowed)" if context.several else ""
    chose = f'chose "{row["answer"]}"{several}'
    net = next((net for net in context.nets if net.label == row["answer"]), None)
    if net is not None:  # a net says what it counts: anyone who chose any of its answers, once
        chose = "chose any of " + ", ".join(f'"{answer}"' for answer in net.answers) + f" ({net.label}){several}"
    interval = f"95% CI {percent(row['ci_low']).rstrip('%')}–{percent(row['ci_high'])}"
    excluded = "".join(f', excluding "{name}"' for name in context.exclude)
    if context.base == "answered":
        who = f"of the {row['base']:,} respondents who answered {context.asked} {chose}"
        base_text = f"base: respondents who answered{excluded}"
    else:
        who = (
            f"of all {row['base']:,} respondents {chose} when asked {context.asked} ({context.answered:,} answered it)"
        )
        base_text = f"base: all respondents in the file{excluded}"
    sample = f"n={row['base']:,}"
    if context.weighting:
        sample += f"; {context.weighting}, effective n={row['n_eff']:,.0f}"
    sentence = f"{percent(row['share'])} ({interval}) {who} — {context.wave} ({sample}; {base_text}; {context.fielded})"
    sentence += "."
    return sentence + "".join(f" Warning: {warning}." for warning in context.warnings)


def p_value_text(p_value: float) -> str:
    """A p-value as people quote it: `<0.001`, else three decimals; empty where there is no earlier wave."""
    if pd.isna(p_value):
        return ""
    return "<0.001" if p_value < 0.001 else f"{p_value:.3f}"


def trend_display(trend: pd.DataFrame) -> pd.DataFrame:
    """A trend table as people read it: share and change in points, n, interval and p-value as text."""
    return pd.DataFrame(
        {
            "wave": trend["wave"],
            "question": trend["question"],
            "item": trend["item"],
            "answer": trend["answer"],
            "share": [percent(share) for share in trend["share"]],
            "95% interval": [
                f"{percent(low).rstrip('%')}–{percent(high)}"
                for low, high in zip(trend["ci_low"], trend["ci_high"], strict=True)
            ],
            "n": trend["base"].astype(int),
            "change": ["" if pd.isna(change) else f"{change * 100:+.1f} pts" for change in trend["change"]],
            "p-value": [p_value_text(p) for p in trend["p_value"]],
        }
    )


def short_quote(
    survey: Survey,
    question_id: str,
    answer: str,
    item: str | None = None,
    base: str = "answered",
    limit: int = 160,
    weight: str | RakedWeights | None = None,
) -> str:
    """Return the quote in at most `limit` characters: share, who was asked, n, interval and source."""
    shares = breakdown(survey, question_id, item, base, (), weight)
    return short_quote_row(quote_context(survey, question_id, item, base, (), weight), shares, answer, limit)


def short_quote_row(context: QuoteContext, shares: pd.DataFrame, answer: str, limit: int = 160) -> str:
    """Return the quote of `answer` from the breakdown `shares` in at most `limit` characters.

    Long answer or grid-row wording is shortened at a word (never inside one); the numbers never are.
    """
    row = find_answer(shares, net_answer(answer, context.nets), context.where())
    count = f"{row['base']:,} respondents"
    who = f"of {count}" if context.base == "answered" else f"of all {count}"
    weighted = "; weighted" if context.weighting else ""
    tail = f"(95% CI {percent(row['ci_low']).rstrip('%')}–{percent(row['ci_high'])}{weighted}; {context.wave})"
    item = context.item
    words = {"answer": _clean(str(row["answer"])), "item": _clean(item or "")}
    for budget in (200, 60, 40, 24, 12):
        chose = f'chose "{whole_words(words["answer"], budget)}"'
        where = f" for {whole_words(words['item'], budget)}" if item else ""
        text = f"{percent(row['share'])} {who} {chose}{where} {tail}"
        if len(text) <= limit:
            return text
    return f"{percent(row['share'])} {who} {tail}"[:limit]
