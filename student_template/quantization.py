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
