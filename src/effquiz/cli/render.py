"""``effquiz render``: one variant of a problem with its reference answers."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import click

from effquiz.cli.app import main
from effquiz.grader.functions import expected_outcomes, solution
from effquiz.grader.probes import function_probes
from effquiz.grader.judge import describe_tolerance, letters
from effquiz.templates.bank import Bank
from effquiz.templates.prompts import Shown, format_number
from effquiz.templates.schema import PartSpec, Template
from effquiz.variants import Variant, answer_json, exact_text, generate_variant, params_json

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_RATIO = re.compile(r"^[+-]?\d+/\d+$")


def parse_setting(text: str) -> tuple[str, Any]:
    """Parse ``NAME=VALUE`` from ``--set``.

    true and false become booleans, whole numbers ints, decimals and ratios such as 4/255
    exact numbers that print as typed, and anything else a plain word.
    """
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not NAME=VALUE; write for example --set bits=8.", param_hint="--set")
    if raw.lower() in ("true", "false"):
        return name, raw.lower() == "true"
    if _INTEGER.match(raw):
        return name, int(raw)
    if _DECIMAL.match(raw) or _RATIO.match(raw):
        return name, Shown(Fraction(raw), raw)
    return name, raw


def bank_option(function: Any) -> Any:
    """Add the ``--bank`` option, which names folders of templates."""
    return click.option("--bank", "banks", multiple=True, type=click.Path(path_type=Path, file_okay=False),
                        help="Folder of templates; repeatable (default: the bank that ships with effquiz).")(function)


@main.command()
@click.argument("problem")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the variant to draw.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Fix a parameter to VALUE, used exactly as given; repeatable.")
@click.option("--example", help="Start from one of the template's named examples, such as 'lecture'.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@bank_option
def render(problem: str, seed: int, settings: tuple[str, ...], example: str | None, as_json: bool,
           banks: tuple[Path, ...]) -> None:
    """Print one variant of PROBLEM with its reference answers."""
    template = Bank.load(*banks).get(problem)
    overrides: dict[str, Any] = {}
    if example is not None:
        if example not in template.examples:
            names = ", ".join(template.examples) or "none"
            raise click.BadParameter(f"{problem} has no example {example!r}; its examples are: {names}.",
                                     param_hint="--example")
        overrides.update(template.examples[example])
    overrides.update(parse_setting(setting) for setting in settings)
    variant = generate_variant(template, seed, overrides=overrides)
    parts = {part.name: (function_json(template, part, seed) if part.kind == "function"
                         else {**answer_json(variant.answers[part.name], part.choices), "variable": part.variable})
             for part in template.parts}
    if as_json:
        payload = {"problem": template.id, "version": template.version, "seed": seed,
                   "params": params_json(variant.params), "parts": parts}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    origin = f"seed {seed}" + (f", example {example!r}" if example is not None else "") + \
        (", with --set values" if settings else "")
    print_variant(template, variant, parts, origin)


def function_json(template: Template, part: PartSpec, seed: int) -> dict[str, Any]:
    """Return a function part's preview: its signature and each probe with the reference outcome.

    A sampling step lists its settings instead; its verdict comes from a statistical test.
    """
    spec = part.function
    assert spec is not None
    entry: dict[str, Any] = {"variable": part.variable, "function": f"{spec.name}({', '.join(spec.parameters)})"}
    if spec.sampling is not None:
        entry["sampling"] = {"settings": len(spec.sampling.settings), "calls": spec.sampling.calls}
        return entry
    probes = function_probes(template, part, seed)
    outcomes = expected_outcomes(solution(spec), probes)
    entry["probes"] = [{"label": probe.label, "args": probe.args, "hidden": probe.hidden, "expected": outcome}
                       for probe, outcome in zip(probes, outcomes)]
    return entry


def print_variant(template: Template, variant: Variant, parts: dict[str, dict[str, Any]], origin: str) -> None:
    """Print the variant as plain text: parameters, the prompt with its numbers, then each part.

    Each part shows its prompt, the reference answer with its exact value and the
    tolerance that the judge applies, then each misconception with its wrong answer and
    its feedback. ``origin`` names the seed and any example or ``--set`` values in the header.
    """
    lines = [f"{template.id} (version {template.version}), {origin}", template.title, "",
             "Parameters: " + ", ".join(f"{name} = {format_number(value)}" for name, value in variant.params.items()),
             "", variant.prompt]
    for letter, part in zip(letters(len(template.parts)), template.parts):
        answer = variant.answers[part.name]
        lines += ["", f"({letter}) {part.name}: {variant.part_prompts[part.name]}",
                  f"    variable: {part.variable} ({part.kind})"]
        if part.kind == "function":
            lines += _function_lines(parts[part.name])
            continue
        if part.kind == "choice":
            for choice_letter, (key, text) in zip(letters(len(part.choices)), part.choices):
                lines.append(f"    {choice_letter}) {key}: {text}")
        lines.append(f"    answer: {_text(answer.value, part)}")
        if part.kind not in ("choice", "integer"):
            lines.append(f"    accepted: {describe_tolerance(part.tolerance)}")
        for misconception in part.misconceptions:
            if misconception.name in answer.misconceptions:
                wrong = _text(answer.misconceptions[misconception.name], part)
                lines.append(f"    misconception {misconception.name}: {wrong}")
            else:
                lines.append(f"    misconception {misconception.name}: does not apply to this variant")
            lines.append(f"        {misconception.feedback}")
    click.echo("\n".join(lines))


def _function_lines(entry: dict[str, Any]) -> list[str]:
    lines = [f"    function: {entry['function']}"]
    if "sampling" in entry:
        sampling = entry["sampling"]
        return lines + [f"    graded by a statistical test over {sampling['calls']} calls in "
                        f"{sampling['settings']} setting(s); see docs/grading.md"]
    for probe in entry["probes"]:
        args = ", ".join(f"{name}={_plain(value)}" for name, value in probe["args"].items())
        hidden = " (hidden)" if probe["hidden"] else ""
        lines.append(f"    {probe['label']}{hidden}:")
        lines.append(f"        ({args}) -> {_outcome(probe['expected'])}")
    return lines


def _plain(value: Any) -> Any:
    """Return a probe argument or an encoded value as plain Python data for printing."""
    if isinstance(value, dict) and "array" in value:
        return value["array"]
    if isinstance(value, dict) and "kind" in value:
        kind = value["kind"]
        if kind == "list":
            return [_plain(item) for item in value.get("items", [])]
        if kind == "int":
            return int(value["value"])
        if kind == "float":
            return float(value["value"])
        return value.get("value", value.get("type", kind))
    return value


def _outcome(outcome: dict[str, Any]) -> str:
    if "returned" in outcome:
        return str(_plain(outcome["returned"]))
    if "raised" in outcome:
        return f"raises {outcome['raised'][0]}"
    return str(outcome)


def _text(value: Any, part: PartSpec) -> str:
    """Return an answer as text: a choice with its key, a number with its exact value when they differ."""
    if part.kind == "choice":
        return f"{value}: {part.choice_text(value)}" if value in dict(part.choices) else str(value)
    if isinstance(value, tuple):
        text = "[" + ", ".join(format_number(element, digits=8) for element in value) + "]"
        exact = "[" + ", ".join(exact_text(element) for element in value) + "]"
    else:
        text, exact = format_number(value, digits=8), exact_text(value)
    return text if text == exact else f"{text} (exact {exact})"
