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

from effquiz.templates.schema import PartSpec
from effquiz.variants.model import PartAnswer

from effquiz.grader.tolerance import accepted_phrase, describe_tolerance, tolerance_phrase, within

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
        # The text is the float's shortest repr, so this is the decimal the student sees, as in
        # effquiz.core.to_exact: 0.1 is exactly 1/10.
        return Fraction(repr(number)) if math.isfinite(number) else None
    return None


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
        found = encoded.get("type", kind) if isinstance(encoded, dict) else "unreadable"
        if kind == "float" and isinstance(encoded.get("value"), str):
            # A float that is not finite is nan, inf or -inf, and that text is clearer than the type name.
            found = encoded["value"]
        return None, f"Not graded: `{variable}` must be a finite number, not {found}."
    if part.kind == "integer":
        if value.denominator != 1:
            return None, f"Not graded: `{variable}` must be a whole number."
        return int(value), None
    return value, None


def _matches(part: PartSpec, submitted: Any, reference: Any) -> bool:
    if part.kind in ("choice", "integer"):
        return submitted == reference
    if part.kind == "number":
        return within(submitted, Fraction(reference), part.tolerance)
    return len(submitted) == len(reference) and all(
        within(value, Fraction(ref), part.tolerance) for value, ref in zip(submitted, reference))


def _form_problem(part: PartSpec, submitted: Any, reference: Any) -> str | None:
    """Return why a list answer cannot be right whatever its values, or None."""
    variable = part.variable
    if part.kind == "interval":
        if len(submitted) != 2:
            return f"`{variable}` must be [lower, upper], two numbers, not {len(submitted)}."
        if submitted[0] > submitted[1]:
            return f"the lower bound of `{variable}` exceeds its upper bound."
    if part.kind == "vector" and len(submitted) != len(reference):
        return f"`{variable}` must have {len(reference)} entries, not {len(submitted)}."
    if part.distribution:
        if any(value < 0 for value in submitted):
            return f"`{variable}` is a probability distribution, so no entry may be negative."
        total = sum(submitted, Fraction(0))
        if not within(total, Fraction(1), part.tolerance):
            return (f"the entries of `{variable}` sum to {float(total):.6g}; a probability distribution sums to 1 "
                    f"({describe_tolerance(part.tolerance)}).")
    return None


def _wrong_entries(part: PartSpec, submitted: tuple[Fraction, ...], reference: tuple[Any, ...]) -> str:
    """Name the entries outside the tolerance, by index or as lower and upper bound."""
    wrong = [index for index, (value, ref) in enumerate(zip(submitted, reference))
             if not within(value, Fraction(ref), part.tolerance)]
    if part.kind == "interval":
        return " and ".join(("the lower bound", "the upper bound")[index] for index in wrong) + " of"
    indices = ", ".join(f"[{index}]" for index in wrong[:5]) + (", ..." if len(wrong) > 5 else "")
    return f"{'entry' if len(wrong) == 1 else 'entries'} {indices} of"


def _accepted(part: PartSpec, answer: PartAnswer) -> str:
    """Return a sentence that says what the part accepts, without the reference value."""
    if part.kind == "choice":
        return "Only the one correct choice earns credit."
    if part.kind == "integer":
        return "Only the exact whole number earns credit."
    if part.kind == "number":
        return f"The part accepts {accepted_phrase(answer.value, part.tolerance)}."
    entries = "both bounds" if part.kind == "interval" else "every entry"
    return f"The part accepts {entries} {tolerance_phrase(part.tolerance)}."


def _rejection(part: PartSpec, submitted: Any, answer: PartAnswer) -> str:
    """Return the generic message for an answer that matches neither the reference nor a misconception."""
    if part.kind in ("vector", "interval"):
        return (f"Not accepted: {_wrong_entries(part, submitted, answer.value)} `{part.variable}` "
                f"{'is' if part.kind == 'interval' else 'are'} not {tolerance_phrase(part.tolerance)}.")
    sentence = _accepted(part, answer)
    if part.kind == "choice":
        sentence = sentence.removesuffix(".") + ", and this is not it."
    return f"Not accepted: {sentence[0].lower()}{sentence[1:]}"


def _acceptance(part: PartSpec, answer: PartAnswer) -> str:
    if part.kind == "choice":
        return "Correct."
    if part.kind == "integer":
        return "Correct: the exact whole number."
    if part.kind == "number":
        return f"Correct: the part accepts {accepted_phrase(answer.value, part.tolerance)}."
    entries = "both bounds" if part.kind == "interval" else "every entry"
    extra = ", and the entries sum to 1" if part.distribution else ""
    return f"Correct: {entries} {tolerance_phrase(part.tolerance)}{extra}."


def judge_part(part: PartSpec, answer: PartAnswer, encoded: Any) -> Verdict:
    """Decide one answer part: correct, a known misconception, incorrect, missing or invalid."""
    submitted, problem = _decode(part, encoded)
    if problem is not None:
        status = "missing" if problem.startswith("No answer") else "invalid"
        return Verdict(status, problem)
    form = _form_problem(part, submitted, answer.value) if part.kind in ("vector", "interval") else None
    if form is None and _matches(part, submitted, answer.value):
        return Verdict("correct", _acceptance(part, answer))
    # A misconception may break the form on purpose, such as a residual that does not sum to 1.
    for name, wrong in answer.misconceptions.items():
        if _matches(part, submitted, wrong):
            spec = next(m for m in part.misconceptions if m.name == name)
            return Verdict("incorrect", f"Not accepted. {spec.feedback} {_accepted(part, answer)}", misconception=name)
    if form is not None:
        return Verdict("incorrect", f"Not accepted: {form}")
    return Verdict("incorrect", _rejection(part, submitted, answer))
