"""Technologies: one technology's survey adoption beside its images' pulls and catalog floors; compare up to five."""

from __future__ import annotations

import streamlit as st

from analysis.technology.evidence import TechnologyEvidence, catalog_line, technology_evidence
from analysis.technology.recipes import Recipe, read_recipes
from analysis.technology.tables import compared_survey_table, evidence_tables
from analysis.views.technology import DEFAULT_TECHNOLOGY, MAX_COMPARED, chart_title, source_lines
from dashboard import pull_loaders as loaders
from dashboard import state, widgets
from dashboard import survey_loaders as surveys_
from dashboard.markup import literal
from dashboard.talkpack import Exhibit
from dashboard.technology_charts import technology_figure

PICK_KEY = "technology_pick"
CHART = "evidence"


@st.cache_data(show_spinner=False)
def _recipes() -> dict[str, Recipe]:
    return read_recipes()


@st.cache_data(show_spinner="Gathering the evidence…", max_entries=32)
def _evidence(technology: str, url: str, version: tuple, hashes: tuple[str, ...]) -> TechnologyEvidence:
    surveys = surveys_.load_embedded()
    return technology_evidence(_recipes()[technology], surveys, loaders.store())


def _picked(recipes: dict[str, Recipe]) -> list[str]:
    state.seed_list(PICK_KEY, "technology", [DEFAULT_TECHNOLOGY], allowed=recipes)
    return st.multiselect(
        "Technology (pick two to five to compare)",
        list(recipes),
        key=PICK_KEY,
        format_func=lambda name: recipes[name].label,
        max_selections=MAX_COMPARED,
    )


def render() -> None:
    """Lay out the Technologies page."""
    st.title("Technologies")
    st.caption(
        "Survey adoption by wave beside Docker Hub pulls of the technology's images: different periods, said apart."
    )
    recipes = _recipes()
    picked = _picked(recipes)
    state.publish({"technology": picked})
    if not picked:
        st.info("Pick a technology.")
        return
    hashes = tuple(sorted(survey.meta.sha256 for survey in surveys_.load_embedded().values()))
    version = loaders.current_version()
    evidences = [_evidence(name, loaders.store_url(), version, hashes) for name in picked]
    title = chart_title(evidences)
    footer = source_lines(evidences)
    figure = technology_figure(evidences, title, footer, widgets.slide_mode())
    tables = [evidence_tables(evidence) for evidence in evidences]
    survey_table = compared_survey_table(evidences)
    sentences = [evidence.sentence for evidence in evidences]
    exhibit = Exhibit(key=f"technology-{'-'.join(picked)}", title=title, source=" · ".join(footer),
                      as_of=max((evidence.pulls_as_of() for evidence in evidences), default="") or "-",
                      figure=figure, table=survey_table, notes=sentences, deck_chart=CHART)  # fmt: skip
    widgets.show_chart(exhibit)
    widgets.reproduce(" ; ".join(evidence.command() for evidence in evidences))
    for evidence, table in zip(evidences, tables, strict=True):
        _one(evidence, table, exhibit.source)


def _one(evidence: TechnologyEvidence, tables: dict, source: str) -> None:
    st.subheader(literal(evidence.label))
    st.caption("The sentence to quote (copy button at its right):")
    st.code(evidence.sentence, language=None, wrap_lines=True)
    for reason in evidence.missing:
        st.warning(literal(f"Missing: {reason}"))
    if evidence.images_note:
        st.caption(literal(f"Images: {evidence.images_note}"))
    if evidence.catalog_total is not None:
        st.markdown(literal(catalog_line(evidence)))
    for part, label in (("survey", "Survey share by wave"), ("growth", "Growth over 30 and 90 days"),
                        ("catalog", "Catalog figures (floors)"), ("weeks", "Pulls per week")):  # fmt: skip
        if tables[part].empty:
            continue
        with st.expander(literal(f"{evidence.label}: {label}")):
            widgets.show_table(Exhibit(key=f"{evidence.technology}-{part}", title=label, source=source, as_of="-",
                                       table=tables[part]))  # fmt: skip
