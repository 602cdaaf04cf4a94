"""Reference implementation of the affine quantizer that students write, in NumPy floats.

The convention is the lecture's, as in :mod:`effquiz.core.quant` (Jacob et al. 2018, §2.1):
S = (hi − lo)/(2^b − 1), Z = q_min − round(lo/S) and q = clamp(round(x/S) + Z, q_min, q_max),
with ties rounded to even (``numpy.round``). ``tests/solutions`` checks that this float
version agrees with the exact core.

The functions after :func:`quantize` are known wrong implementations with the same
signature. Function parts name them as misconceptions: an answer whose outputs equal one
of them on every probe gets that misconception's feedback.
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


def quantize(x, lo, hi, bits, signed):
    """Map each value of ``x`` to its integer level under the affine scheme for [lo, hi].

    Returns an int64 array with the shape of ``x``. Raises ValueError when hi <= lo.
    """
    _check_range(lo, hi)
    qmin, qmax = level_range(bits, signed)
    scale = (hi - lo) / (2**bits - 1)
    zero_point = qmin - np.round(lo / scale)
    levels = np.round(np.asarray(x, dtype=np.float64) / scale) + zero_point
    return np.clip(levels, qmin, qmax).astype(np.int64)


def quantize_levels_not_gaps(x, lo, hi, bits, signed):
    """Wrong: divides the range by 2^b levels instead of 2^b − 1 gaps."""
    _check_range(lo, hi)
    qmin, qmax = level_range(bits, signed)
    scale = (hi - lo) / 2**bits
    zero_point = qmin - np.round(lo / scale)
    levels = np.round(np.asarray(x, dtype=np.float64) / scale) + zero_point
    return np.clip(levels, qmin, qmax).astype(np.int64)


def quantize_without_zero_point(x, lo, hi, bits, signed):
    """Wrong: never adds the zero point Z."""
    _check_range(lo, hi)
    qmin, qmax = level_range(bits, signed)
    scale = (hi - lo) / (2**bits - 1)
    levels = np.round(np.asarray(x, dtype=np.float64) / scale)
    return np.clip(levels, qmin, qmax).astype(np.int64)


def quantize_floor(x, lo, hi, bits, signed):
    """Wrong: truncates x/S with floor instead of rounding it."""
    _check_range(lo, hi)
    qmin, qmax = level_range(bits, signed)
    scale = (hi - lo) / (2**bits - 1)
    zero_point = qmin - np.round(lo / scale)
    levels = np.floor(np.asarray(x, dtype=np.float64) / scale) + zero_point
    return np.clip(levels, qmin, qmax).astype(np.int64)


def quantize_unsigned_range(x, lo, hi, bits, signed):
    """Wrong: uses the unsigned levels [0, 2^b − 1] even for a signed type."""
    _check_range(lo, hi)
    qmin, qmax = level_range(bits, False)
    scale = (hi - lo) / (2**bits - 1)
    zero_point = qmin - np.round(lo / scale)
    levels = np.round(np.asarray(x, dtype=np.float64) / scale) + zero_point
    return np.clip(levels, qmin, qmax).astype(np.int64)


def quantize_half_up(x, lo, hi, bits, signed):
    """Wrong: rounds ties up, floor(v + 1/2), instead of to the even neighbour."""
    _check_range(lo, hi)
    qmin, qmax = level_range(bits, signed)
    scale = (hi - lo) / (2**bits - 1)
    zero_point = qmin - np.floor(lo / scale + 0.5)
    levels = np.floor(np.asarray(x, dtype=np.float64) / scale + 0.5) + zero_point
    return np.clip(levels, qmin, qmax).astype(np.int64)
