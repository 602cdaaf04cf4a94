"""Properties that every template of the shipped bank must have.

These draw variants over many seeds, so a template whose constraints, answers or
misconceptions break for some parameters fails here before a class sees it.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from effquiz.grader.judge import within
from effquiz.templates import Bank
from effquiz.templates.schema import PartSpec
from effquiz.variants import generate_variant

TESTS = Path(__file__).resolve().parents[1]
SEEDS = range(100)
BANK = Bank.load()
IDS = sorted(BANK.templates)


def accepted(part: PartSpec, value, reference) -> bool:
    """Return whether the judge would accept ``value`` for ``reference`` in ``part``."""
    if part.kind in ("choice", "integer"):
        return value == reference
    if part.kind == "number":
        return within(Fraction(value), Fraction(reference), part.tolerance)
    return len(value) == len(reference) and all(
        within(Fraction(v), Fraction(r), part.tolerance) for v, r in zip(value, reference))


def test_bank_has_eighteen_templates():
    assert len(BANK.templates) >= 18


@pytest.mark.parametrize("template_id", IDS)
def test_template_states_conventions(template_id):
    assert BANK.get(template_id).conventions.strip()


@pytest.mark.parametrize("template_id", IDS)
def test_template_has_named_example(template_id):
    assert BANK.get(template_id).examples


@pytest.mark.parametrize("template_id", IDS)
def test_template_has_misconceptions(template_id):
    # A function part lists its misconceptions as wrong implementations in its function spec.
    assert any(part.misconceptions or (part.function is not None and part.function.misconceptions)
               for part in BANK.get(template_id).parts)


@pytest.mark.parametrize("template_id", IDS)
def test_template_examples_generate(template_id):
    template = BANK.get(template_id)
    for name, values in template.examples.items():
        variant = generate_variant(template, 0, overrides=values)
        assert set(variant.answers) == {part.name for part in template.parts}, name


@pytest.mark.parametrize("template_id", IDS)
def test_template_is_named_in_tests(template_id):
    # Every template has hand-checked tests that name it.
    sources = [path.read_text(encoding="utf-8") for path in TESTS.rglob("test_*.py") if path.name != "test_bank.py"]
    assert any(f'"{template_id}"' in source for source in sources)


@pytest.mark.parametrize("template_id", IDS)
def test_misconceptions_differ_from_answers(template_id):
    template = BANK.get(template_id)
    for seed in SEEDS:
        variant = generate_variant(template, seed)
        for part in template.parts:
            answer = variant.answers[part.name]
            for name, value in answer.misconceptions.items():
                assert not accepted(part, value, answer.value), f"seed {seed}: {part.name}/{name}"


@pytest.mark.parametrize("template_id", IDS)
def test_variants_differ_across_seeds(template_id):
    template = BANK.get(template_id)
    prompts = {generate_variant(template, seed).prompt for seed in range(20)}
    assert len(prompts) >= 15


def test_notebook_variables_unique_across_bank():
    # Otter collects every question's answers from one notebook namespace, so a variable
    # that two templates share would be graded with whichever question assigned it last.
    owners: dict[str, str] = {}
    for template_id in IDS:
        for part in BANK.get(template_id).parts:
            assert part.variable not in owners, f"{part.variable} in {owners.get(part.variable)} and {template_id}"
            owners[part.variable] = template_id


@pytest.mark.parametrize("template_id", IDS)
def test_prompt_gives_no_answer_away(template_id):
    # An answer printed in the prompt, such as the memory in GB at 8 bits (N billion
    # weights take N GB), would need no work. Answers with fewer than 4 significant digits
    # are left out, because short numbers such as 0.2 also appear in tables by chance.
    template = BANK.get(template_id)
    for seed in SEEDS:
        variant = generate_variant(template, seed)
        shown = " ".join([variant.prompt, *variant.part_prompts.values()])
        for part in template.parts:
            value = variant.answers[part.name].value
            if part.kind != "number" or Fraction(value).denominator == 1:
                continue
            text = f"{float(value):.6g}"
            if len(text.lstrip("-0.").replace(".", "")) >= 4:
                assert text not in shown, f"seed {seed}: {part.name} = {text}"
