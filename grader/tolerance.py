"""Tolerance models: when a submitted number counts as equal to the reference.

Every comparison is exact, on :class:`fractions.Fraction` values. The models:

- absolute and relative: accept x when |x − r| <= max(abs, rel·|r|);
- significant figures, the textbook rule: round both x and r to N significant figures,
  half away from zero, and accept x when the two rounded values are equal. The accepted
  values form one interval, which the feedback states;
- exact: accept only x == r (whole numbers, choices).

The phrases returned here describe what is accepted without the reference value, except
for the significant-figure interval, which the feedback states on purpose.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from effquiz.templates.schema import Tolerance

_HALF = Fraction(1, 2)
_SMALLEST_PERCENT = Fraction(1, 10**6)
"""The smallest relative tolerance printed as a percent (0.0001%). Smaller ones print as plain numbers such as 1e-9."""


def decimal_exponent(value: Fraction) -> int:
    """Return e with 10^e <= |value| < 10^(e+1), computed exactly; ``value`` must not be 0."""
    magnitude = abs(value)
    exponent = math.floor(math.log10(magnitude.numerator) - math.log10(magnitude.denominator))
    # The float estimate can be off by one next to a power of ten, so correct it exactly.
    while Fraction(10) ** exponent > magnitude:
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= magnitude:
        exponent += 1
    return exponent


def round_half_away(value: Fraction) -> int:
    """Round to the nearest integer, a tie k + 1/2 away from zero (2.5 → 3, −2.5 → −3)."""
    rounded = math.floor(abs(value) + _HALF)
    return rounded if value >= 0 else -rounded


def round_sigfigs(value: Fraction, sigfigs: int) -> Fraction:
    """Round ``value`` to ``sigfigs`` significant figures, half away from zero; 0 stays 0.

    >>> round_sigfigs(Fraction(4, 255), 3)
    Fraction(157, 10000)
    """
    if value == 0:
        return Fraction(0)
    unit = Fraction(10) ** (decimal_exponent(value) - sigfigs + 1)
    return round_half_away(value / unit) * unit


@dataclass(frozen=True)
class AcceptedInterval:
    """The values that round to the same significant figures as a reference."""

    lower: Fraction
    upper: Fraction
    lower_closed: bool
    upper_closed: bool

    def __str__(self) -> str:
        left = "[" if self.lower_closed else "("
        right = "]" if self.upper_closed else ")"
        return f"{left}{decimal_text(self.lower)}, {decimal_text(self.upper)}{right}"


def sigfig_interval(reference: Fraction, sigfigs: int) -> AcceptedInterval:
    """Return the interval of values x with round_sigfigs(x) == round_sigfigs(reference).

    Above a positive rounded value R the unit is that of R's last figure. Below R it is the
    same, unless R is a power of ten: then the values just below R have one more decimal,
    so the interval is narrower on that side. For example at 2 figures, 10 takes [9.95, 10.5).
    A zero reference accepts only 0.
    """
    rounded = round_sigfigs(reference, sigfigs)
    if rounded == 0:
        return AcceptedInterval(Fraction(0), Fraction(0), True, True)
    magnitude = abs(rounded)
    exponent = decimal_exponent(magnitude)
    above = Fraction(10) ** (exponent - sigfigs + 1) / 2
    below = above / 10 if magnitude == Fraction(10) ** exponent else above
    if rounded > 0:
        return AcceptedInterval(magnitude - below, magnitude + above, True, False)
    return AcceptedInterval(-(magnitude + above), -(magnitude - below), False, True)


def decimal_text(value: Fraction) -> str:
    """Return a terminating decimal in plain notation, such as ``0.01565``; others as a float."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return f"{float(value):.12g}"
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def within(value: Fraction, reference: Fraction, tolerance: Tolerance) -> bool:
    """Return whether ``value`` is accepted for ``reference`` under ``tolerance``."""
    if tolerance.sigfigs is not None:
        return round_sigfigs(value, tolerance.sigfigs) == round_sigfigs(reference, tolerance.sigfigs)
    allowed = max(tolerance.absolute, tolerance.relative * abs(reference))
    return abs(value - reference) <= allowed


def describe_tolerance(tolerance: Tolerance) -> str:
    """Return a phrase such as 'within a relative tolerance of 0.01%' (never the reference)."""
    if tolerance.sigfigs is not None:
        return f"rounding to the same {tolerance.sigfigs} significant figures, half away from zero"
    pieces = []
    if tolerance.relative:
        pieces.append(f"a relative tolerance of {_relative_text(tolerance.relative)}")
    if tolerance.absolute:
        pieces.append(f"an absolute tolerance of {float(tolerance.absolute):g}")
    if not pieces:
        return "exactly equal"
    return "within " + " or ".join(pieces)


def _relative_text(relative: Fraction) -> str:
    """Format a relative tolerance as a percent such as '0.01%', or below 0.0001% as '1e-9'.

    A percent of a tiny tolerance reads badly ('1e-07%'). Such a tolerance is below 1, so
    its exponent is negative, and it prints without the exponent's leading zeros.
    """
    if relative >= _SMALLEST_PERCENT:
        return f"{float(relative) * 100:g}%"
    return re.sub(r"e-0+(?=\d)", "e-", f"{float(relative):g}")


def tolerance_phrase(tolerance: Tolerance) -> str:
    """Return a phrase such as 'within a relative tolerance of 0.01% of the exact value'."""
    if tolerance.exact:
        return "equal to the exact value"
    return f"{describe_tolerance(tolerance)} of the exact value"


def accepted_phrase(reference: Fraction, tolerance: Tolerance) -> str:
    """Return what a number part accepts, for the feedback.

    Under the significant-figure rule this names the accepted interval, which reveals the
    rounded reference; every other model is described without the reference.
    """
    if tolerance.sigfigs is not None:
        interval = sigfig_interval(reference, tolerance.sigfigs)
        return (f"every value that rounds to the same {tolerance.sigfigs} significant figures as the exact "
                f"value (half away from zero), that is the interval {interval}")
    return f"every value {tolerance_phrase(tolerance)}"
