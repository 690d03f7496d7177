"""rollup: the provincial view over every jurisdiction of a tree."""

from __future__ import annotations

from pathlib import Path

import click

from ssdocs.cli import cli
from ssdocs.cli.options import checklists_option, echo_notes, lang_option


@cli.command()
@click.argument("tree", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the roll-up and its CSV files into.")
@click.option("--year", type=int, help="Roll up this year of every jurisdiction (default: each one's latest); "
                                       "a jurisdiction without it is listed as missing.")
@lang_option()
@click.option("--highlight", metavar="CODE", help="Mark this jurisdiction in the table and the charts.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True,
              help="PDF/A-3b (the CSV files attached) or one standalone HTML page (sortable table).")
@click.option("--by-parent", is_flag=True, help="Order the heatmap by parent jurisdiction (counties under "
                                                "their city); parents are always aggregated when present.")
@click.option("--weight", type=click.Choice(["insured", "population"]), default=None,
              help="Aggregate each parent as the mean of its children's scores weighted by their insured "
                   "persons (参保人数) or population (常住人口) [default: unweighted median]; a parent with a "
                   "child lacking the figure falls back to the median and the report names the child.")
@click.option("--level", type=click.Choice(["province", "city", "county"]), default=None,
              help="Roll up only the jurisdictions of this level (the others are counted, not listed).")
@click.option("--block", type=click.IntRange(5, 60), default=25, show_default=True,
              help="Jurisdictions per heatmap block (columns).")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Worker processes loading the tree (with or without --year) [default: 1].")
@checklists_option
@click.option("--allow-missing-fonts", is_flag=True, help="Render even without a CJK font.")
@click.option("--no-pdfa", is_flag=True, help="Write a plain PDF instead of PDF/A-3b.")
def rollup(tree: Path, output: Path, year: int | None, lang: str, highlight: str | None, fmt: str,
           by_parent: bool, weight: str | None, level: str | None, block: int, workers: int | None,
           checklist_sources: tuple[Path, ...], allow_missing_fonts: bool, no_pdfa: bool) -> None:
    """Roll up every jurisdiction under TREE into one report: league table, heatmap, section
    distributions, the province's action list and trend, and the jurisdictions left out (exit 2
    only when none can be rolled up)."""
    from ssdocs.pipeline.rollup import rollup as build_rollup  # ssdocs.rollup

    written = build_rollup(tree, output, year=year, lang=lang, highlight=highlight,  # type: ignore[arg-type]
                           fmt=fmt, by_parent=by_parent, block=block, workers=workers,  # type: ignore[arg-type]
                           checklist_sources=checklist_sources, allow_missing_fonts=allow_missing_fonts,
                           pdfa=not no_pdfa, weight=weight, level=level)  # type: ignore[arg-type]
    echo_notes(written.notes)
    for path in written:
        click.echo(str(path))
