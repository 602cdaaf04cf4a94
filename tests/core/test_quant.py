"""Tests of effquiz.core.quant, the affine convention r = S·(q − Z) of the lecture.

Expected values are computed by hand in the comments. The lecture example quantizes
[0, 4] to signed 8 bits: S = (4 − 0)/(2^8 − 1) = 4/255, so x/S = 63.75·x, and
Z = −128 − round(0/S) = −128.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import pytest

from effquiz.core import (
    LevelInterval,
    QuantParams,
    dequantize,
    level_interval,
    level_range,
    lower_edge,
    qparams,
    quantize,
    scale,
    tie_distance,
    upper_edge,
    zero_point,
)
from effquiz.errors import CoreError, DegenerateRangeError

try:
    from hypothesis import assume, given
    from hypothesis import strategies as st
except ImportError:  # the property tests below are skipped without hypothesis
    given = None

LECTURE_SCALE = Fraction(4, 255)
LECTURE_ZERO_POINT = -128


def lecture_quantize(x):
    return quantize(x, scale=LECTURE_SCALE, zero_point=LECTURE_ZERO_POINT, bits=8, signed=True)


def lecture_interval(level):
    return level_interval(level, scale=LECTURE_SCALE, zero_point=LECTURE_ZERO_POINT, bits=8, signed=True)


# level_range


@pytest.mark.parametrize(
    ("bits", "signed", "expected"),
    [
        (8, True, (-128, 127)),
        (8, False, (0, 255)),
        (4, False, (0, 15)),
        (1, True, (-1, 0)),
        (1, False, (0, 1)),
        (32, True, (-(2**31), 2**31 - 1)),
        (32, False, (0, 2**32 - 1)),
    ],
)
def test_level_range_values(bits, signed, expected):
    assert level_range(bits=bits, signed=signed) == expected


@pytest.mark.parametrize("bits", [0, 33, -8])
def test_level_range_rejects_bits_out_of_range(bits):
    with pytest.raises(CoreError, match=rf"bits = {bits} is outside the supported range 1\.\.32"):
        level_range(bits, True)


@pytest.mark.parametrize("bits", [True, 8.0, "8"])
def test_level_range_rejects_non_int_bits(bits):
    with pytest.raises(CoreError, match=r"bits = .* is not an integer"):
        level_range(bits, True)


def test_level_range_rejects_non_bool_signed():
    with pytest.raises(CoreError, match=r"signed = 1 is not a bool"):
        level_range(8, 1)


# scale and zero_point


def test_scale_lecture():
    assert scale(lo=0, hi=4, bits=8) == Fraction(4, 255)


def test_scale_uses_gaps_not_levels():
    # 4 bits over [0, 1]: 2^4 − 1 = 15 gaps, so S = 1/15 (not 1/16).
    assert scale(lo=0, hi=1, bits=4) == Fraction(1, 15)


def test_scale_empty_range():
    with pytest.raises(DegenerateRangeError, match=r"range \[2, 2\] is empty.*Fix: choose hi > lo"):
        scale(2, 2, 8)


def test_scale_inverted_range():
    with pytest.raises(DegenerateRangeError, match=r"range \[3, 1\] is inverted.*Fix: swap lo and hi"):
        scale(3, 1, 8)


def test_scale_error_is_value_error():
    with pytest.raises(ValueError, match=r"is empty"):
        scale("0.5", 0.5, 8)


def test_zero_point_lecture():
    assert zero_point(lo=0, hi=4, bits=8, signed=True) == -128


def test_zero_point_unsigned_symmetric_range():
    # [-1, 1] unsigned 8-bit: S = 2/255, lo/S = -127.5 rounds to the even -128, Z = 0 + 128.
    assert zero_point(lo=-1, hi=1, bits=8, signed=False) == 128


def test_zero_point_below_level_range():
    # [1, 3] unsigned 8-bit: S = 2/255, lo/S = 127.5 rounds to 128, Z = 0 - 128 = -128,
    # outside [0, 255] and not clamped.
    assert zero_point(lo=1, hi=3, bits=8, signed=False) == -128


def test_zero_point_above_level_range():
    # [-3, -1] unsigned 2-bit: S = 2/3, lo/S = -4.5 rounds to -4, Z = 0 + 4 = 4 > qmax = 3.
    assert zero_point(lo=-3, hi=-1, bits=2, signed=False) == 4


def test_zero_point_empty_range():
    with pytest.raises(DegenerateRangeError, match=r"range \[1, 1\] is empty"):
        zero_point(1, 1, 8, True)


# qparams and QuantParams


def test_qparams_lecture():
    params = qparams(lo=0, hi=4, bits=8, signed=True)
    assert params.scale == Fraction(4, 255)
    assert params.zero_point == -128
    assert params.qmin == -128
    assert params.qmax == 127


def test_qparams_empty_range():
    with pytest.raises(DegenerateRangeError, match=r"range \[2, 2\] is empty"):
        qparams(2, 2, 8, True)


def test_quant_params_frozen():
    params = qparams(0, 4, 8, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.scale = Fraction(1)


def test_quant_params_converts_scale():
    params = QuantParams(scale="4/255", zero_point=-128, bits=8, signed=True)
    assert params.scale == Fraction(4, 255)
    assert isinstance(params.scale, Fraction)


def test_quant_params_rejects_zero_scale():
    with pytest.raises(DegenerateRangeError, match=r"scale S = 0 is not positive"):
        QuantParams(scale=0, zero_point=0, bits=8, signed=True)


def test_quant_params_rejects_float_zero_point():
    with pytest.raises(CoreError, match=r"zero_point = 1\.5 is not an integer"):
        QuantParams(scale=1, zero_point=1.5, bits=8, signed=True)


# quantize: the lecture example


def test_quantize_lecture_pi():
    # π·63.75 = 200.277..., rounds to 200, plus Z = -128 gives 72.
    assert lecture_quantize(math.pi) == 72


def test_quantize_lecture_below_bin():
    # 3.1294·63.75 = 199.49925, rounds to 199, minus 128 gives 71.
    assert lecture_quantize("3.1294") == 71


def test_quantize_lecture_tight_upper():
    # 3.1451·63.75 = 200.500125 > 200.5, rounds to 201, minus 128 gives 73.
    assert lecture_quantize("3.1451") == 73


def test_quantize_lecture_just_below_tie():
    # 3.1450·63.75 = 200.49375 < 200.5, rounds to 200, minus 128 gives 72.
    assert lecture_quantize("3.1450") == 72


def test_quantize_lecture_slide_value():
    # The slide's 3.1455·63.75 = 200.525 also rounds to 201 (73), but 3.1451 is the
    # smallest 4-decimal value that does.
    assert lecture_quantize("3.1455") == 73


def test_quantize_lecture_range_ends():
    # lo = 0 gives 0 - 128 = -128, and hi = 4 gives 255 - 128 = 127.
    assert lecture_quantize(0) == -128
    assert lecture_quantize(4) == 127


# quantize: ties, order of rounding and clamping


@pytest.mark.parametrize(("x", "expected"), [("0.5", 0), ("2.5", 2), ("-0.5", 0), ("-2.5", -2)])
def test_quantize_ties_half_to_even(x, expected):
    # S = 1 and Z = 0, so x/S = x and each tie goes to its even neighbour.
    assert quantize(x, scale=1, zero_point=0, bits=8, signed=True) == expected


def test_quantize_rounds_before_adding_zero_point():
    # x/S = (1/4)/(1/2) = 1/2 rounds to 0, plus Z = 1 gives 1.
    # Adding Z first would give round(3/2) = 2.
    assert quantize(Fraction(1, 4), scale=Fraction(1, 2), zero_point=1, bits=8, signed=False) == 1


def test_quantize_clamps_to_qmax_4bit():
    # 4-bit unsigned over [0, 1]: S = 1/15, Z = 0, so 2/S = 30 clamps to qmax = 15.
    assert quantize(2, scale=Fraction(1, 15), zero_point=0, bits=4, signed=False) == 15


def test_quantize_saturates_large_value():
    # 2^32/(1/2) + 1 = 2^33 + 1 saturates to the uint8 maximum 255.
    assert quantize(2**32, scale=Fraction(1, 2), zero_point=1, bits=8, signed=False) == 255


def test_quantize_saturates_below_qmin():
    # -5/(1/2) + 1 = -9 clamps to the uint8 minimum 0.
    assert quantize(-5, scale=Fraction(1, 2), zero_point=1, bits=8, signed=False) == 0


def test_quantize_zero_point_below_range_misses_qmax():
    # [1, 3] unsigned 2-bit: S = 2/3, Z = 0 - round(1.5) = -2.
    # hi = 3 gives 3/S = 4.5, which rounds to 4, and 4 - 2 = 2, so qmax = 3 is not reached.
    assert quantize(3, scale=Fraction(2, 3), zero_point=-2, bits=2, signed=False) == 2


@pytest.mark.parametrize("bad_scale", [0, -1, "-4/255"])
def test_quantize_rejects_non_positive_scale(bad_scale):
    with pytest.raises(DegenerateRangeError, match=r"scale S = .* is not positive"):
        quantize(1, scale=bad_scale, zero_point=0, bits=8, signed=True)


def test_quantize_rejects_float_zero_point():
    with pytest.raises(CoreError, match=r"zero_point = 0\.5 is not an integer"):
        quantize(1, scale=1, zero_point=0.5, bits=8, signed=True)


def test_quantize_rejects_nan():
    with pytest.raises(CoreError, match=r"nan is not a finite number"):
        quantize(math.nan, scale=1, zero_point=0, bits=8, signed=True)


# dequantize


def test_dequantize_lecture():
    # (4/255)·(72 + 128) = 800/255 = 160/51.
    assert dequantize(72, scale=LECTURE_SCALE, zero_point=LECTURE_ZERO_POINT) == Fraction(160, 51)


def test_dequantize_saturated_level():
    # (1/2)·(255 - 1) = 127.
    assert dequantize(255, scale=Fraction(1, 2), zero_point=1) == 127


def test_dequantize_rejects_zero_scale():
    with pytest.raises(DegenerateRangeError, match=r"scale S = 0 is not positive"):
        dequantize(3, scale=0, zero_point=0)


def test_dequantize_rejects_float_level():
    with pytest.raises(CoreError, match=r"q = 3\.0 is not an integer"):
        dequantize(3.0, scale=1, zero_point=0)


# level_interval


def test_level_interval_lecture_even_k_closed():
    # Level 72: k = 72 + 128 = 200 is even, so both ties round into the bin:
    # [(4/255)·199.5, (4/255)·200.5] = [798/255, 802/255].
    interval = lecture_interval(72)
    assert interval.lower == Fraction(798, 255)
    assert interval.upper == Fraction(802, 255)
    assert interval.lower_closed
    assert interval.upper_closed


def test_level_interval_odd_k_open():
    # Level 71: k = 199 is odd, so both ties round out of the bin:
    # ((4/255)·198.5, (4/255)·199.5) = (794/255, 798/255).
    interval = lecture_interval(71)
    assert interval.lower == Fraction(794, 255)
    assert interval.upper == Fraction(798, 255)
    assert not interval.lower_closed
    assert not interval.upper_closed


def test_level_interval_qmin_unbounded_below():
    # Level -128: k = 0, so it takes every x with x/S <= 1/2, that is x <= 2/255 (closed).
    interval = lecture_interval(-128)
    assert interval.lower is None
    assert not interval.lower_closed
    assert interval.upper == Fraction(2, 255)
    assert interval.upper_closed
    assert interval.contains(-(10**9))


def test_level_interval_qmax_unbounded_above():
    # Level 127: k = 255 is odd, so it takes every x with x/S > 254.5, that is
    # x > (4/255)·254.5 = 1018/255 (open).
    interval = lecture_interval(127)
    assert interval.upper is None
    assert not interval.upper_closed
    assert interval.lower == Fraction(1018, 255)
    assert not interval.lower_closed
    assert interval.contains(10**9)


def test_level_interval_shared_tie_belongs_to_even_k():
    # 798/255 is the tie x/S = 199.5 between levels 71 (k = 199) and 72 (k = 200).
    tie = Fraction(798, 255)
    assert lecture_quantize(tie) == 72
    assert lecture_interval(72).contains(tie)
    assert not lecture_interval(71).contains(tie)


def test_level_interval_contains_agrees_with_quantize_at_edges():
    # Both edges of every level and points 1/10^6 on either side of them.
    nudge = Fraction(1, 10**6)
    for level in range(-128, 128):
        interval = lecture_interval(level)
        for edge in (interval.lower, interval.upper):
            if edge is None:
                continue
            for x in (edge - nudge, edge, edge + nudge):
                assert interval.contains(x) == (lecture_quantize(x) == level), (level, x)


def test_level_interval_rejects_level_out_of_range():
    with pytest.raises(CoreError, match=r"level 128 is outside the level range \[-128, 127\]"):
        lecture_interval(128)


def test_level_interval_rejects_non_integer_level():
    with pytest.raises(CoreError, match=r"level = 1\.5 is not an integer"):
        lecture_interval(1.5)


def test_level_interval_zero_point_below_range_qmin():
    # [1, 3] unsigned 2-bit: S = 2/3, Z = -2. Level 0 has k = 2 (even), so it takes
    # x/S <= 2.5, that is x <= 5/3 (closed).
    interval = level_interval(0, scale=Fraction(2, 3), zero_point=-2, bits=2, signed=False)
    assert interval.lower is None
    assert interval.upper == Fraction(5, 3)
    assert interval.upper_closed
    assert quantize(Fraction(5, 3), scale=Fraction(2, 3), zero_point=-2, bits=2, signed=False) == 0


def test_level_interval_zero_point_below_range_qmax():
    # Same quantizer. Level 3 has k = 5 (odd), so it takes x/S > 4.5, that is x > 3 (open):
    # hi = 3 itself maps to level 2.
    interval = level_interval(3, scale=Fraction(2, 3), zero_point=-2, bits=2, signed=False)
    assert interval.lower == 3
    assert not interval.lower_closed
    assert interval.upper is None
    assert not interval.contains(3)


def test_level_interval_zero_point_above_range_qmax():
    # [-3, -1] unsigned 2-bit: S = 2/3, Z = 4. Level 3 has k = -1 (odd), so it takes
    # x/S > -1.5, that is x > -1 (open). The value 0 clamps from 4 down to 3.
    interval = level_interval(3, scale=Fraction(2, 3), zero_point=4, bits=2, signed=False)
    assert interval.lower == -1
    assert not interval.lower_closed
    assert interval.contains(0)
    assert quantize(0, scale=Fraction(2, 3), zero_point=4, bits=2, signed=False) == 3


def test_level_interval_zero_point_above_range_qmin():
    # Same quantizer. Level 0 has k = -4 (even), so it takes x/S <= -3.5, that is
    # x <= -7/3 (closed), and lo = -3 (x/S = -4.5, rounds to -4) maps to it.
    interval = level_interval(0, scale=Fraction(2, 3), zero_point=4, bits=2, signed=False)
    assert interval.upper == Fraction(-7, 3)
    assert interval.upper_closed
    assert interval.contains(-3)


def test_level_interval_str():
    assert str(lecture_interval(72)) == "[266/85, 802/255]"
    assert str(lecture_interval(71)) == "(794/255, 266/85)"
    assert str(lecture_interval(-128)) == "(-inf, 2/255]"
    assert str(lecture_interval(127)) == "(1018/255, +inf)"


def test_level_interval_contains_open_bounds_directly():
    interval = LevelInterval(level=0, lower=Fraction(0), upper=Fraction(1), lower_closed=False, upper_closed=True)
    assert not interval.contains(0)
    assert interval.contains(1)
    assert interval.contains("0.5")
    assert not interval.contains(2)


def test_level_interval_rejects_closed_unbounded_end():
    with pytest.raises(CoreError, match=r"interval of level 0 marks an unbounded end as closed"):
        LevelInterval(level=0, lower=None, upper=Fraction(1), lower_closed=True, upper_closed=True)


# lower_edge and upper_edge


def test_lower_edge_lecture_pi():
    # π maps to 72 (k = 200), whose bin starts at (4/255)·199.5 = 798/255.
    assert lower_edge(math.pi, lo=0, hi=4, bits=8, signed=True) == Fraction(798, 255)


def test_upper_edge_lecture_pi():
    # The bin of 72 ends at (4/255)·200.5 = 802/255.
    assert upper_edge(math.pi, lo=0, hi=4, bits=8, signed=True) == Fraction(802, 255)


def test_upper_edge_matches_tight_decimal():
    # 802/255 = 3.14509..., so 3.1451 is the smallest 4-decimal value above the edge.
    edge = upper_edge(math.pi, lo=0, hi=4, bits=8, signed=True)
    assert Fraction(31450, 10**4) < edge < Fraction(31451, 10**4)


def test_lower_edge_at_qmin_raises():
    # 0 maps to qmin = -128, whose bin is unbounded below.
    with pytest.raises(CoreError, match=r"value 0 maps to qmin = -128.*no lower edge"):
        lower_edge(0, lo=0, hi=4, bits=8, signed=True)


def test_upper_edge_at_qmax_raises():
    # 4 maps to qmax = 127, whose bin is unbounded above.
    with pytest.raises(CoreError, match=r"value 4 maps to qmax = 127.*no upper edge"):
        upper_edge(4, lo=0, hi=4, bits=8, signed=True)


def test_lower_edge_empty_range():
    with pytest.raises(DegenerateRangeError, match=r"range \[2, 2\] is empty"):
        lower_edge(2, lo=2, hi=2, bits=8, signed=True)


# Properties, when hypothesis is installed


if given is not None:

    @st.composite
    def ranges(draw):
        lo = draw(st.fractions(min_value=-100, max_value=100, max_denominator=1000))
        width = draw(st.fractions(min_value=Fraction(1, 1000), max_value=200, max_denominator=1000))
        bits = draw(st.integers(min_value=1, max_value=10))
        signed = draw(st.booleans())
        return lo, lo + width, qparams(lo=lo, hi=lo + width, bits=bits, signed=signed)

    def quantizers():
        return ranges().map(lambda case: case[2])

    def quantize_with(params, x):
        return quantize(x, params.scale, params.zero_point, params.bits, params.signed)

    def interval_with(params, level):
        return level_interval(level, params.scale, params.zero_point, params.bits, params.signed)

    @given(quantizers(), st.data())
    def test_quantize_inverts_dequantize(params, data):
        level = data.draw(st.integers(min_value=params.qmin, max_value=params.qmax))
        value = dequantize(level, params.scale, params.zero_point)
        assert quantize_with(params, value) == level

    @given(quantizers(), st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6))
    def test_level_interval_contains_value(params, x):
        level = quantize_with(params, x)
        assert interval_with(params, level).contains(x)

    @given(quantizers(), st.integers(min_value=-2000, max_value=2000))
    def test_level_interval_contains_tie(params, k):
        # x/S = k + 1/2 is a tie, where open and closed ends matter.
        x = params.scale * (k + Fraction(1, 2))
        level = quantize_with(params, x)
        assert interval_with(params, level).contains(x)

    @given(quantizers(), st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6))
    def test_level_interval_neighbours_exclude_value(params, x):
        level = quantize_with(params, x)
        for neighbour in (level - 1, level + 1):
            if params.qmin <= neighbour <= params.qmax:
                assert not interval_with(params, neighbour).contains(x)

    @given(quantizers(), st.fractions(max_denominator=10**6), st.fractions(max_denominator=10**6))
    def test_quantize_monotone(params, x, y):
        assume(x <= y)
        assert quantize_with(params, x) <= quantize_with(params, y)

    @given(ranges())
    def test_qparams_maps_lo_to_qmin(case):
        # Z = qmin - round(lo/S), so round(lo/S) + Z = qmin exactly.
        lo, _, params = case
        assert quantize_with(params, lo) == params.qmin

    @given(ranges())
    def test_qparams_maps_hi_to_qmax_off_ties(case):
        # hi/S = lo/S + 2^b - 1, so hi lands on qmax unless lo/S is a tie: adding the odd
        # number 2^b - 1 flips which neighbour of a tie is even.
        lo, hi, params = case
        assume(tie_distance(lo / params.scale) != 0)
        assert quantize_with(params, hi) == params.qmax
