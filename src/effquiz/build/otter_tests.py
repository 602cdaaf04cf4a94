"""Source text of the Otter test cells for one question.

Each question gets two exception-format test cases (Otter Assign with
``tests: {ok_format: false}``):

- a public case that checks the form of each answer (a number, a whole number, a choice
  letter, a list of numbers, an interval of two bounds, a function with the right
  parameters whose output on a public example has the right type and shape), which
  students also run with ``grader.check``. A vector's length can differ between variants
  and the public tests are the same for the whole class, so only the judge checks it;
- a hidden, zero-point case that writes the answers, and the outputs of the student's
  functions on the judge's probes, to JSON for the judge.

Neither case contains a reference answer or an expected output, so both are safe in
students' hands.
"""

from __future__ import annotations

import inspect
import json
import textwrap

from effquiz.grader import kernel_code
from effquiz.grader.functions import expected_outcomes, solution
from effquiz.grader.judge import letters
from effquiz.grader.probes import edge_probe_inputs
from effquiz.templates.schema import PartSpec

FORM_HELPERS = (kernel_code.form_problem, kernel_code.function_problem, kernel_code.output_form_problem,
                kernel_code.encode_answer, kernel_code.decode_args, kernel_code.CallTimeout,
                kernel_code.call_with_limit, kernel_code.token_list, kernel_code.check_form)
COLLECT_HELPERS = (kernel_code.encode_answer, kernel_code.decode_args, kernel_code.CallTimeout,
                   kernel_code.call_with_limit, kernel_code.encode_outcome, kernel_code.call_probes,
                   kernel_code.token_list, kernel_code.sample_calls, kernel_code.collect)


def output_form(encoded: dict[str, object]) -> dict[str, object]:
    """Return the form of an encoded output (kind, length, item kind), without its values.

    The rows of a matrix share one form, which is stored as ``row``.
    """
    if encoded.get("kind") == "list":
        items = encoded.get("items") or []
        assert isinstance(items, list)
        kinds = {item.get("kind") for item in items}
        if kinds == {"list"}:
            return {"kind": "list", "length": len(items), "items": "list", "row": output_form(items[0])}
        return {"kind": "list", "length": len(items), "items": kinds.pop() if len(kinds) == 1 else "float"}
    return {"kind": str(encoded.get("kind"))}


def function_example(part: PartSpec) -> dict[str, object] | None:
    """Return a public example call of a deterministic function part and the form of its output.

    The example is the first visible edge probe on which the reference returns a value.
    Only the form of that value (list or number, length, whole numbers or not) goes into
    the public test, never the value.
    """
    assert part.function is not None
    reference = solution(part.function)
    for probe in edge_probe_inputs(part):
        if probe.hidden:
            continue
        outcome = expected_outcomes(reference, [probe])[0]
        if "returned" in outcome:
            return {"args": probe.args, "form": output_form(outcome["returned"])}
    return None


def sampling_example(part: PartSpec) -> dict[str, object]:
    """Return a public example call of a sampling step: the first setting, each row's likeliest draft."""
    assert part.function is not None and part.function.sampling is not None
    setting = part.function.sampling.settings[0]
    drafts = [max(range(len(row)), key=row.__getitem__) for row in setting.draft]
    return {"seed": 0, "drafts": drafts, "target": [[float(v) for v in row] for row in setting.target],
            "draft": [[float(v) for v in row] for row in setting.draft]}


def answer_spec(part: PartSpec) -> dict[str, object]:
    """Return what the in-kernel form check needs to know about one part."""
    spec: dict[str, object] = {"kind": part.kind}
    if part.function is not None:
        spec["parameters"] = list(part.function.parameters)
        if part.function.sampling is not None:
            spec["sampling_example"] = sampling_example(part)
        else:
            example = function_example(part)
            if example is not None:
                spec["example"] = example
        return spec
    if part.distribution:
        spec["distribution"] = True
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


def python_literal(value: object) -> str:
    """Return Python source for JSON-like data, with mapping keys sorted for stable output."""
    return repr(json.loads(json.dumps(value, sort_keys=True)))


def _embedded(*functions: object) -> str:
    return "\n".join(textwrap.indent(inspect.getsource(function), "    ") for function in functions)


def public_test_source(question_id: str, parts: tuple[PartSpec, ...]) -> str:
    """Return the public test cell that checks the form of each answer."""
    specs = {part.variable: answer_spec(part) for part in parts}
    return (
        f"def test_{question_id}_answer_form(env):\n"
        f'    """Checks the form of each answer of {question_id} (not whether it is correct)."""\n'
        f"{_embedded(*FORM_HELPERS)}\n"
        f"    check_form(env, {python_literal(specs)})\n"
    )


def collector_test_source(question_id: str, parts: tuple[PartSpec, ...]) -> str:
    """Return the hidden test cell that writes the answers out for the judge."""
    variables = [part.variable for part in parts]
    return (
        '""" # BEGIN TEST CONFIG\nhidden: true\npoints: 0\n""" # END TEST CONFIG\n'
        f"def test_{question_id}_collect(env):\n"
        f"{_embedded(*COLLECT_HELPERS)}\n"
        f"    collect(env, {question_id!r}, {python_literal(variables)})\n"
    )
