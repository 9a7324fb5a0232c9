"""A survey published as tables of counts (CNCF 2021): answers counted per segment, no respondent rows.

What counts hold is a share and a count per answer, per segment of one question (region), with each
table's base: enough for shares, intervals and the segment tables they were published with, and
nothing that needs to know who answered what (crosstabs by another question, weights, filters).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from survey_model.survey import Question, SurveyMeta

TOTAL = ""  # the segment of a table's Total row
COUNT_COLUMNS = ["question", "item", "segment", "answer", "count"]
BASE_COLUMNS = ["question", "item", "segment", "base"]
ANSWERED_COLUMNS = ["question", "item", "answered", "skipped"]


@dataclass
class CountsSurvey:
    """Questions and their published counts: one survey file whose answers are counts, not respondents.

    `counts`: one row per question, grid row (`item`, "" outside grids), segment (`segment`, "" for
    the Total row) and answer, with `count` (int). `bases`: how many answered that table in that segment.
    `answered`: the Answered and Skipped lines of each table. `segment_question` is the question whose
    answers name the segments (`Q1`), or None. `meta.respondents` is answered plus skipped of the
    first question: everyone in the file.
    """

    questions: list[Question]
    counts: pd.DataFrame
    bases: pd.DataFrame
    answered: pd.DataFrame
    meta: SurveyMeta
    segment_question: str | None = None
    report: list[str] = field(default_factory=list)
    write_ins: pd.DataFrame | None = None

    def question(self, question_id: str) -> Question:
        """Return the question with id `question_id`."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def segments(self) -> list[str]:
        """The segments the tables are published for, in the file's order (the Total row left out)."""
        names = self.bases.loc[self.bases["segment"] != TOTAL, "segment"]
        return list(dict.fromkeys(names))

    def table(self, question_id: str, item: str | None = None, segment: str = TOTAL) -> pd.DataFrame:
        """The counts of one question (grid row, segment): answer and count, in the file's order."""
        rows = self.counts[
            (self.counts["question"] == question_id)
            & (self.counts["item"] == (item or ""))
            & (self.counts["segment"] == segment)
        ]
        return rows[["answer", "count"]].reset_index(drop=True)

    def base(self, question_id: str, item: str | None = None, segment: str = TOTAL) -> int:
        """How many answered one question (grid row) in one segment: the table's Total count."""
        rows = self.bases[
            (self.bases["question"] == question_id)
            & (self.bases["item"] == (item or ""))
            & (self.bases["segment"] == segment)
        ]
        return int(rows["base"].iloc[0]) if len(rows) else 0

    def answered_skipped(self, question_id: str, item: str | None = None) -> tuple[int, int]:
        """The table's Answered and Skipped lines (0, 0 where the file has none)."""
        rows = self.answered[(self.answered["question"] == question_id) & (self.answered["item"] == (item or ""))]
        if not len(rows):
            return 0, 0
        return int(rows["answered"].iloc[0]), int(rows["skipped"].iloc[0])


def is_counts(survey: object) -> bool:
    """True when `survey` holds published counts rather than respondents' answers."""
    return isinstance(survey, CountsSurvey)
