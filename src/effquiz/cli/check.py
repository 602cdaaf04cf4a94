"""``effquiz check``: load templates and assignments, and sweep each template's variants."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from effquiz.check import DEFAULT_MAX_DUPLICATE_RATE, CheckReport, check_paths
from effquiz.check.model import CHECKS
from effquiz.cli.app import console, errors, main
from effquiz.cli.render import bank_option
from effquiz.templates.bank import Bank


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-n", "--variants", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Variants to draw from each template.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the first variant; the sweep uses SEED, SEED + 1, ...")
@click.option("--max-duplicate-rate", type=click.FloatRange(0, 1), default=float(DEFAULT_MAX_DUPLICATE_RATE),
              show_default=True, help="Largest accepted share of variants that repeat an earlier one, unless a "
                                      "template sets checks.max_duplicate_rate.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@bank_option
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], variants: int, seed: int, max_duplicate_rate: float,
          as_json: bool, banks: tuple[Path, ...]) -> None:
    """Load the templates and assignments in PATHS and sweep each template for problems.

    PATHS are templates, assignments or folders of them (default: the --bank folders, else
    the shipped bank). Exits with 0 when nothing is found, 1 when a sweep finds problems and
    2 when a file does not load.
    """
    if not paths and banks:
        paths = banks
    report = check_paths(paths, variants=variants, seed=seed, bank=Bank.load(*banks) if banks else None,
                         max_duplicate_rate=Fraction(max_duplicate_rate).limit_denominator(10**6))
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print_report(report)
    ctx.exit(report.exit_code)


def print_report(report: CheckReport) -> None:
    """Print the load errors, a summary table of the sweeps, and each finding."""
    for message in report.errors:
        errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    if report.templates:
        console.print(_table(report))
    for assignment in report.assignments:
        questions = ", ".join(f"{qid} ({problem}, {points:g} points)" for qid, problem, points in assignment.questions)
        console.print(f"assignment {assignment.name} ({assignment.path}): course seed {assignment.course_seed}; "
                      f"questions {questions}", markup=False, highlight=False, soft_wrap=True)
    for finding in report.findings:
        console.print(f"\n{finding.template}: {finding.check} at {finding.where}: {finding.count} of "
                      f"{report.variants} variants ({finding.rate:.1%})", markup=False, highlight=False, soft_wrap=True)
        console.print(f"  {finding.detail}", markup=False, highlight=False, soft_wrap=True)
        if finding.seeds:
            line = f"  seeds {', '.join(map(str, finding.seeds))}"
            if finding.params:
                params = ", ".join(f"{name}={_text(value)}" for name, value in finding.params.items())
                line += f"; seed {finding.seeds[0]} has {params}"
            console.print(line, markup=False, highlight=False, soft_wrap=True)
    if report.exit_code == 0:
        status = "no problems found"
    else:
        status = _count(len(report.findings), "finding")
        if report.errors:
            status += f", {_count(len(report.errors), 'file')} that did not load"
    console.print(f"\nchecked {_count(len(report.templates), 'template')} and "
                  f"{_count(len(report.assignments), 'assignment')}, {report.variants} variants per template: "
                  f"{status}.", markup=False, highlight=False, soft_wrap=True)


def _table(report: CheckReport) -> Table:
    table = Table(title=f"{report.variants} variants per template, seeds {report.seed} to "
                        f"{report.seed + report.variants - 1}")
    table.add_column("template", no_wrap=True)
    table.add_column("version", justify="right")
    table.add_column("distinct", justify="right")
    table.add_column("findings (variants)")
    table.add_column("seconds", justify="right")
    for summary in report.templates:
        found = ", ".join(f"{check} {summary.counts[check]}" for check in CHECKS if summary.counts[check]) or "none"
        table.add_row(summary.id, str(summary.version), f"{summary.distinct}/{summary.generated}", found,
                      f"{summary.seconds:.1f}")
    return table


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
