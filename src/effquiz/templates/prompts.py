"""Prompt rendering in a sandboxed Jinja2 environment.

Prompts are Markdown with ``{{ name }}`` placeholders. The environment is Jinja2's
``SandboxedEnvironment`` with ``StrictUndefined``, so a misspelled name fails instead of
printing nothing, and template code cannot reach Python internals.
"""

from __future__ import annotations

import contextvars
import functools
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable

import jinja2
import jinja2.meta
import jinja2.nodes
import jinja2.sandbox
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
    exact = Fraction(value) if isinstance(value, (int, Fraction)) else None
    if exact is not None:
        text = f"{Decimal(exact.numerator) / Decimal(exact.denominator):.{places}f}"
    else:
        text = f"{float(value):.{places}f}"
    return _record(value, text)


def _fraction(value: Any) -> str:
    """Jinja filter ``fraction``: the exact value as ``p/q``."""
    exact = Fraction(value)
    return _record(value, str(exact.numerator) if exact.denominator == 1 else f"{exact.numerator}/{exact.denominator}")


def _number_filter(value: Any, digits: int = 6) -> str:
    """Jinja filter ``number``: the readable text of :func:`format_number`."""
    return _record(value, format_number(value, digits))


_shown: contextvars.ContextVar[list[tuple[Any, str]] | None] = contextvars.ContextVar("effquiz_shown", default=None)


def _record(value: Any, text: str) -> str:
    """Note that ``value`` was printed as ``text`` while :func:`displayed_numbers` renders."""
    shown = _shown.get()
    if shown is not None and isinstance(value, (int, Fraction, float)) and not isinstance(value, bool):
        shown.append((value, text))
    return text


def _finalize(value: Any) -> Any:
    if isinstance(value, (Fraction, float, bool)):
        return _record(value, format_number(value))
    if isinstance(value, int):
        return _record(value, str(value))
    return value


class _PromptEnvironment(SandboxedEnvironment):
    """Jinja2's sandbox with exact ``/`` on numbers and a bounded ``**``.

    Jinja2 divides two ints into a float, so ``{{ (1 / n) | fraction }}`` would print the
    binary value of the float. Here ``/`` on ints and Fractions gives the exact Fraction.
    """

    intercepted_binops = frozenset({"/", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        exact = all(isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in (left, right))
        if operator == "/" and exact and right != 0:
            return Fraction(left) / right
        if operator == "**" and isinstance(right, (int, float, Fraction)) and abs(right) > _MAX_POWER:
            raise jinja2.sandbox.SecurityError(f"the exponent {right} is larger than {_MAX_POWER}")
        return super().call_binop(context, operator, left, right)


_MAX_POWER = 4096


def make_environment() -> SandboxedEnvironment:
    """Return the sandboxed Jinja2 environment used for every prompt."""
    environment = _PromptEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        finalize=_finalize,
    )
    environment.filters["fixed"] = _fixed
    environment.filters["fraction"] = _fraction
    environment.filters["number"] = _number_filter
    for name in ("round", "int", "float"):
        environment.filters[name] = _recording(environment.filters[name])
    return environment


def _recording(jinja_filter: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap one of Jinja2's number filters so that :func:`displayed_numbers` sees what it printed."""
    @functools.wraps(jinja_filter)
    def wrapped(value: Any, *args: Any, **kwargs: Any) -> Any:
        result = jinja_filter(value, *args, **kwargs)
        _record(value, str(result))
        return result

    return wrapped


ENVIRONMENT = make_environment()
PROMPT_FILTERS = ("fixed", "fraction", "number")
"""The filters that effquiz adds to Jinja2's built-in ones, which prompts may use too."""


def undeclared_names(text: str) -> set[str]:
    """Return the names that a prompt reads; raise jinja2.TemplateSyntaxError if it does not parse."""
    return set(jinja2.meta.find_undeclared_variables(ENVIRONMENT.parse(text)))


def compile_prompt(text: str) -> set[str]:
    """Compile a prompt and return the names it reads.

    Raises jinja2.TemplateSyntaxError when it does not parse, and its subclass
    TemplateAssertionError when it names a filter or test that does not exist.
    """
    _compiled(text)
    return undeclared_names(text)


def unsafe_attributes(text: str) -> list[str]:
    """Return the attributes starting with '_' that a prompt reads, which the sandbox rejects at render time."""
    found = []
    for node in ENVIRONMENT.parse(text).find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        name = node.attr if isinstance(node, jinja2.nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and name.startswith("_"):
            found.append(name)
    return found


@functools.lru_cache(maxsize=1024)
def _compiled(text: str) -> jinja2.Template:
    return ENVIRONMENT.from_string(text)


def render(text: str, values: dict[str, Any]) -> str:
    """Render a prompt; raise jinja2.TemplateError on an undefined name or a sandbox violation."""
    return _compiled(text).render(values).strip()


def displayed_numbers(text: str, values: dict[str, Any]) -> list[tuple[Any, str]]:
    """Render a prompt and return each number it prints with the text printed for it, in order.

    Numbers printed through a placeholder or through the ``fixed``, ``fraction``,
    ``number``, ``round``, ``int`` and ``float`` filters are recorded. Numbers formatted
    by other means, such as the ``format`` filter, are not.
    """
    shown: list[tuple[Any, str]] = []
    token = _shown.set(shown)
    try:
        render(text, values)
    finally:
        _shown.reset(token)
    return shown
