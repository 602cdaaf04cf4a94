"""Clamping and saturation: clamp-four-bit and saturation-uint8.

Out-of-range values saturate to the type's own levels, as ONNX QuantizeLinear saturates
to the range of its uint4 and uint8 types.
"""

from __future__ import annotations

from fractions import Fraction

# clamp-four-bit: unsigned 4-bit over [0, 1], so S = 1/15 and Z = 0.


def test_clamp_above_range_saturates_at_15(answers):
    # x = 2: 2/(1/15) = 30, which saturates to q_max = 15, not 30.
    assert answers("clamp-four-bit", "unit-range")["clamp_q_above"] == 15


def test_clamp_eight_bit_container_gives_30(wrong):
    # Clamping to the 0..255 range of an 8-bit container leaves 30 in place.
    misconceptions = wrong("clamp-four-bit", "unit-range", "clamp_q_above")
    assert misconceptions["eight-bit-container"] == 30
    assert misconceptions["not-clamped"] == 30


def test_clamp_wrap_around(wrong):
    # 30 mod 16 = 14 above; -6 mod 16 = 10 below.
    assert wrong("clamp-four-bit", "unit-range", "clamp_q_above")["wrap-around"] == 14
    assert wrong("clamp-four-bit", "unit-range", "clamp_q_below")["wrap-around"] == 10


def test_clamp_below_range_saturates_at_0(answers):
    # x = -0.4: -0.4 · 15 = -6, which saturates to q_min = 0.
    assert answers("clamp-four-bit", "unit-range")["clamp_q_below"] == 0


def test_clamp_restored_value_and_error(answers):
    # Level 15 dequantizes to 15/15 = 1, so x = 2 comes back with error 2 - 1 = 1.
    result = answers("clamp-four-bit", "unit-range")
    assert result["clamp_restored"] == 1
    assert result["clamp_error"] == 1


def test_clamp_error_exceeds_half_step(answers, wrong):
    # Inside the range the error is at most S/2 = 1/30; the clamped value's error is 1.
    assert wrong("clamp-four-bit", "unit-range", "clamp_error")["half-step-bound"] == Fraction(1, 30)
    assert answers("clamp-four-bit", "unit-range")["clamp_error"] > Fraction(1, 30)


# saturation-uint8: S = 0.5, Z = 1, x = 2^32.


def test_saturation_maps_to_255(answers):
    # 2^32/0.5 + 1 = 2^33 + 1, which saturates to 255.
    assert answers("saturation-uint8", "huge-input")["sat_q_high"] == 255


def test_saturation_dequantizes_to_127(answers):
    # 0.5 · (255 - 1) = 127.0.
    assert answers("saturation-uint8", "huge-input")["sat_restored_high"] == 127


def test_saturation_wrap_keeps_low_byte(wrong):
    # (2^33 + 1) mod 256 = 1, which would dequantize to 0.5 · (1 - 1) = 0.
    assert wrong("saturation-uint8", "huge-input", "sat_q_high")["wrap-around"] == 1
    assert wrong("saturation-uint8", "huge-input", "sat_restored_high")["wrap-around"] == 0


def test_saturation_negative_input(answers):
    # -2^33 + 1 saturates to 0, which dequantizes to 0.5 · (0 - 1) = -0.5.
    result = answers("saturation-uint8", "huge-input")
    assert result["sat_q_low"] == 0
    assert result["sat_restored_low"] == Fraction(-1, 2)
