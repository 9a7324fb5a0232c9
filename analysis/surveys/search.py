"""Question search across surveys: every word of the query, in any order, in the text, grid rows or answers.

Case, accents and punctuation are ignored; a query word matches a word of the survey that starts
with it ("container" finds "containers"). Matches are ranked: the whole phrase in one place first,
then every word in one place (the question text above a grid row above an answer), then words
spread over several places.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from survey_model.survey import Question, Survey

COLUMNS = ["survey", "question", "type", "text", "grid_row", "answer", "matched_in", "score"]
# A question is read as its text alone, its text with one grid row, or its text with one answer: all the
# words must be in one reading. The question's own words (and a grid row, which completes them) weigh most.
READING_WEIGHT = {"text": 3.0, "grid row": 3.0, "grid row and answer": 2.5, "answer": 1.0, "spread": 0.5}
PHRASE_BONUS = 1.0  # the query's words side by side, in its order
SUBJECT_BONUS = 1.5  # a grid row or answer made only of query words: the question is about it
# Words that say how a survey question is put, not what it asks: left out of the search a survey switch fills in.
STOP_WORDS = frozenset(
    """a about all am an and any apply are as at be below by can check choose could currently do does e eg etc
    following for from g has have how i ie if in incl is it its many me more most much my no not of often on one
    options or our per pick please provide relevant response row select so such that the their them these they
    this those times to tick us we were what when where which who whom why will with would yes you your
    company companies organization organisation organizations use used uses using""".split()
)
_WORD = re.compile(r"\w+")
NEGATIONS = frozenset({"not", "no", "never", "none", "don", "dont", "neither", "nor"})


def words(text: str) -> list[str]:
    """Return the words of `text`: case-folded, accents dropped, punctuation ignored."""
    plain = unicodedata.normalize("NFKD", str(text).replace("\xa0", " "))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _WORD.findall(plain.casefold().replace("_", " "))


def _has(place_words: list[str], word: str) -> bool:
    return any(candidate.startswith(word) for candidate in place_words)


def _has_phrase(place_words: list[str], query: list[str]) -> bool:
    span = len(query)
    return any(
        all(place_words[start + k].startswith(query[k]) for k in range(span))
        for start in range(len(place_words) - span + 1)
    )


def _reading_score(kind: str, parts: list[list[str]], query: list[str]) -> float | None:
    """The score of one reading (its parts' words), or None when a query word is missing from it."""
    joined = [word for part in parts for word in part]
    if not all(_has(joined, word) for word in query):
        return None
    phrase = any(_has_phrase(part, query) for part in parts)
    subject = kind != "text" and all(any(w.startswith(q) for q in query) for w in parts[-1])
    density = sum(any(w.startswith(q) for q in query) for w in joined) / len(joined)
    return READING_WEIGHT[kind] * (1 + PHRASE_BONUS * phrase + SUBJECT_BONUS * subject + density)


def question_match(question: Question, query: list[str]) -> tuple[float, str, str] | None:
    """(score, grid row or "", where it matched) when every query word is in one reading of the question, else None."""
    if not query:
        return None
    text = words(question.text) + words(question.id)
    readings = [("text", "", [text])]
    readings += [("grid row", row, [text, words(row)]) for row in question.items]
    readings += [("answer", option, [text, words(option)]) for option in question.options]
    # A grid's row and answer together: "Kubernetes" (row) "Using in production" (answer); the row is the subject.
    readings += [
        ("grid row and answer", row, [text, words(option), words(row)])
        for row in question.items
        for option in question.options
    ]
    scored = [(_reading_score(kind, parts, query), kind, shown) for kind, shown, parts in readings]
    scored = [entry for entry in scored if entry[0] is not None]
    if not scored:
        everything = [text, *(words(row) for row in question.items), *(words(option) for option in question.options)]
        spread = _reading_score("spread", everything, query)
        return None if spread is None else (round(spread, 3), "", "text, grid rows and answers")
    score, kind, shown = max(scored, key=lambda entry: entry[0])
    place = "text" if kind == "text" else f"{kind}: {' '.join(shown.split())}"
    return round(score, 3), shown if kind.startswith("grid row") else "", place


def named_answer(question: Question, query: list[str], row: str = "") -> str:
    """The answer of `question` the query names ("kubernetes in production" -> "Using in production"), or "".

    Query words the grid row already holds are left aside; of the rest, the answer holding the most wins,
    then one that does not negate them ("Using in production" before "Not using" for "using", unless the
    query says "not"), then the answer made most of them.
    """
    row_words = words(row)
    left = [word for word in query if not _has(row_words, word)]
    best, best_key = "", (0, False, 0.0)
    for option in question.options:
        option_words = words(option)
        if not option_words:
            continue
        hits = sum(_has(option_words, word) for word in left)
        plain = not any(word in NEGATIONS and word not in query for word in option_words)
        density = sum(any(w.startswith(q) for q in left) for w in option_words) / len(option_words)
        if hits and (hits, plain, density) > best_key:
            best, best_key = option, (hits, plain, density)
    return best


def search_questions(surveys: Mapping[str, Survey], text: str) -> pd.DataFrame:
    """Every question of every survey holding each word of `text` (text, id, grid rows or answers), best first.

    `answer` is the answer the query names, where it names one: the page opens that answer to quote.
    """
    query = words(text)
    found = []
    for label, survey in surveys.items():
        for order, question in enumerate(survey.questions):
            match = question_match(question, query)
            if match is None:
                continue
            score, row, place = match
            found.append(
                {
                    "survey": label,
                    "question": question.id,
                    "type": str(question.type),
                    "text": " ".join(question.text.split()),
                    "grid_row": row,
                    "answer": named_answer(question, query, row),
                    "matched_in": place,
                    "score": score,
                    "_order": order,
                }
            )
    frame = pd.DataFrame(found, columns=[*COLUMNS, "_order"])
    frame = frame.sort_values(["score", "survey", "_order"], ascending=[False, True, True], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def key_words(text: str) -> list[str]:
    """The words of `text` that say what it asks, each once, in order: no stop words, numbers or one letters."""
    kept = [word for word in words(text) if word not in STOP_WORDS and not word.isdigit() and len(word) > 1]
    return list(dict.fromkeys(kept))


def closest_search(question: Question, item: str | None, label: str, survey: Survey) -> str:
    """The search text that lists `survey`'s questions closest to `question` (and grid row `item`) first.

    The key words of the grid row and the question that one question of `survey` holds, as many as any one
    holds (the best ranked such set where several do); "" when no question there holds any of them.
    """
    target = {label: survey}
    holders = {
        word: set(search_questions(target, word)["question"]) for word in key_words(f"{item or ''} {question.text}")
    }
    held = {qid: tuple(word for word, ids in holders.items() if qid in ids) for ids in holders.values() for qid in ids}
    if not held:
        return ""
    most = max(len(found) for found in held.values())
    candidates = sorted({" ".join(found) for found in held.values() if len(found) == most})
    return max(candidates, key=lambda text: search_questions(target, text)["score"].max())
