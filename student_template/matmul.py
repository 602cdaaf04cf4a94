"""Starter code for the integer matrix multiplication function parts."""

import numpy as np


def int8_matmul(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    """Multiply two int8 matrices with zero points and return the int8 levels of the product.

    Every tensor uses r = S·(q - Z). a_q (shape (M, K)) and b_q (shape (K, N)) are NumPy
    arrays of dtype int8. The scales are floats and the zero points ints in [-128, 127].

    1. Accumulate acc = (a_q - a_zero) @ (b_q - b_zero) in int32, as the kernels of
       Jacob et al. 2018 and ONNX QLinearMatMul do.
    2. Requantize with M = a_scale * b_scale / out_scale:
       out = clamp(round(M * acc) + out_zero, -128, 127), where round breaks ties to the
       even integer (as np.round does) and out_zero is added after rounding.

    Return a NumPy array of integers with shape (M, N).
    """
    ...
