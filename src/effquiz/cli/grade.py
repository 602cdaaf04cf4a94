"""``effquiz grade``: a folder of submissions into a gradebook, feedback and a results file."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from effquiz.cli.app import console, errors, main
from effquiz.errors import GradingError
from effquiz.grader.batch import ENGINES, GradeReport, default_workers, grade_folder
from effquiz.grader.engine.limits import GradingLimits, parse_size
from effquiz.grader.records import GradedSubmission
from effquiz.grader.shards import ShardSpec

# Gradebooks longer than this are not printed as a table; the file has them all.
TABLE_ROWS = 40
INTERRUPTED_EXIT = 130


def print_report(report: GradeReport) -> None:
    """Print a small gradebook as a table, then the summary and where the files went."""
    if len(report.rows) <= TABLE_ROWS:
        rows = list(csv.reader(io.StringIO(report.gradebook.read_text(encoding="utf-8"))))
        table = Table(title="Gradebook")
        for index, column in enumerate(rows[0]):
            table.add_column(column, justify="right" if 0 < index < len(rows[0]) - 1 else "left")
        for row in rows[1:]:
            table.add_row(*row)
        console.print(table)
    for line in report.summary.lines():
        console.print(line, highlight=False, markup=False)
    console.print(f"Wrote {report.gradebook}, feedback in {report.feedback} and every result in {report.results}.",
                  highlight=False, markup=False)


class ProgressBar:
    """A rich progress bar on stderr with the count, the elapsed time and the estimated time left."""

    def __init__(self, enabled: bool) -> None:
        self.progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TextColumn("elapsed"),
                                 TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                 TextColumn("{task.fields[last]}"), console=errors, disable=not enabled)
        self.task = None

    def start(self, total: int, skipped: int) -> None:
        """Show the bar for ``total`` submissions."""
        if skipped:
            errors.print(f"{skipped} submissions are graded already and unchanged; grading {total} more.",
                         highlight=False)
        self.progress.start()
        self.task = self.progress.add_task("grading", total=total, last="")

    def advance(self, student_id: str, record: GradedSubmission | None) -> None:
        """Count one more submission and show whom it belonged to."""
        if self.task is not None:
            self.progress.update(self.task, advance=1, last=student_id)

    def stop(self) -> None:
        """Stop refreshing the bar; the finished bar stays on screen."""
        self.progress.stop()


@main.command()
@click.argument("submissions", type=click.Path(path_type=Path, file_okay=False))
@click.option("--build", "build_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="The folder that 'effquiz build' wrote.")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Gradebook CSV to write.")
@click.option("--feedback", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for <student_id>.json feedback (default: 'feedback' beside --out).")
@click.option("--results", type=click.Path(path_type=Path, dir_okay=False),
              help="Results file, appended as each submission is graded (default: <out>.results.jsonl beside --out).")
@click.option("--engine", type=click.Choice(ENGINES), default="fast", show_default=True,
              help="fast: warm workers that execute notebooks as Otter does; otter: the zip's own run_autograder "
                   "per submission, as on Gradescope.")
@click.option("--workers", type=click.IntRange(min=1), help="Submissions graded at once (default: the CPU cores).")
@click.option("--timeout", type=float, default=900, show_default=True, help="Seconds allowed per submission.")
@click.option("--cell-timeout", type=float, default=120, show_default=True,
              help="Seconds allowed per notebook cell (fast engine).")
@click.option("--memory-limit", default="2GiB", show_default=True,
              help="Address space allowed per notebook process, such as 1GiB or 512MiB (fast engine).")
@click.option("--regrade", is_flag=True, help="Grade every submission again, not only new and changed ones.")
@click.option("--shard", metavar="I/N", help="Grade only shard I of N (by a hash of the student id); "
                                             "combine the shards' results files with 'effquiz merge'.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: when stderr is a terminal).")
def grade(submissions: Path, build_dir: Path, out: Path, feedback: Path | None, results: Path | None, engine: str,
          workers: int | None, timeout: float, cell_timeout: float, memory_limit: str, regrade: bool,
          shard: str | None, progress: bool | None) -> None:
    """Grade the notebooks in SUBMISSIONS (<student_id>.ipynb or export .zip) into a gradebook.

    Each result is saved as soon as it is graded. Running the command again grades only
    new and changed submissions; Ctrl-C stops after writing a consistent gradebook.
    """
    try:
        limits = GradingLimits(submission_timeout=timeout, cell_timeout=cell_timeout,
                               memory_bytes=parse_size(memory_limit))
        shard_spec = ShardSpec.parse(shard) if shard else None
    except GradingError as error:
        raise click.BadParameter(str(error)) from error
    bar = ProgressBar(sys.stderr.isatty() if progress is None else progress)
    try:
        report = grade_folder(build_dir=build_dir, submissions=submissions, out=out, feedback=feedback,
                              results=results, engine=engine, workers=workers or default_workers(), limits=limits,
                              regrade=regrade, shard=shard_spec, progress=bar)
    finally:
        bar.stop()
    print_report(report)
    if report.interrupted:
        sys.exit(INTERRUPTED_EXIT)
