"""Tolerance models: significant figures under the textbook rule, and the phrases they produce."""

from __future__ import annotations

from fractions import Fraction

from effquiz.grader.tolerance import (
    accepted_phrase, decimal_exponent, describe_tolerance, round_half_away, round_sigfigs, sigfig_interval, within,
)
from effquiz.templates.schema import Tolerance

THREE_FIGURES = Tolerance(sigfigs=3)


def test_decimal_exponent_at_power_of_ten() -> None:
    assert decimal_exponent(Fraction(1000)) == 3
    assert decimal_exponent(Fraction(999)) == 2
    assert decimal_exponent(Fraction(1, 1000)) == -3
    assert decimal_exponent(Fraction(-5, 100)) == -2


def test_round_half_away_breaks_ties_away_from_zero() -> None:
    assert round_half_away(Fraction(5, 2)) == 3
    assert round_half_away(Fraction(-5, 2)) == -3
    assert round_half_away(Fraction(7, 5)) == 1


def test_round_sigfigs_of_scale() -> None:
    # 4/255 = 0.0156862...; at 3 figures 0.0157.
    assert round_sigfigs(Fraction(4, 255), 3) == Fraction(157, 10000)


def test_round_sigfigs_tie_goes_away_from_zero() -> None:
    # 0.01565 is a tie at 3 figures: half away from zero gives 0.0157, half to even 0.0156.
    assert round_sigfigs(Fraction(1565, 100000), 3) == Fraction(157, 10000)
    assert round_sigfigs(Fraction(-1565, 100000), 3) == Fraction(-157, 10000)


def test_sigfigs_accepts_more_digits_that_round_alike() -> None:
    assert within(Fraction("0.015686"), Fraction(4, 255), THREE_FIGURES)
    assert within(Fraction("0.0157"), Fraction(4, 255), THREE_FIGURES)


def test_sigfigs_rejects_other_rounding() -> None:
    assert not within(Fraction("0.0156"), Fraction(4, 255), THREE_FIGURES)
    assert not within(Fraction("0.01575"), Fraction(4, 255), THREE_FIGURES)


def test_sigfig_interval_of_scale() -> None:
    # Values rounding to 0.0157 at 3 figures: [0.01565, 0.01575).
    interval = sigfig_interval(Fraction(4, 255), 3)
    assert (interval.lower, interval.upper) == (Fraction("0.01565"), Fraction("0.01575"))
    assert str(interval) == "[0.01565, 0.01575)"


def test_sigfig_interval_below_power_of_ten_is_narrower() -> None:
    # 9.96 rounds to 10 at 2 figures. Just below 10 the unit is 0.1 (9.95 rounds up to 10),
    # above it the unit is 1 (10.5 rounds up to 11): [9.95, 10.5).
    interval = sigfig_interval(Fraction("9.96"), 2)
    assert str(interval) == "[9.95, 10.5)"
    assert within(Fraction("9.95"), Fraction("9.96"), Tolerance(sigfigs=2))
    assert not within(Fraction("9.949"), Fraction("9.96"), Tolerance(sigfigs=2))
    assert within(Fraction("10.49"), Fraction("9.96"), Tolerance(sigfigs=2))
    assert not within(Fraction("10.5"), Fraction("9.96"), Tolerance(sigfigs=2))


def test_sigfig_interval_of_negative_reference_mirrors() -> None:
    # -4/255 rounds to -0.0157; -0.01565 rounds away to -0.0157, -0.01575 to -0.0158.
    assert str(sigfig_interval(Fraction(-4, 255), 3)) == "(-0.01575, -0.01565]"


def test_accepted_phrase_states_sigfig_interval() -> None:
    assert "[0.01565, 0.01575)" in accepted_phrase(Fraction(4, 255), THREE_FIGURES)


def test_accepted_phrase_hides_reference_for_relative_tolerance() -> None:
    phrase = accepted_phrase(Fraction(4, 255), Tolerance(relative=Fraction(1, 10**4)))
    assert phrase == "every value within a relative tolerance of 0.01% of the exact value"


def test_within_relative_tolerance_boundary() -> None:
    tolerance = Tolerance(relative=Fraction(1, 100))
    assert within(Fraction(101), Fraction(100), tolerance)
    assert not within(Fraction(10101, 100), Fraction(100), tolerance)


def test_describe_tolerance_gives_percent() -> None:
    assert describe_tolerance(Tolerance(relative=Fraction(1, 10**4))) == "within a relative tolerance of 0.01%"


def test_describe_tolerance_percent_at_smallest() -> None:
    # 1e-6 is 0.0001%, the smallest relative tolerance that still prints as a percent.
    assert describe_tolerance(Tolerance(relative=Fraction(1, 10**6))) == "within a relative tolerance of 0.0001%"


def test_describe_tolerance_tiny_relative_plain() -> None:
    # 1e-9 would be 1e-07% as a percent.
    assert describe_tolerance(Tolerance(relative=Fraction(1, 10**9))) == "within a relative tolerance of 1e-9"


def test_describe_tolerance_below_smallest_percent() -> None:
    # 9e-7 is just below 1e-6, and 2.5e-7 keeps its mantissa.
    assert describe_tolerance(Tolerance(relative=Fraction(9, 10**7))) == "within a relative tolerance of 9e-7"
    assert describe_tolerance(Tolerance(relative=Fraction(1, 4 * 10**6))) == "within a relative tolerance of 2.5e-7"
