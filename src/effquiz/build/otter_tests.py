"""Source text of the Otter test cells for one question.

Each question gets two exception-format test cases (Otter Assign with
``tests: {ok_format: false}``):

- a public case that checks the form of each answer (a number, a whole number, a choice
  letter), which students also run with ``grader.check``;
- a hidden, zero-point case that writes the answers to JSON for the judge.

Neither case contains a reference answer, so both are safe in students' hands.
"""

from __future__ import annotations

import inspect
import json
import textwrap

from effquiz.grader import kernel_code
from effquiz.grader.judge import letters
from effquiz.templates.schema import PartSpec


def answer_spec(part: PartSpec) -> dict[str, object]:
    """Return what the in-kernel form check needs to know about one part."""
    spec: dict[str, object] = {"kind": part.kind}
    if part.kind == "choice":
        choice_letters = letters(len(part.choices))
        spec["letters"] = choice_letters
        accepted = set(choice_letters)
        for key, text in part.choices:
            accepted |= {key.strip().lower(), text.strip().lower()}
        spec["accepted"] = sorted(accepted)
    if part.kind == "interval":
        spec["length"] = 2
    return spec


def _embedded(*functions: object) -> str:
    return "\n".join(textwrap.indent(inspect.getsource(function), "    ") for function in functions)


def public_test_source(question_id: str, parts: tuple[PartSpec, ...]) -> str:
    """Return the public test cell that checks the form of each answer."""
    specs = {part.variable: answer_spec(part) for part in parts}
    return (
        f"def test_{question_id}_answer_form(env):\n"
        f'    """Checks the form of each answer of {question_id} (not whether it is correct)."""\n'
        f"{_embedded(kernel_code.form_problem, kernel_code.check_form)}\n"
        f"    check_form(env, {json.dumps(specs, sort_keys=True)})\n"
    )


def collector_test_source(question_id: str, parts: tuple[PartSpec, ...]) -> str:
    """Return the hidden test cell that writes the answers out for the judge."""
    variables = [part.variable for part in parts]
    return (
        '""" # BEGIN TEST CONFIG\nhidden: true\npoints: 0\n""" # END TEST CONFIG\n'
        f"def test_{question_id}_collect(env):\n"
        f"{_embedded(kernel_code.encode_answer, kernel_code.collect)}\n"
        f"    collect(env, {question_id!r}, {json.dumps(variables)})\n"
    )
