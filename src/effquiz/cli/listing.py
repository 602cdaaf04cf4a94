"""``effquiz list``: the templates of the bank."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from effquiz.cli.app import console, main
from effquiz.cli.render import bank_option
from effquiz.templates.bank import Bank
from effquiz.templates.schema import Template


def template_entry(template: Template) -> dict[str, Any]:
    """Return the JSON entry of one template: id, topic, title, version, parts and path."""
    return {"id": template.id, "topic": template.topic, "title": template.title, "version": template.version,
            "parts": [part.name for part in template.parts],
            "part_kinds": {part.name: part.kind for part in template.parts},
            "params": [spec.name for spec in template.params], "path": str(template.path)}


@main.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects instead of a table.")
@bank_option
def list_templates(as_json: bool, banks: tuple[Path, ...]) -> None:
    """List the templates of the bank: id, topic, title, parts and version."""
    bank = Bank.load(*banks)
    templates = [bank.templates[template_id] for template_id in sorted(bank.templates)]
    if as_json:
        click.echo(json.dumps([template_entry(template) for template in templates], indent=2, ensure_ascii=False))
        return
    for template in templates:
        console.print(f"{template.id} (version {template.version}, {template.topic})\n  {template.title}\n"
                      f"  parts: {', '.join(part.name for part in template.parts)}", markup=False, highlight=False, soft_wrap=True)
