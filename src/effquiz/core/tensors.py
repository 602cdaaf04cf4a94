"""Quantized vectors, integer dot products with zero points, and model memory.

The element-wise rules are those of :mod:`effquiz.core.quant`. The integer dot product and
the requantization step follow Jacob et al. 2018, "Quantization and Training of Neural
Networks for Efficient Integer-Arithmetic-Only Inference" (CVPR; arXiv:1712.05877),
sections 2.2 and 2.3: with r = S·(q − Z) for both inputs, a dot product is
S1·S2·Σ (q1 − Z1)(q2 − Z2). The sum is accumulated in integers (int32 in their kernels),
and the result is mapped to the output's levels with the multiplier M = S1·S2/S3 and the
output zero point Z3.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from effquiz.core.exact import Exact, check_integer, round_half_even, to_exact
from effquiz.core.quant import dequantize, level_range, quantize
from effquiz.errors import CoreError

__all__ = [
    "dequantize_vector",
    "integer_dot",
    "max_roundtrip_error",
    "model_memory_bytes",
    "quantize_vector",
    "requantize",
    "roundtrip_vector",
]


def _non_empty(values: Sequence[object], name: str) -> Sequence[object]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise CoreError(f"{name} = {values!r} is not a sequence.", fix=f"pass {name} as a list or tuple.")
    if not values:
        raise CoreError(f"{name} is empty.", fix=f"pass at least one entry in {name}.")
    return values


# Vectors, element by element.


def quantize_vector(values: Sequence[Exact], scale: Exact, zero_point: int, bits: int, signed: bool) -> tuple[int, ...]:
    """Quantize each entry with :func:`effquiz.core.quant.quantize`.

    >>> quantize_vector(["0.1", "-0.2"], scale="0.1", zero_point=0, bits=8, signed=True)
    (1, -2)
    """
    return tuple(quantize(value, scale, zero_point, bits, signed) for value in _non_empty(values, "values"))


def dequantize_vector(levels: Sequence[int], scale: Exact, zero_point: int) -> tuple[Fraction, ...]:
    """Dequantize each level with :func:`effquiz.core.quant.dequantize`: S·(q − Z).

    >>> dequantize_vector([1, -2], scale="0.1", zero_point=0)
    (Fraction(1, 10), Fraction(-1, 5))
    """
    return tuple(dequantize(level, scale, zero_point) for level in _non_empty(levels, "levels"))


def roundtrip_vector(values: Sequence[Exact], scale: Exact, zero_point: int, bits: int,
                     signed: bool) -> tuple[Fraction, ...]:
    """Quantize each entry and dequantize it back: S·(quantize(x) − Z).

    >>> roundtrip_vector(["0.14", "-0.26"], scale="0.1", zero_point=0, bits=8, signed=True)
    (Fraction(1, 10), Fraction(-3, 10))
    """
    return dequantize_vector(quantize_vector(values, scale, zero_point, bits, signed), scale, zero_point)


def max_roundtrip_error(values: Sequence[Exact], scale: Exact, zero_point: int, bits: int, signed: bool) -> Fraction:
    """Compute max |x − x̂| over ``values``, where x̂ is the round trip of x.

    Inside the range each error is at most S/2, because rounding moves x/S by at most 1/2.
    A clamped value can be further away.

    >>> max_roundtrip_error(["0.14", "-0.26"], scale="0.1", zero_point=0, bits=8, signed=True)
    Fraction(1, 25)
    """
    restored = roundtrip_vector(values, scale, zero_point, bits, signed)
    return max(abs(to_exact(value) - back) for value, back in zip(values, restored))


# Integer matrix multiplication with zero points.


def integer_dot(a_levels: Sequence[int], a_zero_point: int, b_levels: Sequence[int], b_zero_point: int) -> int:
    """Accumulate Σ (a_i − Z_a)(b_i − Z_b) in integers, the core of a quantized matmul.

    Jacob et al. 2018 (section 2.3) expand this into
    N·Z_a·Z_b − Z_a·Σ b_i − Z_b·Σ a_i + Σ a_i·b_i, which has the same value. Raises CoreError for vectors of different lengths or
    entries that are not integers.

    >>> integer_dot([130, 120], 128, [3, -5], 0)
    46
    """
    left = [check_integer(level, f"a_levels[{i}]") for i, level in enumerate(_non_empty(a_levels, "a_levels"))]
    right = [check_integer(level, f"b_levels[{i}]") for i, level in enumerate(_non_empty(b_levels, "b_levels"))]
    if len(left) != len(right):
        raise CoreError(
            f"a_levels has {len(left)} entries but b_levels has {len(right)}, so their dot product is undefined.",
            fix="pass two vectors of the same length.",
        )
    offset_a = check_integer(a_zero_point, "a_zero_point")
    offset_b = check_integer(b_zero_point, "b_zero_point")
    return sum((a - offset_a) * (b - offset_b) for a, b in zip(left, right))


def requantize(accumulator: int, multiplier: Exact, zero_point: int, bits: int, signed: bool) -> int:
    """Map an integer accumulator to an output level: clamp(round(M·acc) + Z3, qmin, qmax).

    M = S1·S2/S3 is the real multiplier of Jacob et al. 2018 (section 2.2), and rounding is
    half to even, before Z3 is added, as in :func:`effquiz.core.quant.quantize`. Integer kernels
    store M as a fixed-point number; this function uses M exactly. Raises CoreError when M <= 0.

    >>> requantize(46, multiplier="0.25", zero_point=10, bits=8, signed=False)
    22
    """
    total = check_integer(accumulator, "accumulator")
    factor = to_exact(multiplier)
    if factor <= 0:
        raise CoreError(
            f"multiplier M = {factor} is not positive, but it is a ratio of scales S1·S2/S3.",
            fix="pass M > 0.",
        )
    offset = check_integer(zero_point, "zero_point")
    qmin, qmax = level_range(bits, signed)
    return max(qmin, min(qmax, round_half_even(factor * total) + offset))


# Storage.


def model_memory_bytes(parameters: Exact, bits: int, group_size: int = 0, scale_bits: int = 16) -> Fraction:
    """Compute the bytes that ``parameters`` weights take at ``bits`` bits each.

    The weights take N·b/8 bytes. With ``group_size`` g > 0, every group of g weights also
    stores one scale of ``scale_bits`` bits, which adds ceil(N/g)·scale_bits/8 bytes.
    Activations, the KV cache and zero points are not counted. Divide by 10^9 for GB or by
    2^30 for GiB.

    >>> model_memory_bytes(7 * 10**9, 4), model_memory_bytes(1024, 4, group_size=128)
    (Fraction(3500000000, 1), Fraction(528, 1))
    """
    count = to_exact(parameters)
    if count <= 0 or count.denominator != 1:
        raise CoreError(
            f"parameters = {count} is not a positive whole number.",
            fix="pass the number of weights, such as 7e9 written as 7000000000.",
        )
    width = check_integer(bits, "bits")
    group = check_integer(group_size, "group_size")
    overhead_bits = check_integer(scale_bits, "scale_bits")
    if width < 1 or group < 0 or overhead_bits < 0:
        raise CoreError(
            f"bits = {width}, group_size = {group} or scale_bits = {overhead_bits} is out of range.",
            fix="pass bits >= 1, group_size >= 0 (0 for no per-group scales) and scale_bits >= 0.",
        )
    total_bits = count * width
    if group:
        total_bits += -(-count.numerator // group) * overhead_bits
    return total_bits / 8
