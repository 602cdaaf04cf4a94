"""``effquiz grade``: a folder of submissions into a gradebook and feedback files."""

from __future__ import annotations

from pathlib import Path

import click

from effquiz.cli.app import console, errors, main
from effquiz.grader.batch import GradeReport, grade_folder


def print_report(report: GradeReport) -> None:
    """Print the gradebook and where the files went."""
    console.print(report.gradebook.read_text(encoding="utf-8"), markup=False, highlight=False)
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
