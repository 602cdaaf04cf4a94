"""sweep_template: each check finds the problem it is for, and only that.

The templates here are built to show one problem each. Where a test counts variants,
the expected count comes from the rule stated in its comment, applied to the drawn
parameters, never from the sweep's own numbers.
"""

from __future__ import annotations

from fractions import Fraction

from effquiz.check import sweep_template
from effquiz.templates import Template, parse_template
from effquiz.variants import generate_variant

HEAD = "version: 1\ntopic: quantization\ntitle: A check case\n"


def template(template_id: str, body: str) -> Template:
    return parse_template(f"id: {template_id}\n{HEAD}{body}", f"{template_id}.yaml")


def findings(tmpl: Template, variants: int = 200, **options):
    return sweep_template(tmpl, variants=variants, **options)[1]


def only(found, check: str):
    return [finding for finding in found if finding.check == check]


def draws(tmpl: Template, variants: int = 200) -> list[dict]:
    return [generate_variant(tmpl, seed).params for seed in range(variants)]


WIDE_X = "params:\n  x: {kind: integer, low: -1000, high: 1000}\nprompt: 'x = {{ x }}'\n"


def test_clean_template_has_no_findings() -> None:
    clean = template("clean", WIDE_X + "parts:\n  double: {kind: integer, prompt: 2x, answer: 2 * x}\n")
    assert findings(clean) == []


def test_round_of_tie_is_reported() -> None:
    # x/2 is exactly a tie k + 1/2 whenever x is odd.
    tied = template("tied", WIDE_X + "parts:\n  half: {kind: integer, prompt: half, answer: round(x / 2)}\n")
    found = only(findings(tied), "tie")
    odd = sum(1 for params in draws(tied) if params["x"] % 2 == 1)
    assert [f.where for f in found] == ["answers: round"]
    assert found[0].count == odd
    assert all(generate_variant(tied, seed).params["x"] % 2 == 1 for seed in found[0].seeds)


def test_quantize_tie_is_reported() -> None:
    # quantize rounds x/S; with S = 2 that is a tie for every odd x.
    body = WIDE_X + ("parts:\n  q:\n    kind: integer\n    prompt: q\n    answer:\n      function: quant.quantize\n"
                     "      args: {x: x, scale: 2, zero_point: 0, bits: 12, signed: true}\n")
    found = only(findings(template("quantized", body)), "tie")
    assert [f.where for f in found] == ["answers: quant.quantize"]
    assert "rounds x/S" in found[0].detail


def test_declared_tie_is_reported() -> None:
    body = WIDE_X + "checks:\n  ties: [{name: x/2, expr: x / 2}]\nparts:\n  double: {kind: integer, prompt: 2x, answer: 2 * x}\n"
    found = only(findings(template("declared-tie", body)), "tie")
    assert [f.where for f in found] == ["checks.ties: x/2"]


def test_declared_degenerate_draw_is_reported() -> None:
    body = ("params:\n  x: {kind: integer, low: 0, high: 3}\nprompt: 'x = {{ x }}'\n"
            "checks:\n  degenerate: [{name: x is zero, expr: x == 0}]\n"
            "parts:\n  double: {kind: integer, prompt: 2x, answer: 2 * x}\n")
    tmpl = template("zero-x", body)
    found = only(findings(tmpl, max_duplicate_rate=Fraction(1)), "degenerate")
    zeros = sum(1 for params in draws(tmpl) if params["x"] == 0)
    assert [f.where for f in found] == ["checks.degenerate: x is zero"]
    assert found[0].count == zeros


def test_core_degenerate_range_is_reported() -> None:
    # quant.scale raises for hi = lo = 0, the draw x = 0.
    body = ("params:\n  x: {kind: integer, low: 0, high: 3}\nprompt: 'x = {{ x }}'\n"
            "parts:\n  s:\n    kind: number\n    prompt: S\n    answer:\n      function: quant.scale\n"
            "      args: {lo: 0, hi: x, bits: 4}\n")
    found = only(findings(template("empty-scale", body), max_duplicate_rate=Fraction(1)), "degenerate")
    assert [f.where for f in found] == ["parts.s"]
    assert "range [0, 0] is empty" in found[0].detail


def test_empty_parameter_range_is_reported() -> None:
    # y runs from x to 2, which is empty for x = 3 and a single value for x = 2.
    body = ("params:\n  x: {kind: integer, low: 0, high: 3}\n  y: {kind: integer, low: x, high: 2}\n"
            "prompt: 'x = {{ x }}, y = {{ y }}'\nparts:\n  s: {kind: integer, prompt: s, answer: x + y}\n")
    tmpl = template("empty-range", body)
    found = only(findings(tmpl, max_duplicate_rate=Fraction(1)), "degenerate")
    details = {f.where: f.detail for f in found}
    assert "the range [3, 2] is empty" in details["params.y"]
    assert "the range of y contains a single value" in details["params.y: one value"]


def test_log_of_zero_is_non_finite() -> None:
    body = ("params:\n  x: {kind: integer, low: 0, high: 3}\nprompt: 'x = {{ x }}'\n"
            "parts:\n  bits: {kind: number, prompt: log2 x, answer: log2(x)}\n")
    found = only(findings(template("log-zero", body), max_duplicate_rate=Fraction(1)), "non-finite")
    assert [f.where for f in found] == ["parts.bits"]


def test_division_by_zero_is_non_finite() -> None:
    body = ("params:\n  x: {kind: integer, low: 0, high: 3}\nprompt: 'x = {{ x }}'\n"
            "parts:\n  inverse: {kind: number, prompt: 1/x, answer: 1 / x}\n")
    found = only(findings(template("inverse", body), max_duplicate_rate=Fraction(1)), "non-finite")
    assert [f.where for f in found] == ["parts.inverse"]
    assert found[0].params == {}
    assert found[0].seeds


def test_answer_too_large_for_float_is_non_finite() -> None:
    # 10**400 exceeds the largest double, about 1.8e308.
    body = WIDE_X + "parts:\n  huge: {kind: number, prompt: huge, answer: 10**400 + x}\n"
    found = only(findings(template("huge", body), variants=20), "non-finite")
    assert found[0].count == 20
    assert "too large for a float" in found[0].detail


def test_repeated_variants_are_reported() -> None:
    # x takes 4 values, so at most 4 of 100 variants are distinct: at least 96% repeat.
    body = ("params:\n  x: {kind: integer, low: 0, high: 3}\nprompt: 'x = {{ x }}'\n"
            "parts:\n  double: {kind: integer, prompt: 2x, answer: 2 * x}\n")
    found = only(findings(template("few", body), variants=100), "duplicates")
    assert found[0].count >= 96
    assert found[0].rate >= 0.96


def test_declared_duplicate_rate_allows_repeats() -> None:
    body = ("params:\n  x: {kind: integer, low: 0, high: 3}\nprompt: 'x = {{ x }}'\n"
            "checks: {max_duplicate_rate: 1}\nparts:\n  double: {kind: integer, prompt: 2x, answer: 2 * x}\n")
    assert only(findings(template("few-allowed", body), variants=100), "duplicates") == []


SIGN = ("params:\n  x: {kind: integer, low: -1000, high: 1000}\nprompt: 'x = {{ x }}'\n"
        "parts:\n  size:\n    kind: integer\n    prompt: abs x\n    answer: abs(x)\n    misconceptions:\n"
        "      - name: sign-kept\n        answer: x\n        feedback: Drop the sign.\n")


def test_misconception_equal_to_answer_is_reported() -> None:
    # x equals abs(x) exactly when x >= 0.
    tmpl = template("sign", SIGN)
    found = only(findings(tmpl), "misconception")
    nonnegative = sum(1 for params in draws(tmpl) if params["x"] >= 0)
    assert [f.where for f in found] == ["parts.size.misconceptions.sign-kept"]
    assert found[0].count == nonnegative


def test_misconception_when_excludes_overlap() -> None:
    tmpl = template("sign-when", SIGN.replace("        answer: x\n", "        when: x < 0\n        answer: x\n"))
    assert only(findings(tmpl), "misconception") == []


def test_declared_overlap_within_rate_is_accepted() -> None:
    overlap = "        overlap: {max_rate: 0.9, reason: abs keeps a non-negative x}\n"
    tmpl = template("sign-overlap", SIGN.replace("        answer: x\n", "        answer: x\n" + overlap))
    assert only(findings(tmpl), "misconception") == []


def test_declared_overlap_above_rate_is_reported() -> None:
    overlap = "        overlap: {max_rate: 0.1, reason: abs keeps a non-negative x}\n"
    tmpl = template("sign-overlap-low", SIGN.replace("        answer: x\n", "        answer: x\n" + overlap))
    found = only(findings(tmpl), "misconception")
    assert "above the declared overlap max_rate 0.1" in found[0].detail


def test_misconception_within_tolerance_is_reported() -> None:
    # 1.00001·x differs from x by 1e-5 relative, inside the tolerance of 1e-4.
    body = WIDE_X + ("parts:\n  y:\n    kind: number\n    prompt: y\n    answer: x + 2000\n    tolerance: {rel: 1e-4}\n"
                     "    misconceptions:\n      - {name: close, answer: (x + 2000) * 1.00001, feedback: Close.}\n")
    found = only(findings(template("close", body)), "misconception")
    assert found[0].count == 200


def test_derived_value_without_precision_is_a_display_mismatch() -> None:
    # 1/3 prints as 0.333333, which is not 1/3.
    body = ("params:\n  x: {kind: integer, low: 1000, high: 9999}\n  third: {kind: derived, expr: x / 3}\n"
            "prompt: 'third = {{ third }}'\nparts:\n  t: {kind: number, prompt: 3 third, answer: 3 * third}\n")
    tmpl = template("third", body)
    found = only(findings(tmpl), "display")
    not_multiple = sum(1 for params in draws(tmpl) if params["x"] % 3 != 0)
    assert [f.where for f in found] == ["prompt"]
    assert found[0].count == not_multiple


def test_derived_value_with_precision_prints_what_is_used() -> None:
    body = ("params:\n  x: {kind: integer, low: 1000, high: 9999}\n  third: {kind: derived, expr: x / 3, sigfigs: 3}\n"
            "prompt: 'third = {{ third }}'\nparts:\n  t: {kind: number, prompt: 3 third, answer: 3 * third}\n")
    assert only(findings(template("third-shown", body)), "display") == []


def test_prompt_filter_rounding_is_a_display_mismatch() -> None:
    body = ("params:\n  v: {kind: uniform, low: 0, high: 10, decimals: 3}\nprompt: 'v = {{ v | round(1) }}'\n"
            "parts:\n  w: {kind: number, prompt: 2v, answer: 2 * v}\n")
    found = only(findings(template("rounded", body)), "display")
    assert [f.where for f in found] == ["prompt"]


def test_part_prompt_expression_is_a_display_mismatch() -> None:
    body = WIDE_X + "parts:\n  w: {kind: number, prompt: 'Divide {{ x / 7 }}.', answer: x / 7}\n"
    found = only(findings(template("sevenths", body)), "display")
    assert [f.where for f in found] == ["parts.w.prompt"]


def test_failing_example_is_reported() -> None:
    body = WIDE_X + "examples:\n  zero: {x: 0}\nconstraints: [x != 0]\nparts:\n  inverse: {kind: number, prompt: i, answer: 1 / x}\n"
    found = only(findings(template("example-zero", body), variants=20), "example")
    assert [f.where for f in found] == ["examples.zero"]
    assert "division by zero" in found[0].detail


def test_example_breaking_constraint_is_reported() -> None:
    # x = 5 renders, but the constraint x < 5 excludes it from every draw.
    body = WIDE_X + "examples:\n  five: {x: 5}\nconstraints: [x < 5]\nparts:\n  double: {kind: number, prompt: d, answer: 2 * x}\n"
    found = only(findings(template("example-five", body), variants=20), "example")
    assert [f.where for f in found] == ["examples.five"]
    assert "breaks the constraint 'x < 5'" in found[0].detail


def test_target_equal_to_draft_is_degenerate() -> None:
    # With k = n, uniform_prefix(n, k) is uniform(n), so p equals q.
    body = ("params:\n  n: {kind: integer, low: 2, high: 4}\n  k: {kind: integer, low: 1, high: n}\n"
            "prompt: 'n = {{ n }}, k = {{ k }}'\nparts:\n  alpha:\n    kind: number\n    prompt: alpha\n    answer:\n"
            "      function: spec.acceptance_rate\n      args: {p: 'uniform_prefix(n, k)', q: uniform(n)}\n")
    tmpl = template("equal-p-q", body)
    found = only(findings(tmpl, max_duplicate_rate=Fraction(1)), "degenerate")
    equal = sum(1 for params in draws(tmpl) if params["k"] == params["n"])
    assert [f.where for f in found] == ["answers: spec.acceptance_rate"]
    assert found[0].count == equal


def test_seeds_start_at_the_given_seed() -> None:
    tmpl = template("sign-seeds", SIGN)
    found = only(findings(tmpl, variants=50, seed=1000), "misconception")
    assert all(1000 <= seed < 1050 for seed in found[0].seeds)


def test_summary_counts_distinct_variants() -> None:
    body = ("params:\n  x: {kind: integer, low: 0, high: 3}\nprompt: 'x = {{ x }}'\n"
            "parts:\n  double: {kind: integer, prompt: 2x, answer: 2 * x}\n")
    summary, _ = sweep_template(template("four", body), variants=100)
    # x takes 4 values, and 100 draws from 4 values all appear except with probability < 4·(3/4)^100.
    assert summary.distinct == 4
    assert summary.generated == 100


def test_variant_counts_once_per_problem() -> None:
    # Both thirds print as 0.333333-style text in every variant whose x is not a multiple of 3.
    body = ("params:\n  x: {kind: integer, low: 1000, high: 9999}\n  third: {kind: derived, expr: x / 3}\n"
            "prompt: '{{ third }} and again {{ third }}'\nparts:\n  t: {kind: number, prompt: t, answer: 3 * third}\n")
    tmpl = template("third-twice", body)
    found = only(findings(tmpl), "display")
    not_multiple = sum(1 for params in draws(tmpl) if params["x"] % 3 != 0)
    assert found[0].count == not_multiple
    assert found[0].rate <= 1



def test_failed_draw_rate_is_share_of_sweep() -> None:
    # One try per variant and a constraint that holds for x in {0, 1} of 0..6, so a variant
    # fails when its single draw is 2..6. The rate counts every swept seed, failed or not.
    body = ("max_tries: 1\nparams:\n  x: {kind: integer, low: 0, high: 6}\n"
            "constraints:\n  - {name: x is small, expr: x <= 1}\nprompt: 'x = {{ x }}'\n"
            "parts:\n  double: {kind: integer, prompt: 2x, answer: 2 * x}\n")
    found = only(findings(template("one-try", body)), "failure")
    summary, _ = sweep_template(template("one-try", body), variants=200)

    assert found[0].count == 200 - summary.generated
    assert found[0].rate == found[0].count / 200
    assert "in 1 try." in found[0].detail
