"""``effquiz export``: Canvas and Moodle quizzes, printable handouts and gradebooks."""

from __future__ import annotations

from pathlib import Path

import click

from effquiz.cli.app import console, main
from effquiz.cli.render import bank_option
from effquiz.export import ExportSummary, export_canvas, export_gradebook, export_handouts, export_moodle
from effquiz.templates.bank import Bank

_ASSIGNMENT = click.argument("assignment", type=click.Path(path_type=Path, dir_okay=False))
_VARIANTS = click.option("--variants", type=click.IntRange(1, 500), default=10, show_default=True,
                         help="Variants of each question to export; the LMS draws one per student.")


@main.group()
def export() -> None:
    """Export an assignment to Canvas, Moodle or print, or a gradebook to Canvas or Gradescope."""


@export.command()
@_ASSIGNMENT
@_VARIANTS
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="QTI zip file to write.")
@click.option("--numeric", "form", type=click.Choice(["exact", "range"]), default="exact", show_default=True,
              help="Write numerical answers as an exact answer with a margin, or as a range.")
@bank_option
def canvas(assignment: Path, variants: int, out: Path, form: str, banks: tuple[Path, ...]) -> None:
    """Write a Canvas Classic Quizzes QTI 1.2 zip: one question group per part, one item per variant."""
    summary = export_canvas(assignment_path=assignment, variants=variants, out=out, form=form,  # type: ignore[arg-type]
                            bank=Bank.load(*banks) if banks else None)
    _print_summary(summary, "question groups", "items")
    for part, exponents in (summary.rescaled or {}).items():
        units = ", ".join(f"10^-{exponent}" for exponent in exponents)
        console.print(f"  {part}: asks for the answer in units of {units}, because Canvas rounds a typed number to "
                      "4 decimal places.", highlight=False, soft_wrap=True)


@export.command()
@_ASSIGNMENT
@_VARIANTS
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Moodle XML file to write.")
@bank_option
def moodle(assignment: Path, variants: int, out: Path, banks: tuple[Path, ...]) -> None:
    """Write Moodle XML: a category per template, a numerical or multichoice question per variant."""
    summary = export_moodle(assignment_path=assignment, variants=variants, out=out,
                            bank=Bank.load(*banks) if banks else None)
    _print_summary(summary, "part categories", "questions")


def _print_summary(summary: ExportSummary, groups: str, items: str) -> None:
    counts = ", ".join(f"{question}: {count}" for question, count in summary.variants.items())
    console.print(f"Wrote {summary.out}: {summary.groups} {groups}, {summary.items} {items} "
                  f"(variants per question: {counts}).", highlight=False, soft_wrap=True)
    for skipped in summary.skipped:
        console.print(f"  left out {skipped.question}.{skipped.part}: {skipped.reason}", highlight=False, soft_wrap=True)


@export.command()
@_ASSIGNMENT
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False),
              help="Roster CSV: one handout and key per student (with --forms: who gets which form).")
@click.option("--forms", type=click.IntRange(1, 26),
              help="Print N forms A, B, C... instead of one handout per student.")
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Output folder; replaced as a whole when the export succeeds.")
@click.option("--pdf/--no-pdf", default=None,
              help="Also print each page to PDF with headless Chromium (default: when Chromium is found).")
@bank_option
def handout(assignment: Path, roster: Path | None, forms: int | None, out: Path, pdf: bool | None,
            banks: tuple[Path, ...]) -> None:
    """Write HTML handouts and answer keys (with worked solutions and figures) for ASSIGNMENT."""
    if roster is None and forms is None:
        raise click.UsageError("pass --roster CSV for one handout per student, or --forms N for printed forms.")
    result = export_handouts(assignment_path=assignment, roster_path=roster, forms=forms, out=out, pdf=pdf,
                             bank=Bank.load(*banks) if banks else None)
    console.print(f"Wrote {len(result.handouts)} handouts and their keys to {result.out}"
                  f"{' with PDFs' if result.pdf else ' (no PDFs: ' + result.pdf_note + ')'}.", highlight=False, soft_wrap=True)


@export.command()
@click.option("--grades", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The gradebook CSV that 'effquiz grade' wrote.")
@click.option("--feedback", type=click.Path(path_type=Path, file_okay=False),
              help="The feedback folder that 'effquiz grade' wrote (default: 'feedback' beside --grades, if any).")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False),
              help="Roster CSV with names, emails and optional canvas_id, sis_user_id, sis_login_id, section.")
@click.option("--format", "format_", required=True, type=click.Choice(["canvas", "gradescope"]),
              help="Canvas's gradebook import CSV, or a Gradescope-style score CSV.")
@click.option("--title", help="Assignment column title (default: the assignment name from the feedback files).")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="CSV file to write.")
def gradebook(grades: Path, feedback: Path | None, roster: Path | None, format_: str, title: str | None,
              out: Path) -> None:
    """Convert the gradebook of 'effquiz grade' to Canvas's import format or a Gradescope-style CSV."""
    result = export_gradebook(grades_path=grades, feedback=feedback, roster_path=roster, format=format_,  # type: ignore[arg-type]
                              title=title, out=out)
    console.print(f"Wrote {result.out}: {result.students} students in {format_} format.", highlight=False, soft_wrap=True)
