"""The judge's verdicts on collected answers, one behaviour per test."""

from __future__ import annotations

from fractions import Fraction

import pytest

from effquiz.grader.judge import describe_tolerance, judge_part, within
from effquiz.templates import Bank
from effquiz.templates.schema import Tolerance
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
    assert verdict(mapping, variant, "scale", {"kind": "float", "value": "nan"}).status == "invalid"


def test_zero_reference_uses_absolute_tolerance(lecture) -> None:
    _, _, draft, variant = lecture
    assert verdict(draft, variant, "residual_other", as_float(1e-9)).correct
    assert not verdict(draft, variant, "residual_other", as_float(1e-3)).correct


def test_within_relative_tolerance_boundary() -> None:
    tolerance = Tolerance(relative=Fraction(1, 100))
    assert within(Fraction(101), Fraction(100), tolerance)
    assert not within(Fraction(10101, 100), Fraction(100), tolerance)


def test_describe_tolerance_gives_percent() -> None:
    assert describe_tolerance(Tolerance(relative=Fraction(1, 10**4))) == "within a relative tolerance of 0.01%"
