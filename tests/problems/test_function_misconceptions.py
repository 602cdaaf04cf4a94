"""Every function part of the bank: its wrong implementations fail and are named, its probes are valid.

A wrong implementation in ``solutions/`` is what a student with that misconception writes.
The judge must reject it and name that misconception, not an earlier one that happens
to agree with it on every probe.
"""

from __future__ import annotations

import pytest

from effquiz.grader.functions import judge_function, solution
from effquiz.grader.kernel_code import call_probes
from effquiz.grader.probes import function_probes
from effquiz.templates import Bank

BANK = Bank.load()
SEEDS = (1, 2, 3)

PARTS = [(template.id, part.name) for template in BANK.templates.values() for part in template.parts
         if part.function is not None and part.function.sampling is None]
MISTAKES = [(template_id, part_name, mistake.name, mistake.function)
            for template_id, part_name in PARTS
            for mistake in BANK.get(template_id).part(part_name).function.misconceptions]


def judge(template_id: str, part_name: str, implementation, seed: int):
    template = BANK.get(template_id)
    part = template.part(part_name)
    probes = function_probes(template, part, seed)
    return judge_function(part, probes, call_probes(implementation, [{"args": p.args} for p in probes], 5.0))


def test_bank_has_implementation_tasks() -> None:
    names = {f"{template_id}.{part_name}" for template_id, part_name in PARTS}
    assert {"quantize-function.quantize", "dequantize-function.dequantize", "qparams-function.qparams",
            "int8-matmul-function.int8_matmul", "acceptance-functions.accept",
            "acceptance-functions.residual"} <= names


@pytest.mark.parametrize(("template_id", "part_name"), PARTS)
def test_reference_passes_own_probes(template_id: str, part_name: str) -> None:
    reference = solution(BANK.get(template_id).part(part_name).function)
    for seed in SEEDS:
        verdict = judge(template_id, part_name, reference, seed)
        assert verdict.correct, verdict.message


@pytest.mark.parametrize(("template_id", "part_name", "name", "function"), MISTAKES)
def test_wrong_implementation_is_named(template_id: str, part_name: str, name: str, function: str) -> None:
    wrong = solution(BANK.get(template_id).part(part_name).function, function)
    for seed in SEEDS:
        verdict = judge(template_id, part_name, wrong, seed)
        assert verdict.status == "incorrect", f"seed {seed}: {verdict.message}"
        assert verdict.misconception == name, f"seed {seed}: {verdict.message}"


@pytest.mark.parametrize(("template_id", "part_name"), PARTS)
def test_probes_generate_for_many_seeds(template_id: str, part_name: str) -> None:
    # function_probes raises TemplateError when a drawn array does not fit its dtype.
    template = BANK.get(template_id)
    part = template.part(part_name)
    for seed in range(50):
        assert len(function_probes(template, part, seed)) == part.function.probe_count + len(part.function.edge_probes)
