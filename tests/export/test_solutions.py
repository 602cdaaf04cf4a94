"""Worked solution steps: the template's ``solution:`` text, or the computation chain of the answer."""

from __future__ import annotations

import pytest

from effquiz.errors import TemplateError
from effquiz.export.solutions import computation_chain, show_answer_number, worked_steps
from effquiz.templates import Bank
from effquiz.templates.loader import parse_template
from effquiz.variants import generate_variant

TEMPLATE = """\
id: steps
version: 1
topic: quantization
title: Steps
params:
  n: {kind: choice, values: [3]}
prompt: n = {{ n }}
parts:
  double:
    kind: integer
    prompt: 2n
    answer: 2 * n
    solution: "2·{{ n }} = {{ answer }}, and the third is {{ answers.third | fraction }}."
  third:
    kind: number
    prompt: n/9
    answer: n / 9
"""


def test_solution_renders_params_and_answers() -> None:
    template = parse_template(TEMPLATE, "steps.yaml")
    variant = generate_variant(template, 0)
    # n = 3: 2n = 6 and n/9 = 1/3.
    assert worked_steps(template, template.part("double"), variant) == "2·3 = 6, and the third is 1/3."


def test_missing_solution_shows_chain() -> None:
    template = parse_template(TEMPLATE, "steps.yaml")
    variant = generate_variant(template, 0)
    steps = worked_steps(template, template.part("third"), variant)
    assert "`n / 9`" in steps
    assert "- n = 3" in steps
    assert "1/3 ≈ 0.33333333" in steps


def test_solution_unknown_name_located() -> None:
    text = TEMPLATE.replace("{{ answers.third | fraction }}", "{{ answr }}")
    with pytest.raises(TemplateError, match=r"steps.yaml:13:\d+: parts.double.solution: the solution uses "
                                            r"\{\{ answr \}\}.*Did you mean 'answer'"):
        parse_template(text, "steps.yaml")


def test_solution_syntax_error_located() -> None:
    text = TEMPLATE.replace("{{ answer }},", "{{ answer ,")
    with pytest.raises(TemplateError, match=r"parts.double.solution: the solution is not a valid template"):
        parse_template(text, "steps.yaml")


def test_parameter_named_answer_rejected() -> None:
    text = TEMPLATE.replace("  n: {kind: choice, values: [3]}", "  n: {kind: choice, values: [3]}\n"
                                                                 "  answer: {kind: choice, values: [1]}")
    with pytest.raises(TemplateError, match="cannot tell the parameter 'answer'"):
        parse_template(text, "steps.yaml")


def test_lecture_scale_solution() -> None:
    # The lecture's range [0, 4] at 8 bits: S = 4/255 ≈ 0.0156863.
    template = Bank.load().get("affine-int-mapping")
    variant = generate_variant(template, 0, overrides=template.examples["lecture"])
    steps = worked_steps(template, template.part("scale"), variant)
    assert "S = (4 − (0))/255 = 4/255 ≈ 0.0156863." in steps


def test_lecture_residual_solution() -> None:
    # V = 10, V_n = 4: 1/4 − 1/10 = 0.15 on a noun; the sum 0.6; 0.15/0.6 = 1/4.
    template = Bank.load().get("speculative-uniform-draft")
    variant = generate_variant(template, 0, overrides=template.examples["lecture"])
    steps = worked_steps(template, template.part("residual_noun"), variant)
    assert "0.15/0.6 = 1/4 = 0.25" in steps


def test_chain_cuts_long_vectors() -> None:
    template = Bank.load().get("speculative-uniform-draft")
    variant = generate_variant(template, 0, overrides={"vocab_size": 20, "noun_count": 2})
    chain = computation_chain(template.part("acceptance_rate"), variant)
    assert "… (20 entries)]" in chain


@pytest.mark.parametrize("value, text", [(0.25, "0.25"), (72, "72")])
def test_answer_number_exact_decimal(value, text) -> None:
    assert show_answer_number(value) == text
