"""One tolerance spec compiled into the intervals and decimals that Canvas and Moodle store."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from effquiz.export.tolerance import UnrepresentableError, canvas_rule, decimal_text, moodle_rule, window
from effquiz.templates.schema import Tolerance


def test_window_takes_larger_of_abs_and_rel() -> None:
    # r = 10, abs 0.05, rel 1e-3: max(0.05, 0.01) = 0.05.
    accepted = window(Fraction(10), Tolerance(absolute=Fraction(5, 100), relative=Fraction(1, 1000)))
    assert (accepted.low, accepted.high) == (Fraction(995, 100), Fraction(1005, 100))


def test_window_sigfigs_away_from_decade() -> None:
    # 2.346 at 3 significant figures rounds to 2.35; [2.345, 2.355] rounds there.
    accepted = window(Fraction("2.346"), Tolerance(sigfigs=3))
    assert (accepted.low, accepted.high) == (Fraction("2.345"), Fraction("2.355"))


def test_window_sigfigs_at_power_of_ten() -> None:
    # 999.7 rounds to 1000 at 3 figures. Below 1000 the last kept place is 1, so the window
    # reaches down to 999.5, and up to 1005 on the other side.
    accepted = window(Fraction("999.7"), Tolerance(sigfigs=3))
    assert (accepted.low, accepted.high) == (Fraction("999.5"), Fraction(1005))


def test_window_sigfigs_negative_power_of_ten() -> None:
    # -0.99996 rounds to -1.00 at 3 figures; toward zero the window ends at -0.9995.
    accepted = window(Fraction("-0.99996"), Tolerance(sigfigs=3))
    assert (accepted.low, accepted.high) == (Fraction("-1.005"), Fraction("-0.9995"))


def test_moodle_rule_lecture_scale() -> None:
    # S = 4/255 = 0.0156862745098..., h = 1e-4·S = 1.5686274...e-6. 10 places keep 1/2000 of h;
    # the exact value rounds to 0.0156862745, 9.8e-12 below S, so the margin is
    # h − 9.8e-12 = 1.56861764...e-6, rounded down to 0.0000015686.
    rule = moodle_rule(window(Fraction(4, 255), Tolerance(relative=Fraction(1, 10**4))))
    assert decimal_text(rule.exact) == "0.0156862745"
    assert decimal_text(rule.margin) == "0.0000015686"
    assert rule.scale_exponent == 0


def test_canvas_rule_rescales_narrow_window() -> None:
    # h = 1.5686e-6 needs 10^4 to reach 0.01 typed units: 156.862745... ± 0.0156862...
    rule = canvas_rule(window(Fraction(4, 255), Tolerance(relative=Fraction(1, 10**4))))
    assert rule.scale_exponent == 4
    assert decimal_text(rule.exact) == "156.862745"
    assert decimal_text(rule.margin) == "0.015686"


def test_canvas_rule_keeps_wide_window() -> None:
    # r = 2.5 ± 0.05 is already 0.05 wide on each side.
    rule = canvas_rule(window(Fraction(5, 2), Tolerance(absolute=Fraction(5, 100))))
    assert rule.scale_exponent == 0
    assert (rule.low, rule.high) == (Decimal("2.45"), Decimal("2.55"))


def test_canvas_rule_zero_with_absolute_tolerance() -> None:
    # 0 ± 1e-6 is typed in units of 10^-4: 0 ± 0.01.
    rule = canvas_rule(window(Fraction(0), Tolerance(absolute=Fraction(1, 10**6))))
    assert rule.scale_exponent == 4
    assert (decimal_text(rule.low), decimal_text(rule.high)) == ("-0.01", "0.01")


def test_canvas_rule_exact_integer() -> None:
    rule = canvas_rule(window(Fraction(-128), Tolerance()))
    assert (rule.exact, rule.margin, rule.scale_exponent) == (Decimal(-128), Decimal(0), 0)


def test_canvas_rule_exact_quarter_scaled_past_four_places() -> None:
    # 3/2^15 = 0.000091552734375 has 15 places; Canvas keeps 4, so it is typed in units of 10^-11.
    rule = canvas_rule(window(Fraction(3, 2**15), Tolerance()))
    assert rule.scale_exponent == 11
    assert decimal_text(rule.exact) == "9155273.4375"


def test_exact_rule_rejects_non_dyadic() -> None:
    # No float equals 1/10, so our grader accepts no typed number for it.
    with pytest.raises(UnrepresentableError, match="no float equals it"):
        moodle_rule(window(Fraction(1, 10), Tolerance()))


def test_rule_rejects_too_many_digits() -> None:
    # 123456.789 ± 1e-12 needs 15 places after the point: 21 significant digits.
    with pytest.raises(UnrepresentableError, match="significant digits"):
        moodle_rule(window(Fraction("123456.789"), Tolerance(absolute=Fraction(1, 10**12))))
