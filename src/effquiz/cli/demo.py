"""``effquiz demo``: the whole pipeline on the bundled example."""

from __future__ import annotations

from pathlib import Path

import click

from effquiz.cli.app import console, errors, main
from effquiz.cli.grade import print_report
from effquiz.demo import run_demo
from effquiz.grader.batch import grade_folder


@main.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("demo-out"), show_default=True,
              help="Folder for the build, the sample submissions and the gradebook.")
def demo(out: Path) -> None:
    """Build the lecture example for five students, fill sample submissions and grade them.

    The samples: one all right, one half right, one blank, and one student's correct
    notebook filed under another student's id.
    """
    errors.print("building examples/lecture.yaml and filling sample submissions", highlight=False)
    run = run_demo(out)
    errors.print("grading the sample submissions", highlight=False)
    report = grade_folder(build_dir=run.build, submissions=run.submissions, out=out / "grades.csv")
    print_report(report)
    console.print("The samples:", highlight=False)
    for sample in run.samples:
        whose = "their own notebook" if sample.author == sample.filed_as else f"{sample.author}'s notebook"
        console.print(f"  {sample.filed_as}: {whose}, answers {sample.answers}", highlight=False)
    console.print("Students who are not listed among the samples submitted nothing.", highlight=False)
