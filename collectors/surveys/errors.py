"""The one error a survey file can raise: a problem with the file, said in one line."""

from __future__ import annotations

from pathlib import Path

from collectors.errors import CollectorError


class SurveyError(CollectorError, ValueError):
    """A survey file that cannot be loaded; the message names the file and says what is wrong."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = " ".join(problem.split())
        super().__init__(f"{self.path.name}: {self.problem}")
