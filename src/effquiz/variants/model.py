"""The variant data that the generator writes and the builder and grader read."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class PartAnswer:
    """The exact reference answer of one part, and the answers of its misconceptions.

    ``value`` has the canonical form of the part's kind (see
    :func:`effquiz.variants.generate.normalize`). ``misconceptions`` maps each
    misconception name to its wrong answer in the same form; a misconception that is
    undefined for this variant is absent.
    """

    part: str
    kind: str
    variable: str
    value: Any
    misconceptions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Variant:
    """One drawn instance of a template: its seed, parameters, prompts and answers."""

    problem: str
    version: int
    seed: int
    params: dict[str, Any]
    prompt: str
    part_prompts: dict[str, str]
    answers: dict[str, PartAnswer]


def exact_text(value: Fraction | int) -> str:
    """Return ``p/q`` for a fraction, or the integer alone."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def json_value(value: Any) -> Any:
    """Return a JSON-ready form of a parameter: numbers as floats or ints, tuples as lists."""
    if isinstance(value, bool) or isinstance(value, (str, int)) or value is None:
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    if isinstance(value, (tuple, list)):
        return [json_value(element) for element in value]
    return str(value)


def answer_json(answer: PartAnswer, choices: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """Return the JSON form of a reference answer.

    ``answer`` is a float, an int, a list of floats or, for a choice part, the text of the
    correct choice. Rational answers also carry ``exact`` as ``p/q`` text. A function part
    has no single answer, so its ``answer`` is None.
    """
    value = answer.value
    if answer.kind == "function":
        return {"answer": None}
    if answer.kind == "choice":
        return {"answer": dict(choices)[value], "choice": value}
    if answer.kind == "integer":
        return {"answer": int(value)}
    if answer.kind in ("vector", "interval"):
        return {"answer": [float(element) for element in value], "exact": [exact_text(element) for element in value]}
    return {"answer": float(value), "exact": exact_text(value)}


def params_json(params: dict[str, Any]) -> dict[str, Any]:
    """Return the JSON form of a variant's parameters."""
    return {name: json_value(value) for name, value in params.items()}
