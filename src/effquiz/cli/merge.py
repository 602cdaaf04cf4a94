"""``effquiz merge``: the results files of a sharded batch into one gradebook."""

from __future__ import annotations

from pathlib import Path

import click

from effquiz.cli.app import console, main
from effquiz.grader.merge import merge_results


@main.command()
@click.argument("results_files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Gradebook CSV to write.")
@click.option("--feedback", type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write every student's <student_id>.json feedback into (default: none).")
@click.option("--results", type=click.Path(path_type=Path, dir_okay=False),
              help="Merged results file to write (default: <out>.results.jsonl beside --out).")
@click.option("--partial", is_flag=True, help="Merge even with shards missing or unfinished; their students "
                                              "appear as not graded.")
def merge(results_files: tuple[Path, ...], out: Path, feedback: Path | None, results: Path | None,
          partial: bool) -> None:
    """Merge the RESULTS_FILES that 'effquiz grade --shard I/N' wrote into one gradebook."""
    report = merge_results(list(results_files), out=out, feedback=feedback, results=results, partial=partial)
    for line in report.summary.lines():
        console.print(line, highlight=False, markup=False)
    if report.feedback is None:
        written = f"Wrote {report.gradebook} and the merged results {report.results}."
    else:
        written = f"Wrote {report.gradebook}, the merged results {report.results} and the feedback in {report.feedback}."
    console.print(written, highlight=False, markup=False, soft_wrap=True)
