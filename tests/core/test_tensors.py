"""Tests of effquiz.core.tensors: vectors, integer dot products and model memory.

Expected values are computed by hand in the comments. The integer dot product follows
Jacob et al. 2018 (arXiv:1712.05877), sections 2.2 and 2.3.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from effquiz.core import (
    dequantize_vector,
    integer_dot,
    max_roundtrip_error,
    model_memory_bytes,
    quantize_vector,
    requantize,
    roundtrip_vector,
)
from effquiz.errors import CoreError

# The vector [-1, 0.25, 0.62, 2] over its own range [-1, 2] in uint8:
# S = 3/255 = 1/85 and Z = 0 - round(-85) = 85.
VECTOR = ["-1", "0.25", "0.62", "2"]
SCALE = Fraction(1, 85)
ZERO = 85


def test_quantize_vector_levels():
    # x·85 = -85, 21.25, 52.7, 170 round to -85, 21, 53, 170; adding Z = 85 gives
    # 0, 106, 138, 255.
    assert quantize_vector(VECTOR, SCALE, ZERO, 8, False) == (0, 106, 138, 255)


def test_quantize_vector_saturates_each_entry():
    # 3·85 + 85 = 340 saturates to 255 and -2·85 + 85 = -85 to 0.
    assert quantize_vector(["3", "-2"], SCALE, ZERO, 8, False) == (255, 0)


def test_quantize_vector_rejects_empty():
    with pytest.raises(CoreError, match=r"values is empty"):
        quantize_vector([], SCALE, ZERO, 8, False)


def test_quantize_vector_rejects_string():
    with pytest.raises(CoreError, match=r"values = '12' is not a sequence"):
        quantize_vector("12", SCALE, ZERO, 8, False)


def test_dequantize_vector_values():
    # (q - 85)/85 for q = 0, 106, 138, 255: -1, 21/85, 53/85, 2.
    assert dequantize_vector([0, 106, 138, 255], SCALE, ZERO) == (-1, Fraction(21, 85), Fraction(53, 85), 2)


def test_roundtrip_vector_values():
    assert roundtrip_vector(VECTOR, SCALE, ZERO, 8, False) == (-1, Fraction(21, 85), Fraction(53, 85), 2)


def test_max_roundtrip_error_value():
    # |0.25 - 21/85| = 0.25/85 and |0.62 - 53/85| = 0.3/85 = 3/850, the larger.
    assert max_roundtrip_error(VECTOR, SCALE, ZERO, 8, False) == Fraction(3, 850)


def test_max_roundtrip_error_within_half_step():
    assert max_roundtrip_error(VECTOR, SCALE, ZERO, 8, False) <= SCALE / 2


def test_max_roundtrip_error_clamped_value_exceeds_half_step():
    # 3 saturates to 255, which dequantizes to 2, so the error is 1.
    assert max_roundtrip_error(["3"], SCALE, ZERO, 8, False) == 1


# integer_dot and requantize


def test_integer_dot_with_both_zero_points():
    # (130 - 128)(3 + 1) + (120 - 128)(-5 + 1) + (140 - 128)(2 + 1) = 8 + 32 + 36 = 76.
    assert integer_dot([130, 120, 140], 128, [3, -5, 2], -1) == 76


def test_integer_dot_matches_expansion():
    # N·Za·Zw - Za·Σw - Zw·Σa + Σa·w = 3·128·(-1) - 128·0 + 1·390 + 70 = -384 + 390 + 70 = 76.
    a, w = [130, 120, 140], [3, -5, 2]
    expanded = 3 * 128 * -1 - 128 * sum(w) - (-1) * sum(a) + sum(x * y for x, y in zip(a, w))
    assert integer_dot(a, 128, w, -1) == expanded


def test_integer_dot_rejects_length_mismatch():
    with pytest.raises(CoreError, match=r"a_levels has 2 entries but b_levels has 3"):
        integer_dot([1, 2], 0, [1, 2, 3], 0)


def test_integer_dot_rejects_float_level():
    with pytest.raises(CoreError, match=r"a_levels\[1\] = 2.5 is not an integer"):
        integer_dot([1, 2.5], 0, [1, 2], 0)


def test_requantize_adds_output_zero_point():
    # M = 0.05·0.01/0.02 = 0.025; 0.025·76 = 1.9 rounds to 2; 2 + 100 = 102.
    assert requantize(76, "0.025", 100, 8, False) == 102


def test_requantize_rounds_ties_to_even():
    # 0.25·46 = 11.5 rounds to 12 (even); 12 + 10 = 22. And 0.25·42 = 10.5 rounds to 10.
    assert requantize(46, "0.25", 10, 8, False) == 22
    assert requantize(42, "0.25", 10, 8, False) == 20


def test_requantize_saturates():
    # 1·1000 + 0 = 1000 saturates to 255.
    assert requantize(1000, 1, 0, 8, False) == 255


def test_requantize_rejects_non_positive_multiplier():
    with pytest.raises(CoreError, match=r"multiplier M = 0 is not positive"):
        requantize(5, 0, 0, 8, False)


# model_memory_bytes


def test_model_memory_fp16():
    # 7e9 weights · 16 bits / 8 = 14e9 bytes.
    assert model_memory_bytes(7 * 10**9, 16) == 14 * 10**9


def test_model_memory_four_bit():
    # 7e9 · 4 / 8 = 3.5e9 bytes.
    assert model_memory_bytes(7 * 10**9, 4) == Fraction(35 * 10**8)


def test_model_memory_group_scales():
    # 7e9/128 = 54,687,500 fp16 scales add 109,375,000 bytes to 3.5e9: 3,609,375,000.
    assert model_memory_bytes(7 * 10**9, 4, group_size=128) == 3_609_375_000


def test_model_memory_partial_group_counts_a_scale():
    # 130 weights in groups of 128 need ceil(130/128) = 2 scales: 130·4/8 + 2·2 = 69 bytes.
    assert model_memory_bytes(130, 4, group_size=128) == 69


def test_model_memory_rejects_fractional_count():
    with pytest.raises(CoreError, match=r"parameters = 3/2 is not a positive whole number"):
        model_memory_bytes("1.5", 4)


def test_model_memory_rejects_negative_group():
    with pytest.raises(CoreError, match=r"group_size = -1 .* is out of range"):
        model_memory_bytes(100, 4, group_size=-1)
