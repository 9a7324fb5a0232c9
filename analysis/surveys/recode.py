"""Recoding text typed under "Other (please specify)" into offered options: only when a recode file asks.

By the documented rule a write-in counts as "Other (please specify)", even when it repeats an option's
wording. An analyst who wants "Public Cloud" typed in the Other box counted as the option gives a
recode file (CSV: `question,text,answer`); the recoded question then says so in every table heading,
quote and question list (`Question.warnings`), so a recoded figure never passes for the raw one.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.small_csv import read_small_csv
from analysis.surveys.shares import fold_answer
from survey_model.survey import GRID_TYPES, Survey

RECODE_COLUMNS = ("question", "text", "answer")
OTHER_ANSWER = re.compile(r"please specify|^other\b", re.IGNORECASE)
EXPECTED = "a CSV with the columns question, text, answer (the typed text and the option it stands for)"


def read_recode(path: str | Path) -> pd.DataFrame:
    """Read a recode file: one row per typed text to count as an option (question, text, answer)."""
    table = read_small_csv(path, "the recode file", EXPECTED)
    missing = [column for column in RECODE_COLUMNS if column not in table.columns]
    if missing or table.empty:
        raise InvalidInput(f"{path}: the recode file needs {EXPECTED}")
    table = table[list(RECODE_COLUMNS)].map(str.strip)
    if (table == "").any(axis=None):
        raise InvalidInput(f"{path}: every row of the recode file needs a question, a text and an answer")
    return table.assign(source=Path(path).name)


def recode_write_ins(survey: Survey, recode: pd.DataFrame) -> Survey:
    """Return `survey` with the typed texts `recode` names counted as its options instead of as Other."""
    responses = survey.responses
    write_ins = survey.write_ins if survey.write_ins is not None else pd.DataFrame(columns=["respondent"])
    questions = {question.id: question for question in survey.questions}
    source = str(recode["source"].iloc[0]) if "source" in recode.columns else "the recode file"
    for question_id, rows in recode.groupby("question", sort=False):
        question = _recodable(survey, question_id)
        wanted = _wanted_answers(question, rows)
        typed = write_ins[write_ins["question"] == question_id]
        chosen = typed["text"].map(fold_answer).map(wanted)
        recoded = typed.assign(answer=chosen).dropna(subset=["answer"])
        if recoded.empty:
            continue
        # A respondent whose every write-in was recoded no longer answered "Other"; one who also typed
        # something else still did.
        unmatched = set(typed.loc[chosen.isna(), "respondent"].tolist())
        responses = _with_answers(responses, question_id, recoded, unmatched)
        statement = f"{len(recoded):,} typed answer(s) recoded into options by {source}, as asked"
        questions[question_id] = dataclasses.replace(question, warnings=(*question.warnings, statement))
    return dataclasses.replace(survey, questions=[questions[q.id] for q in survey.questions], responses=responses)


def _recodable(survey: Survey, question_id: str):
    try:
        question = survey.question(question_id)
    except KeyError:
        raise InvalidInput(f"recode file: {survey.meta.source} has no question {question_id}") from None
    if question.type in GRID_TYPES or not question.options:
        raise InvalidInput(f"recode file: {question_id} is {question.type}; recode single or multiple choice")
    return question


def _wanted_answers(question, rows: pd.DataFrame) -> dict[str, str]:
    """Folded typed text -> the option it is to count as (the option's own wording)."""
    options = {fold_answer(option): option for option in question.options}
    wanted = {}
    for text, answer in zip(rows["text"], rows["answer"], strict=True):
        if fold_answer(answer) not in options:
            known = ", ".join(repr(option) for option in question.options[:10])
            raise InvalidInput(f"recode file: {question.id} has no option {answer!r}; its options include {known}")
        wanted[fold_answer(text)] = options[fold_answer(answer)]
    return wanted


def _with_answers(responses: pd.DataFrame, question_id: str, recoded: pd.DataFrame, unmatched: set) -> pd.DataFrame:
    """`responses` with each recoded respondent's option added and their Other row dropped (unless unmatched)."""
    answers = sorted(set(recoded["answer"]) - set(responses["answer"].cat.categories))
    responses = responses.assign(answer=responses["answer"].cat.add_categories(answers)) if answers else responses
    is_question = (responses["question"] == question_id).to_numpy()
    is_other = responses["answer"].astype(str).str.contains(OTHER_ANSWER).to_numpy()
    who = responses["respondent"].isin(set(recoded["respondent"]) - unmatched).to_numpy()
    kept = responses[~(is_question & is_other & who)]
    added = pd.DataFrame(
        {
            "respondent": recoded["respondent"].to_numpy(dtype=responses["respondent"].dtype),
            "question": pd.Categorical([question_id] * len(recoded), dtype=responses["question"].dtype),
            "item": pd.Categorical([""] * len(recoded), dtype=responses["item"].dtype),
            "answer": pd.Categorical(recoded["answer"].to_numpy(dtype=object), dtype=kept["answer"].dtype),
        }
    )
    joined = pd.concat([kept, added], ignore_index=True).drop_duplicates(ignore_index=True)
    # Rows stay grouped by question, as loaded: question lookups rely on it for speed.
    order = np.argsort(joined["question"].cat.codes.to_numpy(), kind="stable")
    return joined.iloc[order].reset_index(drop=True)
