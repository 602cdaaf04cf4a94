"""Exact rational numbers and the half-to-even rounding rule used by the reference core.

Every formula of :mod:`effquiz.core` works on :class:`fractions.Fraction`, so an answer
never depends on float rounding. Floats are accepted only at the edges, through
:func:`to_exact`, which reads a float through its shortest repr (``Fraction(repr(x))``).
"""

from __future__ import annotations

import decimal
import math
import numbers
from fractions import Fraction

from effquiz.errors import CoreError

__all__ = ["Exact", "check_integer", "round_half_even", "tie_distance", "to_exact"]

#: The input types that :func:`to_exact` accepts.
Exact = int | Fraction | decimal.Decimal | str | float

_HALF = Fraction(1, 2)


def to_exact(x: Exact) -> Fraction:
    """Convert a number to an exact :class:`~fractions.Fraction`.

    Accepted inputs:

    - ``int`` (and other integers such as ``numpy.int64``) and ``Fraction``: taken as they are.
    - ``decimal.Decimal``: converted exactly.
    - ``str``: a decimal or a ratio as :class:`~fractions.Fraction` parses it, such as
      ``"3.1416"``, ``"4/255"`` or ``"1e-3"``.
    - ``float``: converted through its shortest repr, ``Fraction(repr(x))``. So ``0.1`` becomes
      exactly 1/10 and ``math.pi`` becomes 3141592653589793/10**15, not the binary value
      of the double.

    Raises CoreError for ``bool`` (a flag passed by mistake), NaN, infinities, strings
    that are not numbers, and every other type.

    >>> to_exact(0.1)
    Fraction(1, 10)
    >>> to_exact("4/255")
    Fraction(4, 255)
    """
    if isinstance(x, bool):
        raise CoreError(
            f"{x!r} is a bool, not a number.",
            fix="pass an int, Fraction, Decimal, float or numeric string.",
        )
    if isinstance(x, Fraction):
        return x
    if isinstance(x, numbers.Integral):
        return Fraction(int(x))
    if isinstance(x, float):
        if not math.isfinite(x):
            raise CoreError(
                f"{x!r} is not a finite number, so it has no exact value.",
                fix="pass a finite number.",
            )
        return Fraction(repr(x))
    if isinstance(x, decimal.Decimal):
        if not x.is_finite():
            raise CoreError(
                f"Decimal {x!r} is not a finite number, so it has no exact value.",
                fix="pass a finite number.",
            )
        return Fraction(x)
    if isinstance(x, str):
        try:
            return Fraction(x)
        except (ValueError, ZeroDivisionError) as error:
            raise CoreError(
                f"string {x!r} is not a finite decimal or ratio ({error}).",
                fix='write it like "3.1416", "-2", "1e-3" or "4/255".',
            ) from None
    raise CoreError(
        f"{x!r} has type {type(x).__name__}, which is not an exact number type.",
        fix="pass an int, Fraction, Decimal, float or numeric string. Convert other "
        "float types (such as numpy.float32) with float() first.",
    )


def check_integer(value: object, name: str) -> int:
    """Return ``value`` as an int, or raise CoreError naming ``name`` if it is a bool or not an integer.

    Integer types other than int, such as ``numpy.int64``, are accepted and converted.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise CoreError(
            f"{name} = {value!r} is not an integer.",
            fix=f"pass {name} as an int.",
        )
    return int(value)


def round_half_even(x: Exact) -> int:
    """Round ``x`` exactly to the nearest integer, and a tie k + 1/2 to the even neighbour.

    This is the rule of Python's ``round``, ``numpy.round`` and ONNX QuantizeLinear. The
    input goes through :func:`to_exact` first, so ``round_half_even(2.675)`` rounds exactly
    2675/1000 and returns 3.

    >>> [round_half_even(v) for v in ("0.5", "1.5", "2.5", "-0.5", "-2.5", "2.51")]
    [0, 2, 2, 0, -2, 3]
    """
    value = to_exact(x)
    floor = math.floor(value)
    remainder = value - floor
    if remainder < _HALF:
        return floor
    if remainder > _HALF:
        return floor + 1
    return floor if floor % 2 == 0 else floor + 1


def tie_distance(x: Exact) -> Fraction:
    """Return the distance from ``x`` to the nearest rounding tie k + 1/2, for an integer k.

    The result is |frac(x) − 1/2|, where frac(x) = x − floor(x), and lies in [0, 1/2]: 0 means
    ``x`` is exactly a tie and 1/2 means ``x`` is an integer. Problem generators use it to keep
    randomized values away from ties, where rounding rules disagree.

    >>> tie_distance("2.5"), tie_distance(3), tie_distance("-0.4")
    (Fraction(0, 1), Fraction(1, 2), Fraction(1, 10))
    """
    value = to_exact(x)
    return abs(value - math.floor(value) - _HALF)
