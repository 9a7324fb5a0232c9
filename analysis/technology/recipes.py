"""Technology recipes: which survey question of each wave, and which Docker Hub images, stand for a technology.

The file is `data/technologies.csv` (schema in docs/technologies.md): one row per survey wave
(`part=survey`: wave, question_id, item, answer, break) and one row for the images (`part=images`:
`ns/name` or `ns/*`, several separated by spaces; empty when the technology has none on Docker Hub).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import settings
from analysis.errors import InvalidInput, QuestionNotFound
from analysis.small_csv import read_small_csv

RECIPES_FILE = settings.DATA_DIR / "technologies.csv"
COLUMNS = ("technology", "label", "part", "wave", "question_id", "item", "answer", "images", "break", "note")
PARTS = ("survey", "images")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
_IMAGE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,254}/(\*|[a-z0-9][a-z0-9_.-]{0,254})$")


@dataclass(frozen=True)
class Recipe:
    """One technology: its label, its survey rows (a wording mapping with breaks) and its images."""

    technology: str
    label: str
    survey: pd.DataFrame  # wave, question, item, answer, break, note: the columns `read_mapping` gives, and more
    images: tuple[str, ...]  # `ns/name` or `ns/*` (every image of a namespace the store holds)
    images_note: str

    def mapping(self) -> pd.DataFrame:
        """The survey rows as a wording mapping (wave, question, item, answer), the frame trends take."""
        return self.survey[["wave", "question", "item", "answer"]]


def read_recipes(path: str | Path | None = None) -> dict[str, Recipe]:
    """Every recipe of the file (default data/technologies.csv), by technology, in file order.

    Raises InvalidInput naming the line of a row that is not a recipe row.
    """
    path = RECIPES_FILE if path is None else Path(path)
    table = read_small_csv(path, "the technologies file", "a CSV with columns " + ",".join(COLUMNS))
    missing = [column for column in COLUMNS if column not in table.columns]
    if missing:
        raise InvalidInput(f"{path}: the technologies file lacks the column(s) {', '.join(missing)}")
    table = table[list(COLUMNS)].apply(lambda column: column.str.strip())
    for position, row in enumerate(table.itertuples(index=False), start=2):
        _check_row(path, position, row)
    recipes = {}
    for technology, rows in table.groupby("technology", sort=False):
        recipes[technology] = _recipe(path, technology, rows)
    return recipes


def _check_row(path: Path, line: int, row) -> None:
    where = f"{path}: line {line}"
    if not _SLUG.match(row.technology):
        raise InvalidInput(f"{where}: technology must be a short lower-case name (letters, digits, - . _)")
    if row.part not in PARTS:
        raise InvalidInput(f"{where}: part must be one of {', '.join(PARTS)}")
    if row.part == "survey" and not (row.wave and row.question_id):
        raise InvalidInput(f"{where}: a survey row needs a wave and a question_id")
    for image in row.images.split():
        if not _IMAGE.match(image):
            raise InvalidInput(f"{where}: {image!r} is not an image (ns/name) or a namespace (ns/*)")


def _recipe(path: Path, technology: str, rows: pd.DataFrame) -> Recipe:
    survey = rows[rows["part"] == "survey"]
    repeated = survey["wave"].str.casefold().duplicated()
    if repeated.any():
        raise InvalidInput(f"{path}: {technology} has more than one row for wave {survey['wave'][repeated].iloc[0]!r}")
    images = rows[rows["part"] == "images"]
    labels = [label for label in rows["label"] if label]
    return Recipe(
        technology=technology,
        label=labels[0] if labels else technology,
        survey=survey.rename(columns={"question_id": "question"})[
            ["wave", "question", "item", "answer", "break", "note"]
        ].reset_index(drop=True),
        images=tuple(image for cell in images["images"] for image in cell.split()),
        images_note=" ".join(note for note in images["note"] if note),
    )


def find_recipe(recipes: dict[str, Recipe], name: str) -> Recipe:
    """The recipe called `name` (its technology or its label, any case); QuestionNotFound lists the known ones."""
    wanted = str(name).strip().casefold()
    for recipe in recipes.values():
        if wanted in (recipe.technology.casefold(), recipe.label.casefold()):
            return recipe
    known = ", ".join(recipes) or "none"
    raise QuestionNotFound(f"no technology {name!r} in the recipes; known: {known}")
