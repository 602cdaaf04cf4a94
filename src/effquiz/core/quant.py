"""Affine integer quantization in exact arithmetic, in the convention of the lecture.

A real value r and its integer level q are related by r = S·(q − Z), the affine scheme of
Jacob et al. 2018, "Quantization and Training of Neural Networks for Efficient
Integer-Arithmetic-Only Inference" (CVPR), §2.1. For b bits and a range [lo, hi]:

- levels: [qmin, qmax] = [−2^(b−1), 2^(b−1) − 1] if signed, else [0, 2^b − 1].
- scale: S = (hi − lo)/(2^b − 1), so the range is split into 2^b − 1 gaps (not 2^b).
- zero point: Z = qmin − round(lo/S), not clamped to [qmin, qmax].
- quantize: q = clamp(round(x/S) + Z, qmin, qmax), rounding x/S before Z is added.
- dequantize: S·(q − Z).

Every round() here is half to even (:func:`~effquiz.core.exact.round_half_even`), as in
``torch.fake_quantize_per_tensor_affine`` and ONNX QuantizeLinear. Jacob et al. specify
only "round to nearest", with no tie rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from effquiz.core.exact import Exact, check_integer, round_half_even, to_exact
from effquiz.errors import CoreError, DegenerateRangeError

__all__ = [
    "LevelInterval",
    "QuantParams",
    "dequantize",
    "level_interval",
    "level_range",
    "lower_edge",
    "qparams",
    "quantize",
    "scale",
    "upper_edge",
    "zero_point",
]

_HALF = Fraction(1, 2)
_MAX_BITS = 32


# Input checks shared by the public functions.


def _check_bits(bits: object) -> int:
    value = check_integer(bits, "bits")
    if not 1 <= value <= _MAX_BITS:
        raise CoreError(
            f"bits = {value} is outside the supported range 1..{_MAX_BITS}.",
            fix=f"choose a bit width from 1 to {_MAX_BITS}.",
        )
    return value


def _check_signed(signed: object) -> bool:
    if not isinstance(signed, bool):
        raise CoreError(
            f"signed = {signed!r} is not a bool.",
            fix="pass signed=True for levels [-2^(b-1), 2^(b-1) - 1] or signed=False for [0, 2^b - 1].",
        )
    return signed


def _check_scale(scale: Exact) -> Fraction:
    value = to_exact(scale)
    if value <= 0:
        raise DegenerateRangeError(
            f"scale S = {value} is not positive, so x/S and S·(q - Z) do not describe a quantizer.",
            fix="pass a scale S > 0, such as (hi - lo)/(2^b - 1) for a range with hi > lo.",
        )
    return value


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


# Range, scale and zero point.


def level_range(bits: int, signed: bool) -> tuple[int, int]:
    """Return the integer levels (qmin, qmax) of a b-bit type.

    Signed (two's complement): [−2^(b−1), 2^(b−1) − 1]. Unsigned: [0, 2^b − 1]. ``bits`` must
    be an int from 1 to 32 and ``signed`` a bool, else CoreError.

    >>> level_range(8, True), level_range(8, False), level_range(4, False)
    ((-128, 127), (0, 255), (0, 15))
    """
    width = _check_bits(bits)
    if _check_signed(signed):
        return -(2 ** (width - 1)), 2 ** (width - 1) - 1
    return 0, 2**width - 1


def scale(lo: Exact, hi: Exact, bits: int) -> Fraction:
    """Compute the scale S = (hi − lo)/(2^b − 1) of the range [lo, hi].

    The range is split into 2^b − 1 equal gaps between 2^b levels, so S is the real step
    between neighbouring levels. Raises DegenerateRangeError when hi <= lo, because S would
    then be 0 or negative.

    >>> scale(0, 4, 8)
    Fraction(4, 255)
    """
    width = _check_bits(bits)
    low = to_exact(lo)
    high = to_exact(hi)
    if high == low:
        raise DegenerateRangeError(
            f"range [{low}, {high}] is empty, so the scale (hi - lo)/(2^b - 1) would be 0.",
            fix="choose hi > lo.",
        )
    if high < low:
        raise DegenerateRangeError(
            f"range [{low}, {high}] is inverted, so the scale (hi - lo)/(2^b - 1) would be negative.",
            fix="swap lo and hi so that hi > lo.",
        )
    return (high - low) / (2**width - 1)


def zero_point(lo: Exact, hi: Exact, bits: int, signed: bool) -> int:
    """Compute the zero point Z = qmin − round(lo/S), rounding half to even, with S from :func:`scale`.

    Z is the level that the real value 0 maps to before clamping, and lo maps exactly to
    qmin. Z is not clamped: when 0 lies outside [lo, hi], Z falls outside
    [qmin, qmax]. For example [1, 3] unsigned 8-bit gives S = 2/255 and
    Z = 0 − round(127.5) = −128.

    Frameworks differ here. PyTorch's MinMaxObserver (torch/ao/quantization/observer.py) and
    ONNX DynamicQuantizeLinear first widen the range to [min(lo, 0), max(hi, 0)], so that
    0.0 is exact, and then clamp (PyTorch) or saturate (ONNX) Z into [qmin, qmax]. For
    [1, 3] and uint8 they use S = 3/255 and Z = 0. This function does not widen the range.

    >>> zero_point(0, 4, 8, True), zero_point(-1, 1, 8, False), zero_point(1, 3, 8, False)
    (-128, 128, -128)
    """
    qmin, _ = level_range(bits, signed)
    step = scale(lo, hi, bits)
    return qmin - round_half_even(to_exact(lo) / step)


@dataclass(frozen=True)
class QuantParams:
    """Scale, zero point and integer type of an affine quantizer, with r = S·(q − Z).

    The constructor converts ``scale`` with :func:`~effquiz.core.exact.to_exact` and raises
    CoreError for a scale <= 0, a non-integer zero point or an unsupported bit width.
    ``zero_point`` may lie outside [qmin, qmax], as :func:`zero_point` explains.
    """

    scale: Fraction
    zero_point: int
    bits: int
    signed: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", _check_scale(self.scale))
        object.__setattr__(self, "zero_point", check_integer(self.zero_point, "zero_point"))
        object.__setattr__(self, "bits", _check_bits(self.bits))
        object.__setattr__(self, "signed", _check_signed(self.signed))

    @property
    def qmin(self) -> int:
        """Lowest integer level of the type."""
        return level_range(self.bits, self.signed)[0]

    @property
    def qmax(self) -> int:
        """Highest integer level of the type."""
        return level_range(self.bits, self.signed)[1]


def qparams(lo: Exact, hi: Exact, bits: int, signed: bool) -> QuantParams:
    """Compute the quantizer of the range [lo, hi] with :func:`scale` and :func:`zero_point`.

    >>> qparams(0, 4, 8, True)
    QuantParams(scale=Fraction(4, 255), zero_point=-128, bits=8, signed=True)
    """
    return QuantParams(
        scale=scale(lo, hi, bits),
        zero_point=zero_point(lo, hi, bits, signed),
        bits=bits,
        signed=signed,
    )


# Quantize and dequantize.


def quantize(x: Exact, scale: Exact, zero_point: int, bits: int, signed: bool) -> int:
    """Map a real value to its level: q = clamp(round(x/S) + Z, qmin, qmax).

    round() is half to even and acts on x/S before Z is added, as in
    ``torch.fake_quantize_per_tensor_affine`` and ONNX QuantizeLinear. The order matters at
    ties: with S = 1/2, Z = 1 and x = 1/4, round(1/2) + 1 = 1, whereas round(1/2 + 1) = 2
    (``torch.quantize_per_tensor`` on x86 adds Z first). Values outside the range saturate to
    qmin or qmax. Raises DegenerateRangeError when S <= 0.

    >>> quantize("3.1416", scale="4/255", zero_point=-128, bits=8, signed=True)
    72
    >>> quantize(2, scale="1/15", zero_point=0, bits=4, signed=False)
    15
    """
    step = _check_scale(scale)
    offset = check_integer(zero_point, "zero_point")
    qmin, qmax = level_range(bits, signed)
    return _clamp(round_half_even(to_exact(x) / step) + offset, qmin, qmax)


def dequantize(q: int, scale: Exact, zero_point: int) -> Fraction:
    """Map a level back to its real value S·(q − Z) (Jacob et al. 2018, Eq. 1).

    ``q`` is not checked against a level range, because this function has no bit width.
    Raises DegenerateRangeError when S <= 0 and CoreError when q or Z is not an integer.

    >>> dequantize(72, scale="4/255", zero_point=-128)
    Fraction(160, 51)
    """
    level = check_integer(q, "q")
    step = _check_scale(scale)
    offset = check_integer(zero_point, "zero_point")
    return step * (level - offset)


# Bins: the set of reals that quantize maps to one level.


@dataclass(frozen=True)
class LevelInterval:
    """Interval of reals that :func:`quantize` maps to ``level``.

    A bound of None means the interval is unbounded on that side, and its ``*_closed`` flag is
    then False. The end levels qmin and qmax absorb everything below and above the range.
    """

    level: int
    lower: Fraction | None
    upper: Fraction | None
    lower_closed: bool
    upper_closed: bool

    def __post_init__(self) -> None:
        if (self.lower is None and self.lower_closed) or (self.upper is None and self.upper_closed):
            raise CoreError(
                f"interval of level {self.level} marks an unbounded end as closed.",
                fix="set lower_closed or upper_closed to False where the bound is None.",
            )

    def contains(self, x: Exact) -> bool:
        """Return whether ``x`` lies in the interval, with each end open or closed as flagged."""
        value = to_exact(x)
        if self.lower is not None:
            if value < self.lower or (value == self.lower and not self.lower_closed):
                return False
        if self.upper is not None:
            if value > self.upper or (value == self.upper and not self.upper_closed):
                return False
        return True

    def __str__(self) -> str:
        """Format the interval in interval notation, such as ``(-inf, 2/255]``."""
        if self.lower is None:
            left = "(-inf"
        elif self.lower_closed:
            left = f"[{self.lower}"
        else:
            left = f"({self.lower}"

        if self.upper is None:
            right = "+inf)"
        elif self.upper_closed:
            right = f"{self.upper}]"
        else:
            right = f"{self.upper})"
        return f"{left}, {right}"


def level_interval(level: int, scale: Exact, zero_point: int, bits: int, signed: bool) -> LevelInterval:
    """Compute the interval of reals that :func:`quantize` maps to ``level``.

    Let k = level − Z. An interior level (qmin < level < qmax) takes exactly the x with
    x/S in [k − 1/2, k + 1/2]. Each end is a tie that half-to-even rounding sends to the even
    neighbour, so both ends are closed when k is even and both are open when k is odd.
    Because of clamping, qmin takes every x with x/S <= k + 1/2 (no lower bound), and qmax
    every x with x/S >= k − 1/2 (no upper bound).

    Every level in [qmin, qmax] has a non-empty interval, even when Z lies outside
    [qmin, qmax], because x ranges over all reals. The values inside the [lo, hi] that
    produced Z may still miss some levels. Raises CoreError for a level outside [qmin, qmax].

    >>> str(level_interval(72, scale="4/255", zero_point=-128, bits=8, signed=True))
    '[266/85, 802/255]'
    """
    target = check_integer(level, "level")
    step = _check_scale(scale)
    offset = check_integer(zero_point, "zero_point")
    qmin, qmax = level_range(bits, signed)
    if not qmin <= target <= qmax:
        raise CoreError(
            f"level {target} is outside the level range [{qmin}, {qmax}] of this "
            f"{bits}-bit {'signed' if signed else 'unsigned'} type, so no value maps to it.",
            fix=f"choose a level from {qmin} to {qmax}.",
        )

    k = target - offset
    ends_closed = k % 2 == 0
    lower = None if target == qmin else step * (k - _HALF)
    upper = None if target == qmax else step * (k + _HALF)
    return LevelInterval(
        level=target,
        lower=lower,
        upper=upper,
        lower_closed=lower is not None and ends_closed,
        upper_closed=upper is not None and ends_closed,
    )


def _bin_of(value: Exact, lo: Exact, hi: Exact, bits: int, signed: bool) -> tuple[LevelInterval, QuantParams]:
    params = qparams(lo, hi, bits, signed)
    level = quantize(value, params.scale, params.zero_point, bits, signed)
    return level_interval(level, params.scale, params.zero_point, bits, signed), params


def lower_edge(value: Exact, lo: Exact, hi: Exact, bits: int, signed: bool) -> Fraction:
    """Compute the lower edge of the bin that ``value`` falls in under ``qparams(lo, hi, bits, signed)``.

    The lower edge is the boundary with the next smaller level: the supremum of the values
    that map to a smaller level, S·(k − 1/2) for k = level − Z. It belongs to the bin when k
    is even (see :func:`level_interval`). Raises CoreError when ``value`` maps to qmin,
    because that bin has no lower edge.

    >>> lower_edge("3.1416", 0, 4, 8, True)
    Fraction(266, 85)
    """
    interval, params = _bin_of(value, lo, hi, bits, signed)
    if interval.lower is None:
        raise CoreError(
            f"value {to_exact(value)} maps to qmin = {params.qmin}, which also takes every "
            "smaller value, so its bin has no lower edge.",
            fix="choose a value that maps above qmin.",
        )
    return interval.lower


def upper_edge(value: Exact, lo: Exact, hi: Exact, bits: int, signed: bool) -> Fraction:
    """Compute the upper edge of the bin that ``value`` falls in under ``qparams(lo, hi, bits, signed)``.

    The upper edge is the boundary with the next larger level: the infimum of the values that
    map to a larger level, S·(k + 1/2) for k = level − Z. It belongs to the bin when k is even
    (see :func:`level_interval`). Raises CoreError when ``value`` maps to qmax, because that
    bin has no upper edge.

    >>> upper_edge("3.1416", 0, 4, 8, True)
    Fraction(802, 255)
    """
    interval, params = _bin_of(value, lo, hi, bits, signed)
    if interval.upper is None:
        raise CoreError(
            f"value {to_exact(value)} maps to qmax = {params.qmax}, which also takes every "
            "larger value, so its bin has no upper edge.",
            fix="choose a value that maps below qmax.",
        )
    return interval.upper
