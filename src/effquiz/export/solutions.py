"""Worked solution steps for answer keys.

A part's ``solution:`` text renders in the prompts' Jinja sandbox over the parameters,
``answer`` (the part's reference answer) and ``answers`` (every part's, by name). A part
without one gets the computation chain of its answer rule instead: the function or
expression, each argument with its value, and the result.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from effquiz.errors import TemplateError
from effquiz.templates.expressions import ExpressionError
from effquiz.templates.prompts import format_number, render
from effquiz.templates.schema import PartSpec, Template
from effquiz.variants.model import Variant

_MAX_SHOWN_ENTRIES = 8


def worked_steps(template: Template, part: PartSpec, variant: Variant) -> str:
    """Return the worked solution of one part as Markdown."""
    answers = {name: answer.value for name, answer in variant.answers.items()}
    if part.solution:
        try:
            return render(part.solution, {**variant.params, "answer": answers[part.name], "answers": answers})
        except Exception as error:  # jinja2 raises many types; each is a template defect here
            raise TemplateError(f"the solution of part {part.name!r} of {template.id} failed to render: {error}",
                                key=f"parts.{part.name}.solution", location=part.location,
                                fix="check the placeholders against the parameters, answer and answers.") from error
    return computation_chain(part, variant)


def computation_chain(part: PartSpec, variant: Variant) -> str:
    """Describe how the reference answer is computed from the parameters, with every value."""
    rule = part.answer
    params = variant.params
    if rule.function is not None:
        lines = [f"Computed with `{rule.function}` from:"]
        for name, expression in rule.args:
            value = show_value(_evaluate(expression, params))
            text = value if expression.source in (name, value) else f"`{expression.source}` = {value}"
            lines.append(f"- {name} = {text}")
    else:
        assert rule.expr is not None
        lines = [f"Computed as `{rule.expr.source}` with:"]
        lines += [f"- {name} = {show_value(params[name])}" for name in sorted(rule.expr.names) if name in params]
    if rule.pick is not None:
        lines.append(f"- then the entry `{rule.pick.source}` = {show_value(_evaluate(rule.pick, params))} of the result")
    lines.append("")
    result = show_answer(part, variant.answers[part.name].value)
    lines.append(f"which gives {result}" + ("" if result.endswith(".") else "."))
    return "\n".join(lines)


def _evaluate(expression, params: dict[str, Any]) -> Any:
    try:
        return expression.evaluate(params)
    except ExpressionError as error:
        return f"(undefined: {error})"


def show_value(value: Any) -> str:
    """Return a short text for a parameter or intermediate value; long vectors are cut."""
    if isinstance(value, (tuple, list)):
        entries = [show_value(entry) for entry in value[:_MAX_SHOWN_ENTRIES]]
        more = f", … ({len(value)} entries)" if len(value) > _MAX_SHOWN_ENTRIES else ""
        return "[" + ", ".join(entries) + more + "]"
    if hasattr(value, "scale") and hasattr(value, "zero_point"):
        return f"S = {show_value(value.scale)}, Z = {value.zero_point}"
    return format_number(value)


def show_answer(part: PartSpec, value: Any) -> str:
    """Return the reference answer as a key shows it: exact, with a decimal where that helps."""
    if part.kind == "choice":
        return f"“{value}”: {part.choice_text(value)}"
    if isinstance(value, tuple):
        return "[" + ", ".join(show_answer_number(entry) for entry in value) + "]"
    return show_answer_number(value)


def show_answer_number(value: Any) -> str:
    """Return a number as ``p/q ≈ decimal``, or as the decimal alone when that is exact."""
    value = Fraction(value)
    decimal = format_number(value, digits=8)
    if value.denominator == 1 or Fraction(decimal) == value:
        return decimal
    return f"{value.numerator}/{value.denominator} ≈ {decimal}"
