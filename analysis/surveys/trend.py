"""The same question across survey waves: share per wave and each wave-on-wave change with its p-value."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput, NotComparable, QuestionNotFound
from analysis.small_csv import read_small_csv
from analysis.surveys.lookup import find_question, resolve_item
from analysis.surveys.nets import NET_COLUMN, Net, breakdown_with_nets, named_net, offers_net, wave_nets_of
from analysis.surveys.shares import Breakdowns, fold_answer, weighting_label
from analysis.surveys.weights_file import RakedWeights
from survey_model.codes import is_unlabelled_code
from survey_model.counts import is_counts
from survey_model.survey import Survey

QUESTION_COLUMNS = ("question_id", "question", "text")
ANSWER_SEPARATOR = "\x1f"
BASE_DEFINITIONS = {
    False: "respondents who answered (counted from their answers)",
    True: "answers counted in published tables (no respondent-level data)",
}
TREND_COLUMNS = [
    "wave",
    "year",
    "question",
    "item",
    "answer",
    "count",
    "base",
    "share",
    "ci_low",
    "ci_high",
    "change",
    "p_value",
    "break_before",
]


@dataclass(frozen=True)
class WaveQuestion:
    """Which question (and grid row, and answer) stands for the asked one in one wave."""

    question_id: str
    item: str | None = None
    answer: str | None = None
    break_before: str = ""  # the mapping's reason this wave does not compare with the one before it


def normal_two_sided_p(z: np.ndarray) -> np.ndarray:
    """Return the two-sided p-value of standard-normal z scores, erfc(|z|/sqrt 2) (NaN stays NaN)."""
    values = np.asarray(z, dtype=float)
    flat = [math.erfc(abs(value) / math.sqrt(2)) if not math.isnan(value) else math.nan for value in values.ravel()]
    return np.array(flat, dtype=float).reshape(values.shape)


def two_proportion_test(share_1, n_1, share_2, n_2) -> tuple[np.ndarray, np.ndarray]:
    """Return (z, two-sided p-value) of the pooled two-proportion z-test of share_2 against share_1."""
    share_1, n_1, share_2, n_2 = (np.asarray(value, dtype=float) for value in (share_1, n_1, share_2, n_2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (share_1 * n_1 + share_2 * n_2) / (n_1 + n_2)
        error = np.sqrt(pooled * (1 - pooled) * (1 / n_1 + 1 / n_2))
        z = np.where(error > 0, (share_2 - share_1) / error, np.where(share_1 == share_2, 0.0, np.nan))
    return z, normal_two_sided_p(z)


def read_mapping(path: str | Path) -> pd.DataFrame:
    """Read a wave mapping CSV: wave, and question_id or question text; optional item and answer columns."""
    mapping = read_small_csv(path, "the mapping file", "a CSV with columns wave,question_id")
    question_column = next((column for column in QUESTION_COLUMNS if column in mapping.columns), None)
    if "wave" not in mapping.columns or question_column is None:
        raise InvalidInput(f"{path}: a mapping needs a wave column and a question_id (or question) column")
    result = pd.DataFrame({"wave": mapping["wave"].str.strip(), "question": mapping[question_column].str.strip()})
    repeated = result["wave"].str.casefold().duplicated(keep=False)
    if repeated.any():
        # Only the first row of a wave was ever used: which question a trend showed depended on row order.
        lines = ", ".join(str(position + 2) for position in np.flatnonzero(repeated.to_numpy())[:10])
        raise InvalidInput(
            f"{path}: wave {result['wave'][repeated].iloc[0]!r} has more than one row (lines {lines}); "
            "give each wave one row"
        )
    for optional in ("item", "answer", "break"):
        values = mapping[optional].str.strip() if optional in mapping.columns else ""
        result[optional] = values
    return result


def follows_mapping(mapping: pd.DataFrame, answer: str | None) -> bool:
    """True when a trend of `answer` follows the mapping's answer column (each wave's own wording of it).

    That is when no answer is asked for, or the one asked for is the mapping's answer in some wave;
    any other answer is looked up by its own wording in every wave, and the answer column is ignored.
    """
    if answer is None:
        return True
    return any(fold_answer(named) == fold_answer(answer) for named in mapping["answer"] if named)


def mapping_row(survey: Survey, mapping: pd.DataFrame) -> pd.Series | None:
    """The mapping's row for `survey`, found by wave name, file name or year; None when it names no such wave."""
    names = {survey.meta.wave.casefold(), Path(survey.meta.source).name.casefold()}
    if survey.meta.year is not None:
        names.add(str(survey.meta.year))
    hits = mapping[mapping["wave"].str.casefold().isin(names)]
    if len(hits) > 1:
        raise InvalidInput(
            f"{survey.meta.source}: the mapping has {len(hits)} rows for it ({', '.join(hits['wave'])}: by wave name, "
            "file name and year); keep one"
        )
    return hits.iloc[0] if len(hits) else None


def wave_questions(
    surveys: list[Survey], query: str | None, item: str | None, mapping: pd.DataFrame | None = None
) -> list[WaveQuestion]:
    """Return the question standing for `query` in each wave, from the mapping where it names the wave."""
    rows = [mapping_row(survey, mapping) if mapping is not None else None for survey in surveys]
    if mapping is not None and surveys and all(row is None for row in rows):
        # Ignoring such a mapping charted the question asked for instead, with no word.
        waves = ", ".join(dict.fromkeys(mapping["wave"]))
        files = ", ".join(survey.meta.wave for survey in surveys)
        raise InvalidInput(f"the mapping names the waves {waves}; none of them is a survey given ({files})")
    chosen = []
    for survey, row in zip(surveys, rows, strict=True):
        wave_query, wave_item, wave_answer, wave_break = query, item, None, ""
        if row is not None:
            wave_query = row["question"]
            wave_item = row["item"] or item
            wave_answer = row["answer"] or None
            wave_break = row.get("break", "") or ""  # a mapping frame built without read_mapping may lack it
        if wave_query is None:
            raise InvalidInput(f"{survey.meta.source}: the mapping has no row for wave {survey.meta.wave!r}")
        question = find_question(survey, wave_query, wave_item)
        if row is not None and not row["item"] and not question.items:
            wave_item = None  # the asked grid row is no row of a wave whose mapped question is no grid (2022's Q13)
        chosen.append(WaveQuestion(question.id, resolve_item(question, wave_item), wave_answer, wave_break))
    return chosen


def _series_key(answer: str | None, wave_question: WaveQuestion, shares: pd.DataFrame) -> object:
    """What joins a wave's row to the same answer in other waves: its folded wording, or the mapping's."""
    if answer:
        return fold_answer(answer)
    if wave_question.answer:
        return "\0mapped answer"
    return shares["answer"].map(fold_answer)


def _wave_rows(
    survey: Survey,
    wave_question: WaveQuestion,
    answer: str | None,
    base: str,
    exclude,
    weight=None,
    breakdowns: Breakdowns | None = None,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    if breakdowns is not None and not exclude and weight is None and not nets:
        shares = breakdowns.of(survey, wave_question.question_id, wave_question.item, base)
    else:
        wave_nets = wave_nets_of(survey, wave_question, nets)
        shares = breakdown_with_nets(
            survey, wave_question.question_id, wave_question.item, base, exclude, weight, nets=wave_nets
        )
    wanted = wave_question.answer or answer
    where = f"{survey.meta.source}: question {wave_question.question_id}"
    if wanted is not None and is_unlabelled_code(wanted):
        raise NotComparable(f"{where}: {wanted!r} is an answer code without a label: not comparable across waves")
    codes = shares["answer"].map(is_unlabelled_code).to_numpy(dtype=bool)
    if codes.all():
        raise NotComparable(f"{where}: this survey's answers are codes without labels: not comparable")
    shares = shares[~codes]  # a code means nothing outside its own file, so it is kept out of trends
    is_net = shares[NET_COLUMN].to_numpy(dtype=bool) if NET_COLUMN in shares else np.zeros(len(shares), dtype=bool)
    if wanted is not None:
        keys = shares["answer"].map(fold_answer)
        chosen = (keys == fold_answer(wanted)).to_numpy()
        if not chosen.any():
            raise QuestionNotFound(
                f"{survey.meta.source}: question {wave_question.question_id} has no answer {wanted!r}; "
                "name the wave's wording in the mapping's answer column"
            )
        # The nets asked for stay beside the mapped answer: each wave's net has its own wording.
        keep = chosen | (is_net & (answer is None or wave_question.answer is not None))
        shares, is_net = shares[keep], is_net[keep]
    key = pd.Series(_series_key(answer, wave_question, shares), index=shares.index)
    key[is_net] = shares["answer"][is_net].map(fold_answer)  # a net is joined across waves by its name
    return shares.drop(columns=["item"], errors="ignore").assign(
        wave=survey.meta.wave,
        year=survey.meta.year,
        question=wave_question.question_id,
        item=wave_question.item or "",
        key=key,
        **wave_design(survey, wave_question),
    )


def wave_design(survey: Survey, wave_question: WaveQuestion) -> dict[str, object]:
    """What a wave rests on, compared wave to wave for breaks: wording, answers offered, base, mapped reason."""
    question = survey.question(wave_question.question_id)
    # Compared by their plain form ("Using in Production?" is "using in production"), shown as worded.
    offered = {_plain(option): option for option in question.options if not is_unlabelled_code(option)}
    return {
        "design_text": _plain(question.text),
        "design_answers": ANSWER_SEPARATOR.join(offered[key] for key in sorted(offered)),  # one cell per wave
        "design_base": BASE_DEFINITIONS[is_counts(survey)],
        "design_break": wave_question.break_before,
    }


def _plain(text: str) -> str:
    """Wording as compared across waves: folded, trailing punctuation and a `(select one)` note left out."""
    folded = fold_answer(re.sub(r"\((select|check)[^)]*\)", "", str(text), flags=re.IGNORECASE))
    return folded.rstrip(" ?.:;")


def _offered(joined: str) -> dict[str, str]:
    """A wave's answers offered, by their plain form."""
    return {_plain(answer): answer for answer in joined.split(ANSWER_SEPARATOR) if answer}


def _names(answers: Iterable[str], limit: int = 3) -> str:
    listed = sorted(answers)
    shown = ", ".join(f"“{name}”" for name in listed[:limit])
    return shown + (f" and {len(listed) - limit} more" if len(listed) > limit else "")


def break_reasons(rows: pd.DataFrame) -> pd.Series:
    """Why each wave does not compare with the one before it in its series ("" where it does): rows in time order.

    The mapping's `break` column says what the files cannot (a paid panel, another fielding method);
    the tool adds what it sees: another question text, another set of answers offered, another base.
    """
    previous = rows.groupby("key", sort=False)[["wave", "design_text", "design_answers", "design_base"]].shift(1)
    reasons = []
    for row, before in zip(rows.itertuples(), previous.itertuples(), strict=True):
        if pd.isna(before.wave):
            reasons.append("")
            continue
        found = [row.design_break] if row.design_break else []
        if row.design_text != before.design_text:
            found.append(f"question text differs from {before.wave}")
        now, then = _offered(row.design_answers), _offered(before.design_answers)
        if set(now) != set(then):
            new, gone = [now[key] for key in now if key not in then], [then[key] for key in then if key not in now]
            change = "; ".join(
                part for part in (f"new {_names(new)}" if new else "", f"gone {_names(gone)}" if gone else "") if part
            )
            found.append(f"answers offered differ from {before.wave} ({change})")
        if row.design_base != before.design_base:
            found.append(f"base differs: {row.design_base}, {before.wave} {before.design_base}")
        reasons.append("; ".join(found))
    return pd.Series(reasons, index=rows.index, dtype=object)


def trend(
    surveys: list[Survey],
    wave_questions_: list[WaveQuestion],
    answer: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weights: Sequence[str | RakedWeights | None] | None = None,
    breakdowns: Breakdowns | None = None,
    *,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    """Return the share per wave (ordered by year) and the change from the previous wave with z and p-value.

    `nets` add a row per net and wave (an answer a wave does not offer is left out of that wave's net;
    a net none of whose answers a wave offers is refused), marked in an `is_net` column.

    `weights` gives each wave's weights (in the order of `surveys`); the test then runs on Kish's n_eff.
    `breakdowns` holds unweighted shares already computed (the selected wave's, on the Surveys page).
    """
    exclude = list(exclude)
    weights = list(weights) if weights is not None else [None] * len(surveys)
    if any(weight is None for weight in weights) and any(weight is not None for weight in weights):
        raise InvalidInput("weight every wave or none: a weighted share compared with an unweighted one misleads")
    frames = [
        _wave_rows(survey, chosen, answer, base, exclude, weight, breakdowns, nets).assign(order=position)
        for position, (survey, chosen, weight) in enumerate(zip(surveys, wave_questions_, weights, strict=True))
    ]
    rows = pd.concat(frames, ignore_index=True).sort_values(["year", "order"], kind="stable", na_position="last")
    weighted = any(weight is not None for weight in weights)
    n = "n_eff" if weighted else "base"
    previous = rows.groupby("key", sort=False)[["share", n]].shift(1)
    z, p_value = two_proportion_test(previous["share"], previous[n], rows["share"], rows[n])
    rows = rows.assign(change=rows["share"] - previous["share"], z=z, p_value=p_value, break_before=break_reasons(rows))
    columns = ["wave", "year", "question", "item", "answer", "count", "base", "share", "ci_low", "ci_high"]
    if weighted:
        labels = {position: weighting_label(weight) for position, weight in enumerate(weights)}
        rows = rows.assign(weighting=rows["order"].map(labels))
        columns += ["weighted_count", "weighted_base", "n_eff", "weighting"]
    if nets:
        columns.append(NET_COLUMN)
    # One block per answer, waves in time order within it.
    rows = rows.assign(first_seen=rows.groupby("key", sort=False).ngroup()).sort_values("first_seen", kind="stable")
    return rows[columns + ["change", "z", "p_value", "break_before"]].reset_index(drop=True)


def same_question_trend(
    surveys: Mapping[str, Survey],
    question_text: str,
    item: str | None,
    answer: str,
    base: str = "answered",
    breakdowns: Breakdowns | None = None,
    *,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    """The share choosing `answer` in each survey asking the same question (same text and grid row), by year.

    When `answer` names one of `nets`, a survey counts when its question offers any of the net's answers.
    """
    breakdowns = Breakdowns() if breakdowns is None else breakdowns
    net = named_net(answer, nets)
    asked, chosen, seen = [], [], set()
    for survey in surveys.values():
        if survey.meta.sha256 in seen:
            continue  # the same file uploaded again is one wave, not two
        for question in survey.questions:
            if fold_answer(question.text) == fold_answer(question_text) and (not item or item in question.items):
                offered = breakdowns.of(survey, question.id, item or None, base)["answer"]
                if net is not None:
                    offers = offers_net(survey, WaveQuestion(question.id, item or None), net)
                else:
                    offers = any(fold_answer(str(name)) == fold_answer(answer) for name in offered)
                if offers:
                    asked.append(survey)
                    seen.add(survey.meta.sha256)
                    chosen.append(WaveQuestion(question.id, item or None))
                break
    if not asked:
        return pd.DataFrame(columns=TREND_COLUMNS)
    if net is not None:
        return trend(asked, chosen, net.label, base, breakdowns=breakdowns, nets=(net,))[[*TREND_COLUMNS, NET_COLUMN]]
    return trend(asked, chosen, answer, base, breakdowns=breakdowns)[TREND_COLUMNS]


def break_notes(table: pd.DataFrame) -> list[str]:
    """One line per methodology break a trend (or headline table) crosses: `Break before WAVE: reason`."""
    if "break_before" not in table:
        return []
    return [
        f"Break before {row.wave}: {row.break_before}"
        for row in table[["wave", "break_before"]].itertuples()
        if isinstance(row.break_before, str) and row.break_before
    ]


def break_sentence(table: pd.DataFrame) -> str:
    """The words a trend's sentence adds when it crosses breaks ("" when it crosses none)."""
    waves = [note.split(":", 1)[0].removeprefix("Break before ") for note in break_notes(table)]
    if not waves:
        return ""
    listed = ", ".join(waves)
    return (
        f"The series crosses {len(waves)} methodology break{'s' if len(waves) > 1 else ''} (before {listed}): "
        "changes across a break are not like-for-like."
    )
