"""Cached survey loading: embedded and uploaded survey files, each parsed once per process and file hash."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

import settings
from analysis.surveys import headlines as survey_headlines
from analysis.surveys import mappings as survey_mappings
from analysis.surveys import search as survey_search
from analysis.surveys import weighting as survey_weighting
from analysis.surveys.nets import parse_nets
from analysis.views import share
from analysis.views import surveys as views_surveys
from analysis.views.share import ShareView
from collectors.file_hash import file_sha256
from dashboard import survey_display as survey_views
from dashboard import uploads
from survey_model.survey import Survey

UPLOAD_PREFIX = uploads.KEY_PREFIX
SESSION_TOKEN_KEY = "_upload_session"


def loader_available() -> bool:
    """True when the survey loader is part of this installation."""
    try:
        from collectors.surveys import load_survey  # noqa: F401
    except ImportError:
        return False
    return True


def upload_policy() -> uploads.UploadPolicy:
    """Where this browser session's uploads are kept (shared when $ADOPTION_SHARED_UPLOADS=1) and their limits."""
    token = st.session_state.setdefault(SESSION_TOKEN_KEY, uploads.new_session_token())
    return uploads.UploadPolicy.from_settings(token)


def upload_cap_bytes() -> int:
    """The largest upload accepted ($ADOPTION_UPLOAD_MAX_MB megabytes, default 50)."""
    return settings.upload_max_bytes()


@st.cache_data(show_spinner=False)
def _sha256(path: str, size: int, modified: float) -> str:
    return file_sha256(Path(path))


def file_hash(path: Path) -> str:
    """Return the sha256 of a file, re-read only when its size or modification time changes."""
    info = path.stat()
    return _sha256(str(path), info.st_size, info.st_mtime)


@st.cache_resource(show_spinner="Reading the survey…", max_entries=32)
def _parse(path: str, sha256: str, layout: str | None, schema_sha256: str = "") -> Survey:
    # A Survey is read-only once loaded: cached as a resource so that a rerun does not copy it.
    from collectors.surveys import load_survey

    return load_survey(Path(path), layout=layout)


def load(path: Path, layout: str | None = None) -> Survey:
    """Return the parsed survey at `path` (with the schema beside it); raises the loader's SurveyError."""
    from collectors.surveys.detect import schema_beside

    schema = schema_beside(path)
    return _parse(str(path), file_hash(path), layout, file_hash(schema) if schema else "")


def keep_schema(survey: Path, data: bytes) -> Path:
    """Keep the schema file uploaded with a survey beside it; raises uploads.UploadRefused over a quota."""
    return uploads.keep_beside(upload_policy(), survey, data)


@st.cache_data(show_spinner=False)
def _embedded_paths() -> list[str]:
    from collectors.surveys.bundled import embedded_surveys

    return [str(path) for path in embedded_surveys()]


def embedded_paths() -> list[Path]:
    """The survey files that ship with the tool (an empty list where the loader is missing)."""
    return [Path(path) for path in _embedded_paths()] if loader_available() else []


def uploaded_paths() -> dict[str, Path]:
    """This session's uploaded files (every visitor's when shared) by `upload:<sha12>`; expired ones deleted first."""
    return uploads.listed(upload_policy())


def keep_upload(name: str, data: bytes) -> Path:
    """Keep uploaded bytes for this session (or everyone, when shared); raises uploads.UploadRefused over a quota."""
    return uploads.keep(upload_policy(), name, data)


def forget_upload(path: Path) -> None:
    """Remove an uploaded file that could not be read, so it is not listed."""
    uploads.forget(upload_policy(), path)


def catalogue() -> dict[str, Path]:
    """Every survey the dashboard can show: embedded files by name, then uploads by `upload:<sha12>`."""
    return {**_embedded_by_key(), **uploaded_paths()}


def _embedded_by_key() -> dict[str, Path]:
    return {path.stem: path for path in embedded_paths()}


def _load_each(paths: dict[str, Path]) -> tuple[dict[str, Survey], dict[str, str]]:
    """Load each survey file: (surveys by key, problems by key for files that could not be read)."""
    if not loader_available():
        return {}, {}
    from collectors.surveys import SurveyError

    surveys, problems = {}, {}
    for key, path in paths.items():
        try:
            surveys[key] = load(path)
        except SurveyError as error:
            problems[key] = str(error)
    return surveys, problems


def load_embedded() -> dict[str, Survey]:
    """The embedded surveys that load, by key: what every session sees before any upload (no session needed)."""
    return _load_each(_embedded_by_key())[0]


def load_all() -> tuple[dict[str, Survey], dict[str, str]]:
    """Load every catalogued survey: (surveys by key, problems by key for files that could not be read)."""
    return _load_each(catalogue())


@st.cache_data(show_spinner=False, max_entries=256)
def share_view(
    sha256: str,
    question: str,
    item: str | None,
    base: str,
    _survey: Survey,
    weighting: tuple = (),
    _weight=None,
    nets: tuple[str, ...] = (),
) -> ShareView:
    """The share figure of one question (or grid row), cached by the file's hash, the choice, weighting and nets."""
    return share.share_view(_survey, question, item, base, _weight, mappings=mappings(), nets=parse_nets(nets))


def share_table(
    sha256: str, question: str, item: str | None, base: str, _survey: Survey, weighting: tuple = (), _weight=None
) -> pd.DataFrame:
    """The breakdown of one question (or grid row) as the chart shows it: the share figure's table."""
    return share_view(sha256, question, item, base, _survey, weighting, _weight).table


@st.cache_data(show_spinner=False, max_entries=128)
def segment_table(
    sha256: str,
    question: str,
    item: str | None,
    segment: str,
    _survey: Survey,
    weighting: tuple = (),
    _weight=None,
    nets: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The banner of a question by a segment question (Total, segments, letters), cached by hash, choice, weighting."""
    return survey_views.banner(_survey, question, item, segment, _weight, nets=parse_nets(nets))


@st.cache_data(show_spinner="Raking…", max_entries=32)
def raking(sha256: str, targets: tuple, cap: float | None, _survey: Survey) -> survey_weighting.RakingReport:
    """Raked weights and their report for `targets` ((question, ((answer, percent), ...)), ...), cached."""
    frames = {
        question: pd.DataFrame({"answer": [a for a, _ in rows], "target": [t for _, t in rows]})
        for question, rows in targets
    }
    return survey_weighting.rake(_survey, frames, cap)


@st.cache_data(show_spinner=False)
def mappings() -> dict[str, pd.DataFrame]:
    """The wording mappings shipped in data/surveys/mappings/, by name."""
    return survey_mappings.read_mappings()


def mapping_path(name: str) -> Path:
    """The file of the wording mapping called `name`."""
    return settings.MAPPINGS_DIR / f"{name}.csv"


@st.cache_data(show_spinner=False, max_entries=128)
def wave_trend_table(
    hashes: tuple[str, ...],
    selected: str,
    question_id: str,
    item: str | None,
    answer: str,
    base: str,
    _surveys: dict[str, Survey],
    _shares: pd.DataFrame | None = None,
    nets: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, str | None]:
    """(trend, mapping name or None): the answer across waves as `analysis.views.surveys.wave_trend` finds them.

    `_shares` is the selected question's unweighted breakdown, already computed for its chart.
    """
    chosen = next(survey for survey in _surveys.values() if survey.meta.sha256 == selected)
    return views_surveys.wave_trend(
        _surveys, chosen, question_id, item, answer, base, mappings(), _shares, nets=parse_nets(nets)
    )


@st.cache_data(show_spinner=False, max_entries=64)
def question_search(hashes: tuple[str, ...], text: str, _surveys: dict[str, Survey]) -> pd.DataFrame:
    """Questions of every loaded survey holding every word of `text` (text, grid rows, answers), best first."""
    return survey_search.search_questions(_surveys, text)


@st.cache_data(show_spinner=False, max_entries=16)
def headline_table(hashes: tuple[str, ...], _surveys: dict[str, Survey]) -> pd.DataFrame:
    """The Overview's survey headlines (containers and Kubernetes in production by year)."""
    return survey_headlines.survey_headlines(_surveys, mappings=mappings())
