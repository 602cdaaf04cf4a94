"""Reference implementation of an int8 matrix multiplication with zero points, in NumPy.

Every tensor uses r = S·(q − Z). Jacob et al. 2018 ("Quantization and Training of Neural
Networks for Efficient Integer-Arithmetic-Only Inference", section 2.2, Eq. 4) write one
output entry as q3 = Z3 + M·Σ_j (q1[i, j] − Z1)(q2[j, k] − Z2) with M = S1·S2/S3, and their
kernels accumulate the sum in int32. ONNX QLinearMatMul (opset 21) states the same
contract: the products must not overflow, the accumulation may overflow only in 32 bits,
and y = saturate(round(x/y_scale) + y_zero_point), rounding to nearest with ties to even.

Here all three tensors are int8, with levels [−128, 127]:

    acc = (a_q − Z_a) @ (b_q − Z_b)                      in int32
    out = clamp(round(M·acc) + Z_out, −128, 127)         M = S_a·S_b/S_out

The multiplier M is a float here; integer kernels store it as a fixed-point number.
``tests/solutions`` checks this function against the exact core
(:func:`effquiz.core.tensors.integer_dot` and :func:`~effquiz.core.tensors.requantize`).

After :func:`int8_matmul` come known wrong implementations with the same signature, which
function parts name as misconceptions.
"""

from __future__ import annotations

import numpy as np

INT8_MIN, INT8_MAX = -128, 127


def _accumulate(a_q, a_zero, b_q, b_zero):
    """Return Σ_j (a[i, j] − Z_a)(b[j, k] − Z_b) in int32, as the kernels of Jacob et al. 2018 do."""
    a = np.asarray(a_q).astype(np.int32) - np.int32(a_zero)
    b = np.asarray(b_q).astype(np.int32) - np.int32(b_zero)
    return a @ b


def _saturate(levels):
    return np.clip(levels, INT8_MIN, INT8_MAX).astype(np.int8)


def int8_matmul(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    """Multiply two int8 matrices with zero points and requantize the result to int8 levels.

    ``a_q`` has shape (M, K) and ``b_q`` shape (K, N). Returns an int8 array of shape (M, N).
    """
    accumulator = _accumulate(a_q, a_zero, b_q, b_zero)
    multiplier = a_scale * b_scale / out_scale
    return _saturate(np.round(multiplier * accumulator) + out_zero)


def int8_matmul_int8_accumulator(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    """Wrong: subtracts the zero points, multiplies and accumulates in int8, which wraps around.

    This is what ``(a_q - a_zero) @ (b_q - b_zero)`` computes on int8 arrays. Every int8
    operation keeps its result modulo 256, so the accumulator is the int32 one taken
    modulo 256 into [−128, 127].
    """
    accumulator = (_accumulate(a_q, a_zero, b_q, b_zero) + 128) % 256 - 128
    multiplier = a_scale * b_scale / out_scale
    return _saturate(np.round(multiplier * accumulator) + out_zero)


def int8_matmul_without_zero_points(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    """Wrong: multiplies the stored levels, never subtracting Z_a and Z_b."""
    accumulator = _accumulate(a_q, 0, b_q, 0)
    multiplier = a_scale * b_scale / out_scale
    return _saturate(np.round(multiplier * accumulator) + out_zero)


def int8_matmul_truncated(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    """Wrong: requantizes without rounding, truncating M·acc toward zero as ``astype(int)`` does."""
    accumulator = _accumulate(a_q, a_zero, b_q, b_zero)
    multiplier = a_scale * b_scale / out_scale
    return _saturate(np.trunc(multiplier * accumulator) + out_zero)


def int8_matmul_zero_point_before_rounding(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    """Wrong: rounds M·acc + Z_out, which differs from round(M·acc) + Z_out at a tie when Z_out is odd."""
    accumulator = _accumulate(a_q, a_zero, b_q, b_zero)
    multiplier = a_scale * b_scale / out_scale
    return _saturate(np.round(multiplier * accumulator + out_zero))


def int8_matmul_without_output_zero_point(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    """Wrong: never adds the output zero point Z_out."""
    accumulator = _accumulate(a_q, a_zero, b_q, b_zero)
    multiplier = a_scale * b_scale / out_scale
    return _saturate(np.round(multiplier * accumulator))


def int8_matmul_wrapped_output(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    """Wrong: casts the output levels to int8 without clamping, so they wrap around modulo 256."""
    accumulator = _accumulate(a_q, a_zero, b_q, b_zero)
    multiplier = a_scale * b_scale / out_scale
    levels = np.round(multiplier * accumulator).astype(np.int64) + out_zero
    return levels.astype(np.int8)
