"""The shipped lecture templates give the lecture's worked answers through the whole template path."""

from __future__ import annotations

from fractions import Fraction

import pytest

from effquiz.templates import Bank
from effquiz.variants import generate_variant


@pytest.fixture(scope="module")
def bank() -> Bank:
    return Bank.load()


def lecture_answers(bank: Bank, template_id: str) -> dict:
    template = bank.get(template_id)
    variant = generate_variant(template, 0, overrides=template.examples["lecture"])
    return {name: answer.value for name, answer in variant.answers.items()}


def test_affine_mapping_lecture_scale(bank: Bank) -> None:
    # S = (4 - 0) / (2^8 - 1) = 4/255.
    assert lecture_answers(bank, "affine-int-mapping")["scale"] == Fraction(4, 255)


def test_affine_mapping_lecture_zero_point(bank: Bank) -> None:
    # Z = qmin - round(0 / S) = -128.
    assert lecture_answers(bank, "affine-int-mapping")["zero_point"] == -128


def test_affine_mapping_lecture_level_of_pi(bank: Bank) -> None:
    # pi / (4/255) = 200.28..., which rounds to 200; 200 + (-128) = 72.
    assert lecture_answers(bank, "affine-int-mapping")["q"] == 72


def test_affine_mapping_lecture_bin_edges(bank: Bank) -> None:
    # Level 72 is k = 200; its bin is x/S in [199.5, 200.5], so x in [798/255, 802/255].
    answers = lecture_answers(bank, "affine-int-mapping")
    assert answers["lower_edge"] == Fraction(798, 255)
    assert answers["upper_edge"] == Fraction(802, 255)


def test_affine_mapping_slide_value_is_not_tight(bank: Bank) -> None:
    # The slide printed 3.1455 as the smallest 4-decimal value mapping to 73. It maps to 73,
    # but 3.1451 does too and is smaller, because 802/255 = 3.145098...
    upper = lecture_answers(bank, "affine-int-mapping")["upper_edge"]
    assert Fraction("3.1451") > upper
    assert Fraction("3.1450") < upper
    assert Fraction("3.1455") > Fraction("3.1451")


def test_uniform_draft_lecture_answers(bank: Bank) -> None:
    # V = 10, V_n = 4: alpha = sum min(p, q) = 4 * min(1/4, 1/10) = 2/5; the residual
    # max(0, p - q) is 3/20 on each noun, which normalizes to 1/4, and 0 elsewhere.
    answers = lecture_answers(bank, "speculative-uniform-draft")
    assert answers["good_proxy"] == "no"
    assert answers["accept_when"] == "noun"
    assert answers["acceptance_rate"] == Fraction(2, 5)
    assert answers["residual_noun"] == Fraction(1, 4)
    assert answers["residual_other"] == 0


def test_uniform_draft_misconception_unnormalized_residual(bank: Bank) -> None:
    # Before normalization the residual on a noun is 1/4 - 1/10 = 3/20.
    template = bank.get("speculative-uniform-draft")
    variant = generate_variant(template, 0, overrides=template.examples["lecture"])
    assert variant.answers["residual_noun"].misconceptions["residual-not-normalized"] == Fraction(3, 20)
