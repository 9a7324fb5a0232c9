"""`python -m analysis deck VIEW... -o talk.pptx`: the dashboard's views as a PowerPoint deck, without a browser."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from analysis.views.slides import ViewSources, slide_for
from analysis.views.spec import ViewSpec, parse_view
from cli.toolkit import EXIT_OK, UserError, add_db_flag, say

VIEW_HELP = (
    "a view as the dashboard's address keeps it: PAGE?QUERY (pages: surveys, pulls, overview, catalog), a whole "
    "link, or ?QUERY; add chart=shares|crosstab|trend (surveys), chart=pulls|milestone (pulls), "
    "chart=pulls|headline-containers|headline-kubernetes|catalog (overview) or chart=threshold|distribution "
    "(catalog; pulls=10M for the big number) to pick a chart, and title=... for the slide's own title"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the deck command."""
    deck = subparsers.add_parser(
        "deck",
        help="a PowerPoint deck with one native chart per dashboard view",
        description="Build a .pptx with one slide per VIEW: a short title, the full question, a native "
        "editable chart (its data inside it), a footer with source, base, n and date, and speaker notes "
        "with the sentence to quote and the command that prints the figures. Example: "
        "python -m analysis deck 'surveys?survey=Cloud_Native_Survey_2019&q=Q15&item=Production' "
        "'pulls?image=falcosecurity/falco&measure=month' -o talk.pptx",
    )
    deck.add_argument("views", nargs="+", metavar="VIEW", help=VIEW_HELP)
    deck.add_argument("-o", "--output", required=True, metavar="FILE", help="the .pptx file to write")
    deck.add_argument(
        "--net",
        action="append",
        default=[],
        metavar="NAME=A|B",
        help="a net added to every surveys view (as its net= parameter): respondents who chose any of the answers, "
        'counted once, shown as "net: NAME" (repeatable)',
    )
    add_db_flag(deck)
    deck.set_defaults(handler=run_deck)


def cli_sources(db: str | None) -> ViewSources:
    """The bundled surveys, wording mappings and the store (`--db`) as views read them on the command line."""

    def load_surveys():
        from collectors.surveys import load_survey
        from collectors.surveys.bundled import embedded_surveys

        paths = {path.stem: path for path in embedded_surveys()}
        return {key: load_survey(path) for key, path in paths.items()}, paths

    def load_mappings():
        from analysis.surveys.mappings import read_mappings

        return read_mappings()

    def open_store():
        from collectors.bundled import open_store_with_bundled_history

        return open_store_with_bundled_history(db)

    return ViewSources(load_surveys, load_mappings, open_store)


def with_nets(view: str, nets: list[str]) -> ViewSpec | str:
    """A surveys view with the `--net` flags added as its net parameters; any other view as it is."""
    if not nets:
        return view
    spec = parse_view(view)
    if spec.page != "surveys":
        return spec
    return ViewSpec(spec.page, spec.params + tuple(("net", net) for net in nets), spec.chart)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (a temporary file beside it, then renamed)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_deck(args: argparse.Namespace) -> int:
    """Build every view's slide first, then write the deck."""
    from exports.deck import build_deck

    output = Path(args.output)
    if not output.parent.is_dir():
        raise UserError(f"{output.parent}: no such folder for the deck")
    sources = cli_sources(args.db)
    slides = [slide_for(with_nets(view, args.net), sources) for view in args.views]
    try:
        write_atomically(output, build_deck(slides))
    except OSError as error:
        raise UserError(f"{output}: cannot write the deck ({error.strerror or error})") from error
    say(f"{output}: {len(slides)} slides")
    return EXIT_OK
