"""Tests of effquiz.core.schemes: symmetric scales and range widening.

Expected values are computed by hand in the comments. Sources for the conventions:
the TFLite 8-bit quantization spec (weights symmetric in [-127, 127], Z = 0) and
PyTorch's torch/ao/quantization/observer.py (symmetric scale max|x|/((qmax - qmin)/2);
affine observers widen the range to [min(lo, 0), max(hi, 0)]).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from effquiz.core import (
    channel_scales,
    max_abs,
    symmetric_levels,
    symmetric_quantize,
    symmetric_scale,
    widened_qparams,
    widened_range,
)
from effquiz.errors import CoreError, DegenerateRangeError

# max_abs


def test_max_abs_takes_magnitudes():
    # |-0.5| = 0.5 beats 0.25 and 0.4.
    assert max_abs(["-0.5", "0.25", "0.4"]) == Fraction(1, 2)


def test_max_abs_rejects_empty():
    with pytest.raises(CoreError, match=r"empty, so it has no max\|x\|"):
        max_abs([])


# symmetric_levels


def test_symmetric_levels_absmax_is_narrow():
    # TFLite int8 weights use [-127, 127].
    assert symmetric_levels(8, "absmax") == (-127, 127)


def test_symmetric_levels_pytorch_is_full():
    assert symmetric_levels(8, "pytorch") == (-128, 127)


def test_symmetric_levels_four_bit():
    assert symmetric_levels(4, "absmax") == (-7, 7)
    assert symmetric_levels(4, "pytorch") == (-8, 7)


def test_symmetric_levels_rejects_unknown_convention():
    with pytest.raises(CoreError, match=r"convention = 'tflite' is not a symmetric"):
        symmetric_levels(8, "tflite")


# symmetric_scale


def test_symmetric_scale_absmax_divides_by_127():
    # 1.27 / 127 = 0.01.
    assert symmetric_scale("1.27", 8, "absmax") == Fraction(1, 100)


def test_symmetric_scale_pytorch_divides_by_127_5():
    # (qmax - qmin)/2 = (127 + 128)/2 = 127.5, and 1.27 / 127.5 = 127/12750.
    assert symmetric_scale("1.27", 8, "pytorch") == Fraction(127, 12750)


def test_symmetric_scale_four_bit_absmax():
    # 0.7 / (2^3 - 1) = 0.1.
    assert symmetric_scale("0.7", 4, "absmax") == Fraction(1, 10)


def test_symmetric_scale_four_bit_pytorch():
    # (7 + 8)/2 = 7.5, and 0.75 / 7.5 = 0.1.
    assert symmetric_scale("0.75", 4, "pytorch") == Fraction(1, 10)


def test_symmetric_scale_rejects_zero_tensor():
    with pytest.raises(DegenerateRangeError, match=r"max\|x\| = 0 is not positive"):
        symmetric_scale(0, 8, "absmax")


def test_symmetric_scale_rejects_one_bit_absmax():
    # One signed bit has levels [-1, 0], so the narrow range has no positive level.
    with pytest.raises(CoreError, match=r"bits = 1 leaves no positive level"):
        symmetric_scale(1, 1, "absmax")


# symmetric_quantize


def test_symmetric_quantize_absmax_level():
    # S = 0.01, and 1.213 / 0.01 = 121.3, which rounds to 121.
    assert symmetric_quantize("1.213", "1.27", 8, "absmax") == 121


def test_symmetric_quantize_pytorch_level_differs():
    # S = 1.27/127.5, and 1.213 · 127.5 / 1.27 = 121.777..., which rounds to 122.
    assert symmetric_quantize("1.213", "1.27", 8, "pytorch") == 122


def test_symmetric_quantize_negative_max_absmax():
    # -max|x| maps to -127 under absmax, never to -128.
    assert symmetric_quantize("-1.27", "1.27", 8, "absmax") == -127


def test_symmetric_quantize_pytorch_end_is_a_tie():
    # Under PyTorch's convention max|x|/S = 127.5, a tie that rounds to even 128 and is
    # clamped to 127; -127.5 rounds to -128, which is a level.
    assert symmetric_quantize("1.27", "1.27", 8, "pytorch") == 127
    assert symmetric_quantize("-1.27", "1.27", 8, "pytorch") == -128


def test_symmetric_quantize_clamps_beyond_range():
    # 2.54 / 0.01 = 254, clamped to 127.
    assert symmetric_quantize("2.54", "1.27", 8, "absmax") == 127


# channel_scales


def test_channel_scales_one_per_row():
    # Row 1: max|w| = 2.54, S = 2.54/127 = 0.02. Row 2: max|w| = 0.113, S = 0.113/127.
    rows = [["2.54", "-1.27", "0.5"], ["0.113", "-0.047", "0.031"]]
    assert channel_scales(rows, 8, "absmax") == (Fraction(1, 50), Fraction(113, 127000))


def test_channel_scales_rejects_empty_matrix():
    with pytest.raises(CoreError, match=r"the matrix has no rows"):
        channel_scales([], 8, "absmax")


# widened_range and widened_qparams


def test_widened_range_positive_range_starts_at_zero():
    assert widened_range(1, 3) == (0, 3)


def test_widened_range_negative_range_ends_at_zero():
    assert widened_range("-3", "-1") == (-3, 0)


def test_widened_range_keeps_range_with_zero():
    assert widened_range("-1", 2) == (-1, 2)


def test_widened_range_rejects_inverted():
    with pytest.raises(DegenerateRangeError, match=r"range \[3, 1\] is inverted"):
        widened_range(3, 1)


def test_widened_qparams_positive_range():
    # [1, 3] widens to [0, 3]: S = 3/255 = 1/85 and Z = 0 - round(0) = 0.
    params = widened_qparams(1, 3, 8, False)
    assert params.scale == Fraction(1, 85)
    assert params.zero_point == 0


def test_widened_qparams_negative_range():
    # [-3, -1] widens to [-3, 0]: S = 1/85 and Z = 0 - round(-3·85) = 255.
    params = widened_qparams(-3, -1, 8, False)
    assert params.scale == Fraction(1, 85)
    assert params.zero_point == 255


def test_widened_qparams_zero_point_within_levels():
    # Signed [2, 5] widens to [0, 5]: Z = -128 - round(0) = -128 = qmin.
    params = widened_qparams(2, 5, 8, True)
    assert params.qmin <= params.zero_point <= params.qmax


def test_widened_qparams_rejects_all_zero_range():
    with pytest.raises(DegenerateRangeError, match=r"range \[0, 0\] is empty"):
        widened_qparams(0, 0, 8, False)
