"""One tolerance spec, compiled for each target: our grader, Canvas and Moodle.

Our grader accepts a number x for the reference r when |x − r| <= max(abs, rel·|r|), or,
under a ``sigfigs`` tolerance, when x and r round to the same value at that many
significant figures (:func:`effquiz.grader.judge.within`). For one variant r is fixed, so
both rules accept a closed interval, the :class:`Window`. An LMS stores that interval as
decimals, either as an exact answer with a margin or as a range:

- The decimals are rounded inward, so an LMS never accepts a number that our grader
  rejects. They keep enough places that the interval shrinks by at most 1/2000 of its
  half-width.
- Canvas Classic Quizzes round a typed number to 4 decimal places before grading
  (``val.toFixed(4)`` in Canvas's ``take_quiz.js``), so an answer below 1e-4 becomes 0
  (text2qti's README states the same limit). Where the half-width is below 0.01, the
  Canvas question asks for the answer in units of 10^-k, which makes the half-width at
  least 0.01 typed units and keeps the rounding within 0.5% of it.
- Moodle compares floats and widens every tolerance by 10^-14·max(1, |answer|)
  (``qtype_numerical_answer::get_tolerance_interval``), which is far below the rounding
  above, so Moodle needs no rescaling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from effquiz.core.exact import round_half_even
from effquiz.errors import BuildError
from effquiz.templates.schema import Tolerance

CANVAS_MIN_HALF_WIDTH = Fraction(1, 100)
"""The smallest half-width, in typed units, that a Canvas numerical answer may have."""

CANVAS_TYPED_PLACES = 4
"""Canvas rounds a typed number to this many decimal places."""

MAX_SIGNIFICANT_DIGITS = 15
"""Digits that survive the float round trip in Canvas (Ruby) and Moodle (PHP)."""

_PRECISION = 2000
_MAX_SCALE_EXPONENT = 30


@dataclass(frozen=True)
class Window:
    """The closed interval [low, high] of numbers that our grader accepts for ``reference``.

    ``ties`` is set for a ``sigfigs`` tolerance: our grader breaks the tie at each end to
    even, so it accepts only one of the two ends, while an LMS range includes both.
    """

    reference: Fraction
    low: Fraction
    high: Fraction
    ties: bool = False

    @property
    def exact(self) -> bool:
        """Whether only the reference itself is accepted."""
        return self.low == self.high


@dataclass(frozen=True)
class DecimalRule:
    """A window written in decimals for an LMS.

    The typed answer is the value times 10^``scale_exponent``. Both forms accept a subset of
    the scaled window: ``exact`` ± ``margin`` and the range [``low``, ``high``].
    """

    scale_exponent: int
    exact: Decimal
    margin: Decimal
    low: Decimal
    high: Decimal

    def typed(self, value: Fraction) -> Fraction:
        """Return the number that a student types for ``value``."""
        return value * Fraction(10) ** self.scale_exponent


class UnrepresentableError(BuildError):
    """A reference answer cannot be written as an LMS rule that agrees with our grader."""


def window(reference: Fraction, tolerance: Tolerance) -> Window:
    """Return the interval of numbers that :func:`effquiz.grader.judge.within` accepts for ``reference``."""
    reference = Fraction(reference)
    if tolerance.sigfigs is not None:
        return _sigfigs_window(reference, tolerance.sigfigs)
    half = max(tolerance.absolute, tolerance.relative * abs(reference))
    return Window(reference, reference - half, reference + half)


def _sigfigs_window(reference: Fraction, sigfigs: int) -> Window:
    """Return the values that round to round(reference) at ``sigfigs`` significant figures.

    Away from a power of ten that is [R − u/2, R + u/2], where u is one unit in the last
    place of R. When |R| is a power of ten, the values just below it in magnitude have
    one more place, so the window reaches only u/20 toward zero on that side.
    """
    if reference == 0:
        return Window(reference, reference, reference)
    unit = _unit(reference, sigfigs)
    rounded = round(reference / unit) * unit
    unit = _unit(rounded, sigfigs)
    half = unit / 2
    toward_zero = half / 10 if _is_power_of_ten(abs(rounded)) else half
    if rounded > 0:
        return Window(reference, rounded - toward_zero, rounded + half, ties=True)
    return Window(reference, rounded - half, rounded + toward_zero, ties=True)


def _unit(value: Fraction, sigfigs: int) -> Fraction:
    exponent = math.floor(math.log10(abs(float(value))))
    return Fraction(10) ** (exponent - sigfigs + 1)


def _is_power_of_ten(value: Fraction) -> bool:
    exponent = math.floor(math.log10(float(value)))
    return value == Fraction(10) ** exponent


def canvas_rule(accepted: Window) -> DecimalRule:
    """Compile a window for a Canvas numerical question (see the module notes on rounding).

    Raises UnrepresentableError when the window is exact and its reference has more
    decimal places than any scale can make typeable.
    """
    if accepted.exact:
        for exponent in range(_MAX_SCALE_EXPONENT + 1):
            scaled = accepted.reference * Fraction(10) ** (exponent + CANVAS_TYPED_PLACES)
            if scaled.denominator == 1:
                return _exact_rule(accepted.reference, exponent)
        raise UnrepresentableError(f"the exact answer {accepted.reference} has no finite decimal form that Canvas "
                                   "can store.", fix="give the part a tolerance.")
    half = (accepted.high - accepted.low) / 2
    exponent = 0
    while half * Fraction(10) ** exponent < CANVAS_MIN_HALF_WIDTH:
        exponent += 1
    return _interval_rule(accepted, exponent)


def moodle_rule(accepted: Window) -> DecimalRule:
    """Compile a window for a Moodle numerical answer, in the value's own unit."""
    if accepted.exact:
        return _exact_rule(accepted.reference, 0)
    return _interval_rule(accepted, 0)


def _exact_rule(reference: Fraction, exponent: int) -> DecimalRule:
    """Return the rule that accepts only ``reference``; it must be a finite decimal after scaling.

    Our grader compares the typed float exactly, so a reference that no float equals,
    such as 1/10, is accepted by no answer at all and has no rule that agrees.
    """
    if reference.denominator & (reference.denominator - 1):
        raise UnrepresentableError(f"our grader accepts no typed number for the exact answer {reference}, because "
                                   "no float equals it.", fix="give the part a tolerance.")
    scaled = reference * Fraction(10) ** exponent
    text = _decimal(scaled, _places(scaled))
    _check_digits(text)
    return DecimalRule(exponent, text, Decimal(0), text, text)


def _places(value: Fraction) -> int:
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return places


def _interval_rule(accepted: Window, exponent: int) -> DecimalRule:
    factor = Fraction(10) ** exponent
    low, high, reference = accepted.low * factor, accepted.high * factor, accepted.reference * factor
    half = (high - low) / 2
    places = max(0, math.ceil(-math.log10(float(half / _PRECISION))))
    unit = Fraction(1, 10**places)

    # An asymmetric window (sigfigs at a power of ten) is written around its midpoint.
    center = reference if reference - low == high - reference else (low + high) / 2
    exact = round_half_even(center / unit) * unit
    margin = math.floor(min(high - exact, exact - low) / unit) * unit
    inner_low = math.ceil(low / unit) * unit
    inner_high = math.floor(high / unit) * unit
    rule = DecimalRule(exponent, _decimal(exact, places), _decimal(margin, places), _decimal(inner_low, places),
                       _decimal(inner_high, places))
    for value in (rule.exact, rule.low, rule.high):
        _check_digits(value)
    return rule


def _decimal(value: Fraction, places: int) -> Decimal:
    scaled = value * 10**places
    assert scaled.denominator == 1, "callers round to the grid first"
    return Decimal(scaled.numerator).scaleb(-places)


def _check_digits(value: Decimal) -> None:
    digits = len(value.as_tuple().digits)
    if digits > MAX_SIGNIFICANT_DIGITS:
        raise UnrepresentableError(f"the rule needs {digits} significant digits ({value}), more than the "
                                   f"{MAX_SIGNIFICANT_DIGITS} that an LMS keeps.", fix="loosen the part's tolerance.")


def decimal_text(value: Decimal) -> str:
    """Return plain decimal text without an exponent, such as ``0.000125`` or ``-72``."""
    text = format(value.normalize() if value else Decimal(0), "f")
    return "0" if text == "-0" else text
