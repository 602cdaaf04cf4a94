"""Displayed values equal computed values: precision of derived and choice parameters, and misconception guards."""

from __future__ import annotations

from fractions import Fraction

from effquiz.templates import Bank, parse_template
from effquiz.variants import generate_variant
from effquiz.variants.generate import round_to_display

HEAD = "version: 1\ntopic: quantization\ntitle: A display case\n"


def template(template_id: str, body: str):
    return parse_template(f"id: {template_id}\n{HEAD}{body}", f"{template_id}.yaml")


def test_round_to_display_sigfigs() -> None:
    # 4/255 = 0.0156862...; three significant figures give 0.0157.
    shown = round_to_display(Fraction(4, 255), sigfigs=3)
    assert shown == Fraction(157, 10000)
    assert str(shown) == "0.0157"


def test_round_to_display_breaks_ties_to_even() -> None:
    assert round_to_display(Fraction(5, 2), decimals=0) == 2
    assert round_to_display(Fraction(7, 2), decimals=0) == 4


def test_round_to_display_at_power_of_ten() -> None:
    # 1000 has four digits before the point, so two significant figures keep 1000.
    shown = round_to_display(Fraction(1000), sigfigs=2)
    assert shown == 1000
    assert str(shown) == "1000"


def test_round_to_display_negative_value() -> None:
    # -0.012345 to two significant figures is -0.012.
    shown = round_to_display(Fraction(-12345, 10**6), sigfigs=2)
    assert str(shown) == "-0.012"
    assert shown == Fraction(-12, 1000)


DERIVED = ("params:\n  x: {kind: integer, low: 1, high: 9}\n  third: {kind: derived, expr: x / 3, decimals: 2}\n"
           "prompt: 'third = {{ third }}'\nparts:\n  t: {kind: number, prompt: t, answer: 3 * third}\n")


def test_derived_precision_is_used_in_answers() -> None:
    # x = 1: third = 1/3 is shown as 0.33, so the answer 3 * third is 0.99, not 1.
    variant = generate_variant(template("derived", DERIVED), 0, overrides={"x": 1})
    assert variant.answers["t"].value == Fraction(99, 100)
    assert "third = 0.33" in variant.prompt


def test_choice_float_prints_as_written() -> None:
    body = ("params:\n  p: {kind: choice, values: [0.25]}\nprompt: 'p = {{ p }}'\n"
            "parts:\n  q: {kind: number, prompt: q, answer: 1 - p}\n")
    variant = generate_variant(template("choice-float", body), 0)
    assert "p = 0.25" in variant.prompt
    assert variant.answers["q"].value == Fraction(3, 4)


WHEN = ("params:\n  x: {kind: integer, low: -5, high: 5}\nprompt: 'x = {{ x }}'\n"
        "parts:\n  size:\n    kind: integer\n    prompt: abs x\n    answer: abs(x)\n    misconceptions:\n"
        "      - {name: sign-kept, when: x < 0, answer: x, feedback: Drop the sign.}\n")


def test_misconception_applies_when_condition_holds() -> None:
    variant = generate_variant(template("when", WHEN), 0, overrides={"x": -3})
    assert variant.answers["size"].misconceptions == {"sign-kept": -3}


def test_misconception_absent_when_condition_fails() -> None:
    variant = generate_variant(template("when", WHEN), 0, overrides={"x": 3})
    assert variant.answers["size"].misconceptions == {}


def test_identical_core_calls_run_once() -> None:
    # residual_noun and residual_other both take spec.residual of the same p and q.
    draft = Bank.load().get("speculative-uniform-draft")
    calls: list[str] = []
    generate_variant(draft, 0, observer=lambda name, *rest: calls.append(name))
    assert calls.count("spec.residual") == 1
    assert calls.count("spec.acceptance_rate") == 1
