"""The judge: compares collected answers with reference answers, outside the student's kernel.

The judge reads only plain JSON that the kernel wrote (see ``kernel_code.py``), decodes
it strictly, and compares numbers in exact arithmetic. Nothing the student's code did
in its own process can change these comparisons. Messages say what would have been
accepted, never the reference value itself.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from effquiz.templates.schema import PartSpec, Tolerance
from effquiz.variants.model import PartAnswer, Variant

from effquiz.grader.results import PartResult

logger = logging.getLogger(__name__)

_MAX_INT_DIGITS = 400


@dataclass(frozen=True)
class Verdict:
    """The judge's decision on one answer, before points are attached."""

    status: str
    message: str
    misconception: str | None = None

    @property
    def correct(self) -> bool:
        """Whether the answer earns the part's points."""
        return self.status == "correct"


def letters(count: int) -> list[str]:
    """Return the choice letters a, b, c, ... for ``count`` choices."""
    return [chr(ord("a") + index) for index in range(count)]


def decode_number(encoded: Any) -> Fraction | None:
    """Return the exact value of an encoded int or float, or None if it is not a finite number."""
    if not isinstance(encoded, dict):
        return None
    kind, value = encoded.get("kind"), encoded.get("value")
    if not isinstance(value, str):
        return None
    if kind == "int" and len(value) <= _MAX_INT_DIGITS:
        try:
            return Fraction(int(value))
        except ValueError:
            return None
    if kind == "float":
        try:
            number = float(value)
        except ValueError:
            return None
        return Fraction(number) if math.isfinite(number) else None
    return None


def describe_tolerance(tolerance: Tolerance) -> str:
    """Return a phrase such as 'within a relative tolerance of 0.01%'."""
    if tolerance.sigfigs is not None:
        return f"rounding to the same value at {tolerance.sigfigs} significant figures"
    pieces = []
    if tolerance.relative:
        pieces.append(f"a relative tolerance of {float(tolerance.relative) * 100:g}%")
    if tolerance.absolute:
        pieces.append(f"an absolute tolerance of {float(tolerance.absolute):g}")
    if not pieces:
        return "exactly equal"
    return "within " + " or ".join(pieces)


def within(value: Fraction, reference: Fraction, tolerance: Tolerance) -> bool:
    """Return whether ``value`` is accepted for ``reference`` under ``tolerance``."""
    if tolerance.sigfigs is not None:
        return _round_sigfigs(value, tolerance.sigfigs) == _round_sigfigs(reference, tolerance.sigfigs)
    allowed = max(tolerance.absolute, tolerance.relative * abs(reference))
    return abs(value - reference) <= allowed


def _round_sigfigs(value: Fraction, sigfigs: int) -> Fraction:
    if value == 0:
        return Fraction(0)
    exponent = math.floor(math.log10(abs(float(value))))
    unit = Fraction(10) ** (exponent - sigfigs + 1)
    return round(value / unit) * unit


def _matches(part: PartSpec, submitted: Any, reference: Any) -> bool:
    if part.kind == "choice":
        return submitted == reference
    if part.kind == "integer":
        return submitted == reference
    if part.kind == "number":
        return within(submitted, Fraction(reference), part.tolerance)
    return len(submitted) == len(reference) and all(
        within(value, Fraction(ref), part.tolerance) for value, ref in zip(submitted, reference))


def _decode(part: PartSpec, encoded: Any) -> tuple[Any, str | None]:
    """Return the submitted value in the part's canonical form, or (None, why it has the wrong form)."""
    variable = part.variable
    kind = encoded.get("kind") if isinstance(encoded, dict) else None
    if kind == "undefined":
        return None, f"No answer: `{variable}` was not defined when the question was checked."
    if kind == "missing":
        return None, f"No answer: `{variable}` is still `...`."
    if part.kind == "choice":
        if kind != "str":
            return None, f"Not graded: `{variable}` must be the letter of a choice as a string."
        text = encoded["value"].strip().lower()
        keys = [key for key, _ in part.choices]
        for letter, (key, choice_text) in zip(letters(len(keys)), part.choices):
            if text in (letter, key.lower(), choice_text.strip().lower()):
                return key, None
        return None, f"Not graded: `{variable}` is not one of the letters {', '.join(letters(len(keys)))}."
    if part.kind in ("vector", "interval"):
        if kind != "list":
            return None, f"Not graded: `{variable}` must be a list of numbers."
        values = [decode_number(item) for item in encoded.get("items", [])]
        if any(value is None for value in values):
            return None, f"Not graded: every entry of `{variable}` must be a finite number."
        return tuple(values), None
    value = decode_number(encoded)
    if value is None:
        what = encoded.get("type", kind) if isinstance(encoded, dict) else "unreadable"
        return None, f"Not graded: `{variable}` must be a finite number, not {what}."
    if part.kind == "integer":
        if value.denominator != 1:
            return None, f"Not graded: `{variable}` must be a whole number."
        return int(value), None
    return value, None


def judge_part(part: PartSpec, answer: PartAnswer, encoded: Any) -> Verdict:
    """Decide one part: correct, a known misconception, incorrect, missing or invalid."""
    submitted, problem = _decode(part, encoded)
    if problem is not None:
        status = "missing" if problem.startswith("No answer") else "invalid"
        return Verdict(status, problem)
    if part.kind == "vector" and len(submitted) != len(answer.value):
        return Verdict("incorrect", f"Not accepted: `{part.variable}` must have {len(answer.value)} entries.")
    accepted = describe_tolerance(part.tolerance)
    if _matches(part, submitted, answer.value):
        return Verdict("correct", "Correct." if part.kind in ("choice", "integer") else f"Correct: accepted {accepted}.")
    for name, wrong in answer.misconceptions.items():
        if _matches(part, submitted, wrong):
            spec = next(m for m in part.misconceptions if m.name == name)
            return Verdict("incorrect", f"Not accepted. {spec.feedback}", misconception=name)
    if part.kind in ("choice", "integer"):
        return Verdict("incorrect", "Not accepted.")
    return Verdict("incorrect", f"Not accepted: answers {accepted} of the exact value earn credit.")


def judge_variant(question_id: str, variant: Variant, template_parts: tuple[PartSpec, ...],
                  part_points: dict[str, Fraction], collected: dict[str, Any] | None) -> list[PartResult]:
    """Judge every part of one question from the answers collected for it."""
    results = []
    for part in template_parts:
        points = part_points[part.name]
        if collected is None:
            verdict = Verdict("not graded", "Not graded: the notebook did not reach this question's check. "
                                            "Run every cell in order before you submit.")
        else:
            verdict = judge_part(part, variant.answers[part.name], collected.get(part.variable))
        results.append(PartResult(
            question=question_id, part=part.name, variable=part.variable,
            score=points if verdict.correct else Fraction(0), max_score=points,
            status=verdict.status, message=verdict.message, misconception=verdict.misconception,
        ))
    return results
