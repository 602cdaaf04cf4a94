"""Quantization schemes that frameworks use beside the lecture's affine default.

:mod:`effquiz.core.quant` quantizes a range [lo, hi] exactly as given. Two framework
choices change S and Z, and problems in the bank ask about both:

- Symmetric quantization fixes Z = 0 and derives S from max|x|. The TFLite 8-bit
  quantization spec (tensorflow.org/lite/performance/quantization_spec) and absmax
  quantization (Dettmers et al. 2022, "LLM.int8()", arXiv:2208.07339, section 2) divide by
  2^(b−1) − 1, that is by 127 for int8, and keep the levels in [−127, 127]. PyTorch's
  observers (``torch/ao/quantization/observer.py``, ``_calculate_qparams``) divide by
  (qmax − qmin)/2, that is by 127.5 for int8, and keep the levels in [−128, 127].
- Range widening: PyTorch's affine observers and ONNX DynamicQuantizeLinear first widen
  [lo, hi] to [min(lo, 0), max(hi, 0)], so that the real value 0 maps exactly to the
  integer Z.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from effquiz.core.exact import Exact, to_exact
from effquiz.core.quant import QuantParams, level_range, qparams, quantize
from effquiz.errors import CoreError, DegenerateRangeError

__all__ = [
    "SYMMETRIC_CONVENTIONS",
    "channel_scales",
    "max_abs",
    "symmetric_levels",
    "symmetric_quantize",
    "symmetric_scale",
    "widened_qparams",
    "widened_range",
]

#: The symmetric conventions: ``absmax`` (TFLite, LLM.int8()) and ``pytorch``.
SYMMETRIC_CONVENTIONS = ("absmax", "pytorch")


def _check_convention(convention: object) -> str:
    if convention not in SYMMETRIC_CONVENTIONS:
        raise CoreError(
            f"convention = {convention!r} is not a symmetric quantization convention.",
            fix="pass 'absmax' for max|x|/(2^(b-1) - 1) or 'pytorch' for max|x|/((2^b - 1)/2).",
        )
    return str(convention)


def max_abs(values: Sequence[Exact]) -> Fraction:
    """Return max|x| over ``values``, the quantity that a symmetric scale is computed from.

    Raises CoreError for an empty sequence.

    >>> max_abs(["-0.5", "0.25", "0.4"])
    Fraction(1, 2)
    """
    exact = [to_exact(value) for value in values]
    if not exact:
        raise CoreError("the sequence of values is empty, so it has no max|x|.", fix="pass at least one value.")
    return max(abs(value) for value in exact)


def symmetric_levels(bits: int, convention: str) -> tuple[int, int]:
    """Return the levels (qmin, qmax) that symmetric quantization uses.

    ``absmax`` keeps the narrow range [−(2^(b−1) − 1), 2^(b−1) − 1], which is [−127, 127] for
    int8 in the TFLite spec. ``pytorch`` keeps the full signed range [−2^(b−1), 2^(b−1) − 1].

    >>> symmetric_levels(8, "absmax"), symmetric_levels(8, "pytorch")
    ((-127, 127), (-128, 127))
    """
    qmin, qmax = level_range(bits, True)
    if _check_convention(convention) == "absmax":
        return -qmax, qmax
    return qmin, qmax


def symmetric_scale(max_abs: Exact, bits: int, convention: str) -> Fraction:
    """Compute the symmetric scale S of a tensor whose largest magnitude is ``max_abs``.

    ``absmax``: S = max|x|/(2^(b−1) − 1), so max|x| maps exactly to the level 2^(b−1) − 1
    (127 for int8). ``pytorch``: S = max|x|/((qmax − qmin)/2) = max|x|/((2^b − 1)/2), which is
    max|x|/127.5 for int8. Z is 0 in both. Raises DegenerateRangeError when ``max_abs`` <= 0,
    and CoreError for 1 bit under ``absmax``, which leaves no positive level.

    >>> symmetric_scale("1.27", 8, "absmax"), symmetric_scale("1.275", 8, "pytorch")
    (Fraction(1, 100), Fraction(1, 100))
    """
    magnitude = to_exact(max_abs)
    if magnitude <= 0:
        raise DegenerateRangeError(
            f"max|x| = {magnitude} is not positive, so the symmetric scale would not be positive.",
            fix="pass the largest magnitude of a tensor that is not all zeros.",
        )
    qmin, qmax = symmetric_levels(bits, convention)
    if qmax <= 0:
        raise CoreError(
            f"bits = {bits} leaves no positive level for symmetric quantization.",
            fix="choose at least 2 bits.",
        )
    if convention == "absmax":
        return magnitude / qmax
    return magnitude / (Fraction(qmax - qmin) / 2)


def symmetric_quantize(x: Exact, max_abs: Exact, bits: int, convention: str) -> int:
    """Map ``x`` to clamp(round(x/S), qmin, qmax) with S and the levels of ``convention``.

    Rounding is half to even, as in :func:`effquiz.core.quant.quantize`, and Z = 0.

    >>> symmetric_quantize("0.5", "1.27", 8, "absmax")
    50
    """
    step = symmetric_scale(max_abs, bits, convention)
    qmin, qmax = symmetric_levels(bits, convention)
    level = quantize(x, scale=step, zero_point=0, bits=bits, signed=True)
    return max(qmin, min(qmax, level))


def channel_scales(rows: Sequence[Sequence[Exact]], bits: int, convention: str) -> tuple[Fraction, ...]:
    """Compute one symmetric scale per row of a matrix: per-channel quantization.

    Row i gets S_i = :func:`symmetric_scale` (max|row i|, bits, convention). A per-tensor
    scale instead takes max|x| over the whole matrix, so one large row sets the step of
    every row.

    >>> channel_scales([["1.27", "-0.5"], ["0.127", "0.1"]], 8, "absmax")
    (Fraction(1, 100), Fraction(1, 1000))
    """
    if not rows:
        raise CoreError("the matrix has no rows.", fix="pass at least one row.")
    return tuple(symmetric_scale(max_abs(row), bits, convention) for row in rows)


def widened_range(lo: Exact, hi: Exact) -> tuple[Fraction, Fraction]:
    """Widen [lo, hi] to [min(lo, 0), max(hi, 0)], as PyTorch observers and ONNX do.

    >>> widened_range(1, 3)
    (Fraction(0, 1), Fraction(3, 1))
    """
    low, high = to_exact(lo), to_exact(hi)
    if high < low:
        raise DegenerateRangeError(
            f"range [{low}, {high}] is inverted.",
            fix="swap lo and hi so that hi >= lo.",
        )
    return min(low, Fraction(0)), max(high, Fraction(0))


def widened_qparams(lo: Exact, hi: Exact, bits: int, signed: bool) -> QuantParams:
    """Compute S and Z after the range is widened to include 0.

    S = (max(hi, 0) − min(lo, 0))/(2^b − 1) and Z = qmin − round(min(lo, 0)/S), half to even.
    PyTorch then clamps Z into [qmin, qmax] and ONNX saturates it, but after widening Z
    already lies there: min(lo, 0) <= 0 gives Z >= qmin, and max(hi, 0) >= 0 gives Z <= qmax.
    Raises DegenerateRangeError when lo = hi = 0.

    >>> widened_qparams(1, 3, 8, False)
    QuantParams(scale=Fraction(1, 85), zero_point=0, bits=8, signed=False)
    """
    low, high = widened_range(lo, hi)
    return qparams(low, high, bits, signed)
