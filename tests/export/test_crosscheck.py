"""The exported Canvas and Moodle rules give the same verdicts as our grader.

For every exported variant, a set of canned answers (the reference, each misconception,
just inside and just outside the tolerance on both sides, and clearly wrong answers) is
graded twice: by the judge (``judge_part``) and by an interpreter of the rules read back
from the generated XML (``lms_rules``). The verdicts must agree for every answer.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

from effquiz.assignment import load_assignment
from effquiz.export.variants import export_seed
from effquiz.grader.judge import judge_part, letters
from effquiz.templates.schema import PartSpec, Tolerance
from effquiz.variants.generate import generate_variant
from effquiz.variants.model import PartAnswer

from tests.export.lms_rules import (
    canvas_accepts, canvas_typed, moodle_choice, moodle_numerical, read_canvas, read_moodle,
)

# Probes sit 3% of the tolerance inside and outside each edge. Canvas's rounding to 4
# typed places moves a typed number by at most 0.5% of the half-width, and the inward
# rounding of the stored decimals by at most 0.05%, so neither can move a probe across.
EDGE = Fraction(3, 100)


def canned_answers(part: PartSpec, answer: PartAnswer) -> list[Any]:
    """Return the canned answers for one part of one variant, in the part's units."""
    if part.kind == "choice":
        return letters(len(part.choices))
    reference = Fraction(answer.value)
    values = [reference, *(Fraction(value) for value in answer.misconceptions.values())]
    tolerance = part.tolerance
    if tolerance.sigfigs is None:
        center, below, above = reference, *2 * [max(tolerance.absolute, tolerance.relative * abs(reference))]
    else:
        # Half a unit in the last kept place of the rounded reference, and a tenth of that
        # toward zero when the rounded reference is a power of ten.
        exponent = math.floor(math.log10(abs(reference))) if reference else 0
        unit = Fraction(10) ** (exponent - tolerance.sigfigs + 1)
        center = round(reference / unit) * unit
        exponent = math.floor(math.log10(abs(center))) if center else 0
        unit = Fraction(10) ** (exponent - tolerance.sigfigs + 1)
        decade = center != 0 and abs(center) == Fraction(10) ** exponent
        below = above = unit / 2
        if decade and center > 0:
            below = unit / 20
        elif decade:
            above = unit / 20
    values += [center + above * (1 - EDGE), center + above * (1 + EDGE),
               center - below * (1 - EDGE), center - below * (1 + EDGE)]
    values += [reference + 1, reference - 1, reference + 2, 3 * reference + 7, -reference - 1, Fraction(0)]
    return [int(value) if part.kind == "integer" and value.denominator == 1 else value for value in values]


def encode(value: Any) -> dict[str, str]:
    """Encode a canned answer as the kernel would: ints as int, other numbers as float, letters as str."""
    if isinstance(value, str):
        return {"kind": "str", "value": value}
    if isinstance(value, int):
        return {"kind": "int", "value": str(value)}
    return {"kind": "float", "value": repr(float(value))}


def typed(value: Any) -> str:
    """Return the text a student types into a Moodle numerical field."""
    return str(value) if isinstance(value, int) else repr(float(value))


def variant_of(assignment, question_id: str, index: int):
    question = assignment.question(question_id)
    seed = export_seed(assignment.course_seed, question_id, index)
    return question, generate_variant(question.template, seed)


def test_canvas_agrees_with_grader(exported: dict) -> None:
    assignment = load_assignment(exported["assignment"])
    checked = 0
    for form in ("exact", "range"):
        for item in read_canvas(exported[f"canvas-{form}"]):
            question_id, part_name, index = item.key()
            question, variant = variant_of(assignment, question_id, index)
            part = question.template.part(part_name)
            answer = variant.answers[part_name]
            for value in canned_answers(part, answer):
                ours = judge_part(part, answer, encode(value)).correct
                if part.kind == "choice":
                    theirs = item.correct_choice.endswith(f"_choice{letters(len(part.choices)).index(value)}")
                else:
                    theirs = canvas_accepts(item, canvas_typed(Fraction(value), item.scale_exponent))
                assert theirs == ours, f"{form} {item.title}: answer {value} ({float(value) if not isinstance(value, str) else value})"
                checked += 1
    assert checked > 100


def test_moodle_agrees_with_grader(exported: dict) -> None:
    assignment = load_assignment(exported["assignment"])
    _, questions = read_moodle(exported["moodle"])
    checked = 0
    for moodle_question in questions:
        question_id, part_name, index = moodle_question.key()
        question, variant = variant_of(assignment, question_id, index)
        part = question.template.part(part_name)
        answer = variant.answers[part_name]
        feedback_names = {m.feedback: m.name for m in part.misconceptions}
        for value in canned_answers(part, answer):
            verdict = judge_part(part, answer, encode(value))
            if part.kind == "choice":
                text = dict(zip(letters(len(part.choices)), (t for _, t in part.choices)))[value]
                matched = moodle_choice(moodle_question, text)
            else:
                matched = moodle_numerical(moodle_question, typed(value))
            correct = matched is not None and matched.fraction == 100
            misconception = feedback_names.get(matched.feedback) if matched is not None and not correct else None
            assert correct == verdict.correct, f"{moodle_question.name}: answer {value}"
            assert misconception == verdict.misconception, f"{moodle_question.name}: answer {value}"
            checked += 1
    assert checked > 100


def test_crosscheck_covers_every_variant(exported: dict) -> None:
    items = read_canvas(exported["canvas-exact"])
    _, questions = read_moodle(exported["moodle"])
    canvas_keys = {item.key() for item in items}
    moodle_keys = {question.key() for question in questions}
    assert canvas_keys == moodle_keys
    per_part: dict[tuple[str, str], int] = {}
    for question_id, part, _ in canvas_keys:
        per_part[(question_id, part)] = per_part.get((question_id, part), 0) + 1
    assert set(per_part.values()) == {exported["variants"]}


@pytest.mark.parametrize("value", [Fraction(1), Fraction(-3, 2)])
def test_canned_answers_probe_both_edges(value: Fraction) -> None:
    # A relative tolerance of 1% around r gives the half-width |r|/100; the probes sit at
    # r ± 0.97·h and r ± 1.03·h.
    part = PartSpec(name="x", kind="number", variable="x", prompt="x", answer=None, location=None,  # type: ignore[arg-type]
                    tolerance=Tolerance(relative=Fraction(1, 100)))
    answers = canned_answers(part, PartAnswer(part="x", kind="number", variable="x", value=value))
    half = abs(value) / 100
    assert value + half * Fraction(97, 100) in answers
    assert value - half * Fraction(103, 100) in answers
