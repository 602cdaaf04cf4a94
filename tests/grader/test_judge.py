"""The judge's verdicts on collected answers, one behaviour per test."""

from __future__ import annotations


import pytest

from effquiz.grader.judge import judge_part
from effquiz.templates import Bank
from effquiz.variants import generate_variant


@pytest.fixture(scope="module")
def lecture():
    bank = Bank.load()
    mapping = bank.get("affine-int-mapping")
    draft = bank.get("speculative-uniform-draft")
    return (mapping, generate_variant(mapping, 0, overrides=mapping.examples["lecture"]),
            draft, generate_variant(draft, 0, overrides=draft.examples["lecture"]))


def as_float(value: float) -> dict:
    return {"kind": "float", "value": repr(value)}


def verdict(template, variant, part_name, encoded):
    return judge_part(template.part(part_name), variant.answers[part_name], encoded)


def test_scale_within_relative_tolerance_is_correct(lecture) -> None:
    mapping, variant, _, _ = lecture
    # 4/255 = 0.0156862745...; 0.015686 is 1.7e-5 relative away, inside 1e-4.
    assert verdict(mapping, variant, "scale", as_float(0.015686)).correct


def test_scale_outside_tolerance_is_incorrect(lecture) -> None:
    mapping, variant, _, _ = lecture
    result = verdict(mapping, variant, "scale", as_float(0.0157))
    assert result.status == "incorrect"
    assert "0.0156" not in result.message


def test_scale_with_256_levels_names_misconception(lecture) -> None:
    mapping, variant, _, _ = lecture
    # 4/256 = 0.015625 is the "levels instead of gaps" mistake.
    result = verdict(mapping, variant, "scale", as_float(0.015625))
    assert result.misconception == "levels-instead-of-gaps"
    assert "2^b − 1 gaps" in result.message


def test_level_as_float_whole_number_is_correct(lecture) -> None:
    mapping, variant, _, _ = lecture
    assert verdict(mapping, variant, "q", as_float(72.0)).correct


def test_level_off_by_one_is_incorrect(lecture) -> None:
    mapping, variant, _, _ = lecture
    assert verdict(mapping, variant, "q", {"kind": "int", "value": "71"}).status == "incorrect"


def test_level_without_zero_point_names_misconception(lecture) -> None:
    mapping, variant, _, _ = lecture
    # round(pi / (4/255)) = 200, the level before Z = -128 is added.
    result = verdict(mapping, variant, "q", {"kind": "int", "value": "200"})
    assert result.misconception == "zero-point-not-added"


def test_choice_by_letter_key_or_text(lecture) -> None:
    _, _, draft, variant = lecture
    # The choices are listed as a: yes, b: no; the lecture's answer is "no".
    assert verdict(draft, variant, "good_proxy", {"kind": "str", "value": "b"}).correct
    assert verdict(draft, variant, "good_proxy", {"kind": "str", "value": "NO"}).correct
    assert not verdict(draft, variant, "good_proxy", {"kind": "str", "value": "a"}).correct


def test_unknown_choice_is_invalid(lecture) -> None:
    _, _, draft, variant = lecture
    assert verdict(draft, variant, "good_proxy", {"kind": "str", "value": "z"}).status == "invalid"


def test_unanswered_part_is_missing(lecture) -> None:
    mapping, variant, _, _ = lecture
    result = verdict(mapping, variant, "scale", {"kind": "missing"})
    assert result.status == "missing"
    assert "still `...`" in result.message


def test_object_that_is_not_a_number_is_invalid(lecture) -> None:
    mapping, variant, _, _ = lecture
    result = verdict(mapping, variant, "scale", {"kind": "other", "type": "AlwaysEqual"})
    assert result.status == "invalid"
    assert "AlwaysEqual" in result.message


def test_nan_is_invalid(lecture) -> None:
    mapping, variant, _, _ = lecture
    result = verdict(mapping, variant, "scale", {"kind": "float", "value": "nan"})
    assert result.status == "invalid"
    assert result.message == "Not graded: `scale` must be a finite number, not nan."


def test_zero_reference_uses_absolute_tolerance(lecture) -> None:
    _, _, draft, variant = lecture
    assert verdict(draft, variant, "residual_other", as_float(1e-9)).correct
    assert not verdict(draft, variant, "residual_other", as_float(1e-3)).correct


VECTORS = """
id: vectors
version: 1
topic: speculative-decoding
title: Vector answers
params:
  n: {kind: choice, values: [4]}
prompt: Vectors.
parts:
  residual:
    kind: vector
    prompt: The residual.
    answer: spec.residual(p=[1/2, 1/4, 1/4, 0], q=[1/4, 1/4, 1/4, 1/4])
    distribution: true
    tolerance: {abs: 0.01}
    misconceptions:
      - name: residual-not-normalized
        answer: "[1/4, 0, 0, 0]"
        feedback: Divide max(0, p − q) by its sum.
  bin:
    kind: interval
    prompt: The bin.
    answer: "[1/4, 3/4]"
    tolerance: {abs: 0.001}
  rate:
    kind: number
    prompt: The rate.
    answer: 4/255
    tolerance: {sigfigs: 3}
"""


@pytest.fixture(scope="module")
def vectors():
    from effquiz.templates import parse_template

    template = parse_template(VECTORS, "vectors.yaml")
    return template, generate_variant(template, 0)


def as_list(*values: float) -> dict:
    return {"kind": "list", "items": [as_float(value) for value in values]}


def test_distribution_within_tolerance_is_correct(vectors) -> None:
    template, variant = vectors
    # residual = norm(max(0, p - q)) = norm([1/4, 0, 0, 0]) = [1, 0, 0, 0].
    assert verdict(template, variant, "residual", as_list(0.995, 0.005, 0.0, 0.0)).correct


def test_distribution_must_sum_to_one(vectors) -> None:
    template, variant = vectors
    # Every entry is within 0.01 of [1, 0, 0, 0], but the sum 1.02 is not within 0.01 of 1.
    result = verdict(template, variant, "residual", as_list(1.0, 0.0, 0.01, 0.01))
    assert result.status == "incorrect"
    assert "sum to 1.02" in result.message


def test_unnormalized_residual_names_misconception(vectors) -> None:
    template, variant = vectors
    # max(0, p − q) = [1/4, 0, 0, 0] sums to 1/4, yet the misconception still matches.
    result = verdict(template, variant, "residual", as_list(0.25, 0.0, 0.0, 0.0))
    assert result.misconception == "residual-not-normalized"


def test_distribution_rejects_negative_entry(vectors) -> None:
    template, variant = vectors
    result = verdict(template, variant, "residual", as_list(1.005, -0.005, 0.0, 0.0))
    assert "negative" in result.message


def test_vector_message_names_wrong_entry(vectors) -> None:
    template, variant = vectors
    result = verdict(template, variant, "residual", as_list(0.5, 0.5, 0.0, 0.0))
    assert "entries [0], [1]" in result.message
    assert "within an absolute tolerance of 0.01" in result.message


def test_vector_of_wrong_length_is_incorrect(vectors) -> None:
    template, variant = vectors
    result = verdict(template, variant, "residual", as_list(1.0, 0.0, 0.0))
    assert "must have 4 entries, not 3" in result.message


def test_interval_bounds_are_compared_separately(vectors) -> None:
    template, variant = vectors
    assert verdict(template, variant, "bin", as_list(0.2505, 0.75)).correct
    result = verdict(template, variant, "bin", as_list(0.25, 0.8))
    assert "the upper bound of `bin` is not" in result.message


def test_interval_with_swapped_bounds_is_rejected(vectors) -> None:
    template, variant = vectors
    result = verdict(template, variant, "bin", as_list(0.75, 0.25))
    assert "lower bound of `bin` exceeds its upper bound" in result.message


def test_sigfigs_message_states_interval(vectors) -> None:
    template, variant = vectors
    result = verdict(template, variant, "rate", as_float(0.0156))
    assert result.status == "incorrect"
    assert "[0.01565, 0.01575)" in result.message


def test_sigfigs_boundary_typed_as_decimal_is_accepted(vectors) -> None:
    template, variant = vectors
    # The float 0.01565 is slightly below 0.01565 in binary; the judge reads the decimal the
    # student typed, which is the closed end of the interval.
    assert verdict(template, variant, "rate", as_float(0.01565)).correct


def test_choice_message_does_not_name_answer(lecture) -> None:
    _, _, draft, variant = lecture
    result = verdict(draft, variant, "good_proxy", {"kind": "str", "value": "a"})
    assert result.message == "Not accepted: only the one correct choice earns credit, and this is not it."


def test_number_message_hides_reference(lecture) -> None:
    mapping, variant, _, _ = lecture
    # The scale is 4/255 = 0.0156862745...
    result = verdict(mapping, variant, "scale", as_float(0.02))
    assert "0.0156" not in result.message
    assert "relative tolerance of 0.01%" in result.message


def test_misconception_message_says_what_is_accepted(lecture) -> None:
    mapping, variant, _, _ = lecture
    result = verdict(mapping, variant, "scale", as_float(0.015625))
    assert result.message.endswith("The part accepts every value within a relative tolerance of 0.01% of the "
                                   "exact value.")
