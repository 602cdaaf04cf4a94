"""Starter code for the quantization function parts."""

import numpy as np


def quantize(x, lo, hi, bits, signed):
    """Map each value of x to its integer level under the affine scheme for [lo, hi].

    Use the lecture's scheme: S = (hi - lo)/(2^bits - 1), Z = q_min - round(lo/S) and
    q = clamp(round(x/S) + Z, q_min, q_max), where round breaks ties to the even integer
    (as np.round does). The levels are [-2^(bits-1), 2^(bits-1) - 1] when signed is True
    and [0, 2^bits - 1] otherwise. Raise ValueError when hi <= lo.

    x is a 1-D NumPy array of floats, lo and hi are floats, bits is an int and signed a
    bool. Return a NumPy array of integers with the shape of x.
    """
    ...


def dequantize(q, scale, zero_point):
    """Map each integer level of q back to the real value it represents.

    Use the affine relation r = S·(q - Z) of Jacob et al. 2018, with S = scale and
    Z = zero_point. Raise ValueError when scale <= 0.

    q is a 1-D NumPy array of int64 levels, scale is a float and zero_point an int.
    Return a NumPy array of floats with the shape of q.
    """
    ...


def qparams(lo, hi, bits, signed):
    """Return the scale and zero point of the range [lo, hi] as a tuple (scale, zero_point).

    Use the lecture's scheme: S = (hi - lo)/(2^bits - 1) and Z = q_min - round(lo/S), where
    round breaks ties to the even integer (as np.round does) and q_min is -2^(bits-1) when
    signed is True and 0 otherwise. Do not widen the range to include 0, and do not clamp Z:
    when 0 lies outside [lo, hi], Z lies outside the levels. Raise ValueError when hi <= lo.

    lo and hi are floats, bits is an int and signed a bool. Return scale as a float and
    zero_point as a whole number.
    """
    ...
