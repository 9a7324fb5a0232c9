"""Breakdown latency on a 100,000-respondent Stack Overflow-format survey, once it is loaded.

Run: python bench/bench_breakdown.py [--quick] [--respondents N] [--seed S] [--repeat R] [--synthetic]
(--quick: 20,000 respondents.)
The file is made by resampling the rows of the bundled 2025 Stack Overflow sample with a fixed seed and
loaded with collectors.surveys.load_survey. With --synthetic (or when the loader is not available) the
same resampled rows are turned into a Survey directly, splitting multiple choice on ";".
Prints the median and best wall-clock time of each breakdown (and of a banner table of three
segmentations with significance letters), and its median CPU time (steadier on a busy machine);
nothing is asserted.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from _figures import PROJECT_ROOT, bench_parser, report

from analysis.surveys.banner import banner
from analysis.surveys.crosstab import crosstab
from analysis.surveys.shares import breakdown
from survey_model.survey import Question, QuestionType, Survey, SurveyMeta

ROOT = PROJECT_ROOT
FULL_RESPONDENTS = 100_000
QUICK_RESPONDENTS = 20_000

SAMPLE = ROOT / "data" / "surveys" / "stackoverflow_2025" / "survey_results_public.csv"
SCHEMA = SAMPLE.with_name("survey_results_schema.csv")
# (figure name, label, question, options)
CASES = [
    ("single_choice", "single choice", "MainBranch", {}),
    ("multiple_choice", "multiple choice", "LanguageHaveWorkedWith", {}),
    (
        "multiple_choice_base_all_exclude",
        "multiple choice, base all, exclusion",
        "PlatformHaveWorkedWith",
        {"base": "all", "exclude": ["Docker"]},
    ),
    ("crosstab", "crosstab by MainBranch", "DevType", {"by": "MainBranch"}),
    (
        "banner_3",
        "banner by MainBranch, Age and OrgSize, with letters",
        "LanguageHaveWorkedWith",
        {"banner": ["MainBranch", "Age", "OrgSize"]},
    ),
]


def resample(respondents: int, seed: int) -> pd.DataFrame:
    """Return `respondents` rows drawn with replacement from the 1,000-row sample, renumbered."""
    sample = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    rows = sample.sample(n=respondents, replace=True, random_state=seed).reset_index(drop=True)
    return rows.assign(ResponseId=[str(number) for number in range(1, respondents + 1)])


def synthetic_survey(rows: pd.DataFrame, columns: list[str]) -> Survey:
    """Build a Survey straight from wide rows: "NA" is blank, ";" joins multiple choices."""
    frames, questions = [], []
    for column in columns:
        values = rows[column]
        multiple = values.str.contains(";", regex=False).any()
        answers = values.str.split(";").explode() if multiple else values
        answers = answers[(answers != "NA") & (answers != "")]
        frames.append(pd.DataFrame({"respondent": answers.index.to_numpy(), "question": column, "item": "",
                                    "answer": answers.to_numpy()}))  # fmt: skip
        kind = QuestionType.MULTIPLE if multiple else QuestionType.SINGLE
        options = tuple(answers.value_counts().index)
        questions.append(Question(column, column, kind, (), options))
    responses = pd.concat(frames, ignore_index=True).astype(
        {"question": "category", "item": "category", "answer": "category"}
    )
    meta = SurveyMeta("synthetic.csv", "0" * 64, len(rows), "stackoverflow", "Stack Overflow 2025 (resampled)", 2025)
    return Survey(questions, responses, meta)


def loaded_survey(rows: pd.DataFrame, folder: Path) -> Survey:
    """Write the rows as a Stack Overflow export beside its schema and load it with the project's loader."""
    from collectors.surveys import load_survey

    path = folder / "survey_results_public.csv"
    rows.to_csv(path, index=False)
    return load_survey(path, schema=SCHEMA, cache_dir=folder / "cache")


def time_case(survey: Survey, question: str, options: dict, repeat: int) -> tuple[list[float], list[float]]:
    """Return the wall-clock and CPU seconds of `repeat` runs of one breakdown."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        if "banner" in options:
            banner(survey, question, options["banner"])
        elif "by" in options:
            crosstab(survey, question, options["by"])
        else:
            breakdown(survey, question, **options)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def _build(rows: pd.DataFrame, synthetic: bool) -> tuple[Survey, str]:
    with tempfile.TemporaryDirectory() as folder:
        try:
            if synthetic:
                raise ImportError("--synthetic")
            return loaded_survey(rows, Path(folder)), "load_survey"
        except ImportError:
            wanted = sorted({question for _, _, question, _ in CASES} | {"MainBranch", "Age", "OrgSize"})
            return synthetic_survey(rows, wanted), "built directly (no loader)"


def main() -> None:
    """Build the survey, then print the latency of each breakdown."""
    parser = bench_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "--respondents", type=int, help=f"default {FULL_RESPONDENTS:,}; {QUICK_RESPONDENTS:,} with --quick"
    )
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--synthetic", action="store_true", help="skip the loader; build the Survey directly")
    args = parser.parse_args()
    rows = resample(args.respondents or (QUICK_RESPONDENTS if args.quick else FULL_RESPONDENTS), args.seed)
    started = time.perf_counter()
    survey, how = _build(rows, args.synthetic)
    built = time.perf_counter() - started
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, pandas {pd.__version__}, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"survey: {survey.meta.respondents:,} respondents, {len(survey.responses):,} answer rows, "
          f"{how} in {built:.1f} s")  # fmt: skip
    report("breakdown.respondents", survey.meta.respondents, "respondents")
    report("breakdown.answer_rows", len(survey.responses), "rows")
    for key, label, question, options in CASES:
        wall, cpu = time_case(survey, question, options, args.repeat)
        print(f"breakdown {question} ({label}): median {statistics.median(wall) * 1000:.1f} ms, "
              f"best {min(wall) * 1000:.1f} ms (CPU median {statistics.median(cpu) * 1000:.1f} ms) "
              f"over {args.repeat} runs")  # fmt: skip
        report(f"breakdown.{key}", statistics.median(wall) * 1000, "ms")
        report(f"breakdown.{key}.best", min(wall) * 1000, "ms")
        report(f"breakdown.{key}.cpu", statistics.median(cpu) * 1000, "ms")


if __name__ == "__main__":
    main()
