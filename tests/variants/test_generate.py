"""Variant generation: determinism, display precision and constraints."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from effquiz.core import tie_distance
from effquiz.errors import SamplingError, TemplateError
from effquiz.templates import Bank, parse_template
from effquiz.variants import generate_variant, question_seed, student_seed
from effquiz.variants.seeds import draw_index, make_rng


@pytest.fixture(scope="module")
def mapping():
    return Bank.load().get("affine-int-mapping")


def test_same_seed_gives_same_variant(mapping) -> None:
    first, second = generate_variant(mapping, 42), generate_variant(mapping, 42)
    assert first.params == second.params
    assert first.prompt == second.prompt
    assert {k: a.value for k, a in first.answers.items()} == {k: a.value for k, a in second.answers.items()}


def test_students_get_different_seeds() -> None:
    seeds = {student_seed(7, f"s{i}") for i in range(200)}
    assert len(seeds) == 200


def test_question_seed_depends_on_question_id() -> None:
    base = student_seed(7, "ada")
    assert question_seed(base, "mapping") != question_seed(base, "draft")


def test_student_seed_depends_on_course_seed() -> None:
    assert student_seed(1, "ada") != student_seed(2, "ada")


def test_draw_index_maps_raw_words_by_modulo() -> None:
    # For a count that divides 2^64, rejection never triggers, so the index is the raw word mod count.
    raw = np.random.PCG64(5).random_raw(3)
    rng = make_rng(5)
    assert [draw_index(rng, 8) for _ in range(3)] == [int(word) % 8 for word in raw]


def test_displayed_value_equals_computed_value(mapping) -> None:
    for seed in range(50):
        variant = generate_variant(mapping, seed)
        value = variant.params["value"]
        assert Fraction(str(value)) == value
        assert f"x = {value}" in variant.prompt


def test_values_stay_away_from_rounding_ties(mapping) -> None:
    for seed in range(300):
        params = generate_variant(mapping, seed).params
        scale = (params["hi"] - params["lo"]) / (2 ** params["bits"] - 1)
        assert tie_distance(params["value"] / scale) > Fraction(1, 10**6)


def test_values_are_never_clamped(mapping) -> None:
    # The value lies a tenth of the range inside [lo, hi], so its level is strictly inside.
    for seed in range(100):
        variant = generate_variant(mapping, seed)
        bits, signed = variant.params["bits"], variant.params["signed"]
        qmin = -(2 ** (bits - 1)) if signed else 0
        qmax = qmin + 2**bits - 1
        assert qmin < variant.answers["q"].value < qmax


def test_override_is_used_exactly(mapping) -> None:
    variant = generate_variant(mapping, 1, overrides={"lo": 0, "hi": 4, "bits": 8, "signed": True, "value": 3.1294})
    assert variant.answers["q"].value == 71


def test_override_of_unknown_parameter_is_rejected(mapping) -> None:
    with pytest.raises(TemplateError, match="has no parameter 'bitz'"):
        generate_variant(mapping, 1, overrides={"bitz": 8})


IMPOSSIBLE = """
id: impossible
version: 1
topic: quantization
title: Never satisfiable
params:
  n: {kind: integer, low: 1, high: 10}
constraints:
  - name: n is large
    expr: n > 100
prompt: "n = {{ n }}"
parts:
  double: {kind: integer, prompt: "2n", answer: 2 * n}
max_tries: 50
"""


def test_unsatisfiable_constraint_names_itself() -> None:
    template = parse_template(IMPOSSIBLE, "impossible.yaml")
    with pytest.raises(SamplingError, match=r"'n is large' held in 0\.00% of the draws"):
        generate_variant(template, 3)
