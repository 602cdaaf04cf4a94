"""Tests of effquiz.core.exact: exact conversion, half-to-even rounding and tie distance."""

from __future__ import annotations

import decimal
import math
from fractions import Fraction

import pytest

from effquiz.core import check_integer, round_half_even, tie_distance, to_exact
from effquiz.errors import CoreError

try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # the property tests below are skipped without hypothesis
    given = None


# to_exact: accepted inputs


def test_to_exact_int():
    assert to_exact(3) == Fraction(3)
    assert isinstance(to_exact(3), Fraction)


def test_to_exact_fraction_unchanged():
    value = Fraction(4, 255)
    assert to_exact(value) is value


def test_to_exact_float_tenth_is_exact():
    # repr(0.1) is "0.1", so the shortest repr gives exactly 1/10, not the binary double.
    assert to_exact(0.1) == Fraction(1, 10)


def test_to_exact_float_pi_uses_repr():
    # repr(math.pi) is "3.141592653589793": 16 significant digits, 15 after the point.
    assert to_exact(math.pi) == Fraction(3141592653589793, 10**15)


def test_to_exact_negative_float():
    assert to_exact(-2.5) == Fraction(-5, 2)


def test_to_exact_decimal_string():
    # "3.1416" = 31416/10000 = 3927/1250.
    assert to_exact("3.1416") == Fraction(3927, 1250)


def test_to_exact_ratio_string():
    assert to_exact("4/255") == Fraction(4, 255)


def test_to_exact_exponent_string():
    assert to_exact("1e-3") == Fraction(1, 1000)


def test_to_exact_decimal():
    assert to_exact(decimal.Decimal("0.125")) == Fraction(1, 8)


def test_to_exact_numpy_integer():
    numpy = pytest.importorskip("numpy")
    assert to_exact(numpy.int64(7)) == Fraction(7)


# to_exact: rejected inputs


@pytest.mark.parametrize("flag", [True, False])
def test_to_exact_rejects_bool(flag):
    with pytest.raises(CoreError, match=rf"{flag} is a bool, not a number"):
        to_exact(flag)


def test_to_exact_rejects_nan():
    with pytest.raises(CoreError, match=r"nan is not a finite number"):
        to_exact(math.nan)


@pytest.mark.parametrize("infinity", [math.inf, -math.inf])
def test_to_exact_rejects_infinity(infinity):
    with pytest.raises(CoreError, match=r"inf is not a finite number"):
        to_exact(infinity)


def test_to_exact_rejects_decimal_nan():
    with pytest.raises(CoreError, match=r"Decimal.*NaN.*not a finite number"):
        to_exact(decimal.Decimal("NaN"))


def test_to_exact_rejects_text():
    with pytest.raises(CoreError, match=r"string 'pi' is not a finite decimal or ratio"):
        to_exact("pi")


def test_to_exact_rejects_zero_denominator():
    with pytest.raises(CoreError, match=r"string '1/0' is not a finite decimal or ratio"):
        to_exact("1/0")


def test_to_exact_rejects_nan_string():
    with pytest.raises(CoreError, match=r"string 'nan' is not a finite decimal or ratio"):
        to_exact("nan")


@pytest.mark.parametrize("value", [None, 1j, [1], (1, 2)])
def test_to_exact_rejects_other_types(value):
    with pytest.raises(CoreError, match=r"is not an exact number type"):
        to_exact(value)


def test_to_exact_rejects_numpy_float32():
    numpy = pytest.importorskip("numpy")
    with pytest.raises(CoreError, match=r"float32.*Convert other float types"):
        to_exact(numpy.float32(0.1))


def test_to_exact_error_is_value_error():
    with pytest.raises(ValueError, match=r"is a bool"):
        to_exact(True)


# check_integer


def test_check_integer_accepts_int():
    assert check_integer(8, "bits") == 8


@pytest.mark.parametrize("value", [True, 8.0, "8", Fraction(8)])
def test_check_integer_rejects_non_int(value):
    with pytest.raises(CoreError, match=r"bits = .* is not an integer"):
        check_integer(value, "bits")


# round_half_even


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.5", 0),
        ("1.5", 2),
        ("2.5", 2),
        ("3.5", 4),
        ("-0.5", 0),
        ("-1.5", -2),
        ("-2.5", -2),
    ],
)
def test_round_half_even_ties(value, expected):
    assert round_half_even(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.4", 2),
        ("2.6", 3),
        ("-2.4", -2),
        ("-2.6", -3),
        ("2.500001", 3),
        ("2.499999", 2),
        (7, 7),
        (0, 0),
    ],
)
def test_round_half_even_non_ties(value, expected):
    assert round_half_even(value) == expected


def test_round_half_even_returns_int():
    assert type(round_half_even("2.5")) is int


def test_round_half_even_float_uses_repr():
    # The double nearest 2.675 lies below 2.675, but to_exact reads it as 2675/1000,
    # so it rounds to 3 and not 2.
    assert round_half_even(2.675) == 3


def test_round_half_even_rejects_bool():
    with pytest.raises(CoreError, match=r"is a bool"):
        round_half_even(True)


# tie_distance


def test_tie_distance_at_tie_is_zero():
    assert tie_distance("2.5") == 0


def test_tie_distance_at_integer_is_half():
    assert tie_distance(3) == Fraction(1, 2)


def test_tie_distance_positive():
    # 0.9 is 0.4 above the tie 0.5 and 0.6 below the tie 1.5.
    assert tie_distance("0.9") == Fraction(2, 5)


def test_tie_distance_negative():
    # -0.4 is 0.1 above the tie -0.5.
    assert tie_distance("-0.4") == Fraction(1, 10)


def test_tie_distance_lecture_value():
    # 3.1451·255/4 = 200.500125, which is 0.000125 = 1/8000 above the tie 200.5.
    assert tie_distance(to_exact("3.1451") * 255 / 4) == Fraction(1, 8000)


# Properties, when hypothesis is installed


if given is not None:

    @given(st.fractions())
    def test_round_half_even_agrees_with_fraction_round(value):
        # Fraction.__round__ without ndigits rounds half to even (Python documentation).
        assert round_half_even(value) == round(value)

    @given(st.fractions())
    def test_round_half_even_within_half(value):
        assert abs(value - round_half_even(value)) <= Fraction(1, 2)

    @given(st.fractions())
    def test_tie_distance_bounds(value):
        distance = tie_distance(value)
        assert 0 <= distance <= Fraction(1, 2)

    @given(st.integers(-10**6, 10**6))
    def test_tie_distance_zero_at_every_tie(k):
        assert tie_distance(Fraction(2 * k + 1, 2)) == 0
