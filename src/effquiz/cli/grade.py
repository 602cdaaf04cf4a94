"""``effquiz grade``: a folder of submissions into a gradebook and feedback files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
from rich.table import Table

from effquiz.cli.app import console, errors, main
from effquiz.grader.batch import GradeReport, grade_folder


def print_report(report: GradeReport) -> None:
    """Print the gradebook as a table and say where the files went."""
    rows = list(csv.reader(io.StringIO(report.gradebook.read_text(encoding="utf-8"))))
    table = Table(title="Gradebook")
    for index, column in enumerate(rows[0]):
        table.add_column(column, justify="right" if 0 < index < len(rows[0]) - 1 else "left")
    for row in rows[1:]:
        table.add_row(*row)
    console.print(table)
    console.print(f"Wrote {report.gradebook} and feedback in {report.feedback}.", highlight=False)


@main.command()
@click.argument("submissions", type=click.Path(path_type=Path, file_okay=False))
@click.option("--build", "build_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="The folder that 'effquiz build' wrote.")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Gradebook CSV to write.")
@click.option("--feedback", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for <student_id>.json feedback (default: 'feedback' beside --out).")
@click.option("--timeout", type=float, default=900, show_default=True, help="Seconds allowed per submission.")
def grade(submissions: Path, build_dir: Path, out: Path, feedback: Path | None, timeout: float) -> None:
    """Grade the notebooks in SUBMISSIONS (<student_id>.ipynb or export .zip) into a gradebook."""
    def progress(student_id: str) -> None:
        errors.print(f"grading {student_id}", highlight=False, markup=False)

    print_report(grade_folder(build_dir=build_dir, submissions=submissions, out=out, feedback=feedback,
                              timeout=timeout, progress=progress))
