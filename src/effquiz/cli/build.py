"""``effquiz build``: student notebooks, answer keys and the autograder zip."""

from __future__ import annotations

from pathlib import Path

import click

from effquiz.build import build as run_build
from effquiz.cli.app import console, main
from effquiz.cli.render import bank_option
from effquiz.templates.bank import Bank


@main.command()
@click.argument("assignment", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--roster", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="CSV with a student_id column and optional name and email columns.")
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Output folder; replaced as a whole when the build succeeds.")
@bank_option
def build(assignment: Path, roster: Path, out: Path, banks: tuple[Path, ...]) -> None:
    """Build student notebooks, answer keys and the autograder zip for ASSIGNMENT."""
    result = run_build(assignment_path=assignment, roster_path=roster, out=out,
                       bank=Bank.load(*banks) if banks else None)
    console.print(f"Built {result.students} notebooks in {result.out}/student, their keys in {result.out}/keys "
                  f"and the autograder {result.autograder}.", highlight=False)
