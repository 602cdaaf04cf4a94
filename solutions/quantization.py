"""Reference implementations of the affine quantizer, its inverse and its parameters, in NumPy floats.

The convention is the lecture's, as in :mod:`effquiz.core.quant` (Jacob et al. 2018, §2.1):
S = (hi − lo)/(2^b − 1), Z = q_min − round(lo/S), q = clamp(round(x/S) + Z, q_min, q_max)
and r = S·(q − Z), with ties rounded to even (``numpy.round``). ``tests/solutions`` checks
that these float versions agree with the exact core.

After each reference come known wrong implementations with the same signature. Function
parts name them as misconceptions: an answer whose outputs equal one of them on every
probe gets that misconception's feedback.
"""

from __future__ import annotations

import numpy as np


def level_range(bits: int, signed: bool) -> tuple[int, int]:
    """Return (q_min, q_max): [−2^(b−1), 2^(b−1) − 1] if signed, else [0, 2^b − 1]."""
    if signed:
        return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    return 0, 2**bits - 1


def _check_range(lo: float, hi: float) -> None:
    if not hi > lo:
        raise ValueError(f"the range [{lo}, {hi}] is empty, so the scale (hi - lo)/(2^b - 1) would not be positive")


# Quantization parameters of a range.


def qparams(lo, hi, bits, signed):
    """Return (S, Z) of the range [lo, hi]: S = (hi − lo)/(2^b − 1) and Z = q_min − round(lo/S).

    S is a float and Z an int, not clamped to the levels. Raises ValueError when hi <= lo.
    """
    _check_range(lo, hi)
    qmin, _ = level_range(bits, signed)
    scale = (hi - lo) / (2**bits - 1)
    return scale, qmin - int(np.round(lo / scale))


def qparams_levels_not_gaps(lo, hi, bits, signed):
    """Wrong: divides the range by 2^b levels instead of 2^b − 1 gaps."""
    _check_range(lo, hi)
    qmin, _ = level_range(bits, signed)
    scale = (hi - lo) / 2**bits
    return scale, qmin - int(np.round(lo / scale))


def qparams_without_qmin(lo, hi, bits, signed):
    """Wrong: Z = −round(lo/S), which maps lo to level 0 instead of q_min."""
    _check_range(lo, hi)
    scale = (hi - lo) / (2**bits - 1)
    return scale, -int(np.round(lo / scale))


def qparams_floor(lo, hi, bits, signed):
    """Wrong: Z = q_min − floor(lo/S), truncating instead of rounding."""
    _check_range(lo, hi)
    qmin, _ = level_range(bits, signed)
    scale = (hi - lo) / (2**bits - 1)
    return scale, qmin - int(np.floor(lo / scale))


def qparams_half_up(lo, hi, bits, signed):
    """Wrong: rounds lo/S with floor(v + 1/2), so ties go up instead of to the even neighbour."""
    _check_range(lo, hi)
    qmin, _ = level_range(bits, signed)
    scale = (hi - lo) / (2**bits - 1)
    return scale, qmin - int(np.floor(lo / scale + 0.5))


def qparams_widened(lo, hi, bits, signed):
    """Wrong here: widens the range to include 0 and clamps Z, as PyTorch's MinMaxObserver does.

    torch/ao/quantization/observer.py takes S = (max(hi, 0) − min(lo, 0))/(q_max − q_min) and
    clamps Z into [q_min, q_max]. The lecture's convention keeps [lo, hi] and leaves Z as it is.
    """
    _check_range(lo, hi)
    qmin, qmax = level_range(bits, signed)
    low, high = min(lo, 0.0), max(hi, 0.0)
    scale = (high - low) / (2**bits - 1)
    return scale, int(np.clip(qmin - int(np.round(low / scale)), qmin, qmax))


# Quantize: a real value to its clamped integer level.


def _clamped_levels(x, scale, zero_point, qmin, qmax, rounding=np.round):
    """Return clamp(rounding(x/S) + Z, q_min, q_max) as an int64 array."""
    levels = rounding(np.asarray(x, dtype=np.float64) / scale) + zero_point
    return np.clip(levels, qmin, qmax).astype(np.int64)


def quantize(x, lo, hi, bits, signed):
    """Map each value of ``x`` to its integer level under the affine scheme for [lo, hi].

    Returns an int64 array with the shape of ``x``. Raises ValueError when hi <= lo.
    """
    scale, zero_point = qparams(lo, hi, bits, signed)
    return _clamped_levels(x, scale, zero_point, *level_range(bits, signed))


def quantize_levels_not_gaps(x, lo, hi, bits, signed):
    """Wrong: divides the range by 2^b levels instead of 2^b − 1 gaps."""
    scale, zero_point = qparams_levels_not_gaps(lo, hi, bits, signed)
    return _clamped_levels(x, scale, zero_point, *level_range(bits, signed))


def quantize_without_zero_point(x, lo, hi, bits, signed):
    """Wrong: never adds the zero point Z."""
    scale, _ = qparams(lo, hi, bits, signed)
    return _clamped_levels(x, scale, 0, *level_range(bits, signed))


def quantize_floor(x, lo, hi, bits, signed):
    """Wrong: truncates x/S with floor instead of rounding it."""
    scale, zero_point = qparams(lo, hi, bits, signed)
    return _clamped_levels(x, scale, zero_point, *level_range(bits, signed), rounding=np.floor)


def quantize_unsigned_range(x, lo, hi, bits, signed):
    """Wrong: uses the unsigned levels [0, 2^b − 1] even for a signed type."""
    scale, zero_point = qparams(lo, hi, bits, False)
    return _clamped_levels(x, scale, zero_point, *level_range(bits, False))


def quantize_half_up(x, lo, hi, bits, signed):
    """Wrong: rounds ties up, floor(v + 1/2), instead of to the even neighbour."""
    scale, zero_point = qparams_half_up(lo, hi, bits, signed)
    return _clamped_levels(x, scale, zero_point, *level_range(bits, signed),
                           rounding=lambda v: np.floor(v + 0.5))


# Dequantize: a level back to its real value.


def _check_scale(scale: float) -> None:
    if not scale > 0:
        raise ValueError(f"the scale {scale} is not positive, so S·(q - Z) does not describe a quantizer")


def dequantize(q, scale, zero_point):
    """Map each level of ``q`` back to its real value S·(q − Z).

    Returns a float64 array with the shape of ``q``. Raises ValueError when scale <= 0.
    """
    _check_scale(scale)
    return scale * (np.asarray(q, dtype=np.int64) - zero_point).astype(np.float64)


def dequantize_without_zero_point(q, scale, zero_point):
    """Wrong: returns S·q, never subtracting the zero point."""
    _check_scale(scale)
    return scale * np.asarray(q, dtype=np.float64)


def dequantize_adding_zero_point(q, scale, zero_point):
    """Wrong: adds the zero point, S·(q + Z)."""
    _check_scale(scale)
    return scale * (np.asarray(q, dtype=np.int64) + zero_point).astype(np.float64)


def dequantize_dividing_by_scale(q, scale, zero_point):
    """Wrong: divides by the scale, (q − Z)/S, as if inverting x/S a second time."""
    _check_scale(scale)
    return (np.asarray(q, dtype=np.int64) - zero_point).astype(np.float64) / scale
