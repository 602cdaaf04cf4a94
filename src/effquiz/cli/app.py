"""The click group, logging set-up and error reporting shared by every command."""

from __future__ import annotations

import logging
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

import effquiz
from effquiz.errors import EffquizError, InputError

console = Console()
errors = Console(stderr=True)


class _Group(click.Group):
    """A click group that prints effquiz errors as one message and sets the exit code.

    Invalid input (a template, assignment or roster) exits with 2; other failures with 1.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EffquizError as error:
            errors.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
            ctx.exit(2 if isinstance(error, InputError) else 1)


@click.group(cls=_Group)
@click.version_option(effquiz.__version__, prog_name="effquiz")
@click.option("-v", "--verbose", count=True, help="Log more: -v for progress, -vv for seeds and paths.")
def main(verbose: int) -> None:
    """Randomized, auto-graded exercises on LLM efficiency for Otter-grader."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
