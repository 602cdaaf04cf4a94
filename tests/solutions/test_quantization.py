"""The float reference quantizer agrees with the exact core, and its wrong twins differ where they should."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effquiz.core import quant, tie_distance
from effquiz.solutions import quantization

MARGIN = Fraction(1, 10**6)


@settings(max_examples=300, deadline=None)
@given(lo=st.integers(-400, 0), width=st.integers(1, 600), bits=st.sampled_from([2, 4, 8]), signed=st.booleans(),
       values=st.lists(st.integers(-1200, 1200), min_size=1, max_size=8))
def test_reference_agrees_with_exact_core(lo: int, width: int, bits: int, signed: bool, values: list[int]) -> None:
    # Ranges and values on a 0.01 grid, kept at least 1e-6 levels away from ties, where a
    # float computation may round the other way.
    low, high = Fraction(lo, 100), Fraction(lo + width, 100)
    xs = [Fraction(v, 100) for v in values]
    scale = quant.scale(low, high, bits)
    if tie_distance(low / scale) <= MARGIN or any(tie_distance(x / scale) <= MARGIN for x in xs):
        return
    zero_point = quant.zero_point(low, high, bits, signed)
    exact = [quant.quantize(x, scale, zero_point, bits, signed) for x in xs]
    floats = quantization.quantize(np.array([float(x) for x in xs]), float(low), float(high), bits, signed)
    assert floats.tolist() == exact


@pytest.mark.parametrize(("x", "expected"), [(0.5, 0), (1.5, 2), (2.5, 2), (3.5, 4)])
def test_reference_breaks_binary_exact_ties_to_even(x: float, expected: int) -> None:
    # lo = 0, hi = 15, 4 bits: S = 1 exactly, so x/S is the tie itself.
    assert quantization.quantize(np.array([x]), 0.0, 15.0, 4, False).tolist() == [expected]


def test_reference_rejects_empty_range() -> None:
    with pytest.raises(ValueError, match="is empty"):
        quantization.quantize(np.array([1.0]), 2.0, 2.0, 8, False)


def test_floor_twin_truncates() -> None:
    # x/S = 2.75 with S = 1: round gives 3, floor 2.
    assert quantization.quantize_floor(np.array([2.75]), 0.0, 15.0, 4, False).tolist() == [2]


def test_unsigned_twin_matches_reference_when_unsigned() -> None:
    x = np.array([0.3, 1.7])
    assert quantization.quantize_unsigned_range(x, -1.0, 2.0, 8, False).tolist() == \
        quantization.quantize(x, -1.0, 2.0, 8, False).tolist()


def test_half_up_twin_differs_at_tie() -> None:
    # 2.5 rounds to 2 under half to even and to 3 under floor(v + 1/2).
    assert quantization.quantize_half_up(np.array([2.5]), 0.0, 15.0, 4, False).tolist() == [3]
