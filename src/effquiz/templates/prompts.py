"""Prompt rendering in a sandboxed Jinja2 environment.

Prompts are Markdown with ``{{ name }}`` placeholders. The environment is Jinja2's
``SandboxedEnvironment`` with ``StrictUndefined``, so a misspelled name fails instead of
printing nothing, and template code cannot reach Python internals.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment


class Shown(Fraction):
    """A parameter value that prints exactly as the student sees it.

    ``Shown`` is a Fraction, so arithmetic on it stays exact, but ``str`` gives the text
    with the template's display precision, such as ``3.1416`` or ``0.50``.
    """

    text: str

    def __new__(cls, value: Fraction, text: str) -> "Shown":
        self = super().__new__(cls, value.numerator, value.denominator)
        self.text = text
        return self

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return self.text if not spec else format(float(self), spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Shown, (Fraction(self.numerator, self.denominator), self.text))


def format_number(value: Any, digits: int = 6) -> str:
    """Return readable text for a number: integers whole, short decimals exact, else 6 significant digits."""
    if isinstance(value, Shown):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        decimal = _terminating_decimal(value, max_places=digits)
        if decimal is not None:
            return decimal
        return f"{float(value):.{digits}g}"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _terminating_decimal(value: Fraction, max_places: int) -> str | None:
    for places in range(1, max_places + 1):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return str(Decimal(scaled.numerator).scaleb(-places))
    return None


def _fixed(value: Any, places: int) -> str:
    """Jinja filter ``fixed(n)``: the number with exactly ``n`` decimal places."""
    return f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}" if isinstance(value, Fraction) \
        else f"{float(value):.{places}f}"


def _fraction(value: Any) -> str:
    """Jinja filter ``fraction``: the exact value as ``p/q``."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _finalize(value: Any) -> Any:
    if isinstance(value, (Fraction, float, bool)):
        return format_number(value)
    return value


def make_environment() -> SandboxedEnvironment:
    """Return the sandboxed Jinja2 environment used for every prompt."""
    environment = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        finalize=_finalize,
    )
    environment.filters["fixed"] = _fixed
    environment.filters["fraction"] = _fraction
    environment.filters["number"] = format_number
    return environment


ENVIRONMENT = make_environment()


def undeclared_names(text: str) -> set[str]:
    """Return the names that a prompt reads; raise jinja2.TemplateSyntaxError if it does not parse."""
    return set(jinja2.meta.find_undeclared_variables(ENVIRONMENT.parse(text)))


@functools.lru_cache(maxsize=1024)
def _compiled(text: str) -> jinja2.Template:
    return ENVIRONMENT.from_string(text)


def render(text: str, values: dict[str, Any]) -> str:
    """Render a prompt; raise jinja2.TemplateError on an undefined name or a sandbox violation."""
    return _compiled(text).render(values).strip()
