"""range-includes-zero: the range [1, 3.2] as given, and widened to [0, 3.2].

PyTorch's affine observers (torch/ao/quantization/observer.py, _calculate_qparams) and
ONNX DynamicQuantizeLinear widen the range to [min(lo, 0), max(hi, 0)] before computing
S and Z, so that 0 is exactly representable.
"""

from __future__ import annotations

from fractions import Fraction


def test_range_as_given_scale(answers):
    # S = 2.2/255 = 11/1275.
    assert answers("range-includes-zero", "positive")["given_scale"] == Fraction(11, 1275)


def test_range_as_given_zero_point(answers):
    # lo/S = 255/2.2 = 115.909..., which rounds to 116, so Z = -116, outside [0, 255].
    assert answers("range-includes-zero", "positive")["given_zero_point"] == -116


def test_range_as_given_loses_zero(answers):
    # 0 maps to clamp(-116) = 0, which dequantizes to S · 116 = 1276/1275, not 0.
    assert answers("range-includes-zero", "positive")["zero_restored"] == Fraction(1276, 1275)


def test_widened_scale(answers):
    # [0, 3.2]: S' = 3.2/255 = 16/1275, larger than 11/1275.
    result = answers("range-includes-zero", "positive")
    assert result["widened_scale"] == Fraction(16, 1275)
    assert result["widened_scale"] > result["given_scale"]


def test_widened_zero_point(answers):
    # 0 - round(0/S') = 0.
    assert answers("range-includes-zero", "positive")["widened_zero_point"] == 0


def test_widening_reason(answers):
    assert answers("range-includes-zero", "positive")["widening_reason"] == "exact-zero"
