"""The int8 matrix multiplication reference agrees with the exact core; its int8 twin wraps like NumPy."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effquiz.core import integer_dot, requantize, tie_distance
from effquiz.grader.functions import judge_function
from effquiz.grader.kernel_code import call_probes
from effquiz.grader.probes import function_probes
from effquiz.solutions import matmul
from effquiz.templates import Bank

INT8 = st.integers(-128, 127)
MARGIN = Fraction(1, 10**6)


@st.composite
def products(draw):
    rows, inner, columns = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    a = draw(st.lists(st.lists(INT8, min_size=inner, max_size=inner), min_size=rows, max_size=rows))
    b = draw(st.lists(st.lists(INT8, min_size=columns, max_size=columns), min_size=inner, max_size=inner))
    # Scales on a grid of 1/10000, as a template with 4 decimals would draw them.
    scales = [Fraction(draw(st.integers(1, 1000)), 10000) for _ in range(3)]
    return a, b, draw(INT8), draw(INT8), draw(INT8), scales


@settings(max_examples=300, deadline=None)
@given(case=products())
def test_reference_agrees_with_exact_core(case) -> None:
    a, b, a_zero, b_zero, out_zero, (a_scale, b_scale, out_scale) = case
    multiplier = a_scale * b_scale / out_scale
    columns = list(zip(*b))
    accumulators = [[integer_dot(row, a_zero, column, b_zero) for column in columns] for row in a]
    # Away from ties, where the float multiplier could round the other way.
    if any(tie_distance(multiplier * acc) <= MARGIN for row in accumulators for acc in row):
        return
    exact = [[requantize(acc, multiplier, out_zero, 8, True) for acc in row] for row in accumulators]
    result = matmul.int8_matmul(np.array(a, dtype=np.int8), float(a_scale), a_zero, np.array(b, dtype=np.int8),
                                float(b_scale), b_zero, float(out_scale), out_zero)
    assert result.tolist() == exact


@settings(max_examples=200, deadline=None)
@given(case=products())
def test_int8_twin_equals_numpy_int8_arithmetic(case) -> None:
    # What a student writes on int8 arrays: NumPy keeps every int8 result modulo 256.
    a, b, a_zero, b_zero, _, _ = case
    a_q, b_q = np.array(a, dtype=np.int8), np.array(b, dtype=np.int8)
    naive = (a_q - a_zero) @ (b_q - b_zero)
    assert naive.dtype == np.int8
    twin = matmul.int8_matmul_int8_accumulator(a_q, 1.0, a_zero, b_q, 1.0, b_zero, 1.0, 0)
    assert twin.tolist() == np.clip(naive, -128, 127).tolist()


def test_reference_saturates_both_ends() -> None:
    # acc = 100·100 + 100·100 = 20000 and -20000; M = 1, so the levels clamp to 127 and -128.
    a = np.array([[100, 100]], dtype=np.int8)
    b = np.array([[100, -100], [100, -100]], dtype=np.int8)
    assert matmul.int8_matmul(a, 1.0, 0, b, 1.0, 0, 1.0, 0).tolist() == [[127, -128]]


def test_wrapped_twin_wraps_output() -> None:
    # round(M·acc) = 200 wraps to 200 - 256 = -56 without clamping; the reference clamps to 127.
    a = np.array([[10]], dtype=np.int8)
    b = np.array([[20]], dtype=np.int8)
    assert matmul.int8_matmul_wrapped_output(a, 1.0, 0, b, 1.0, 0, 1.0, 0).tolist() == [[-56]]
    assert matmul.int8_matmul(a, 1.0, 0, b, 1.0, 0, 1.0, 0).tolist() == [[127]]


def test_naive_student_code_is_named_int8_accumulator() -> None:
    def int8_matmul(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
        acc = (a_q - a_zero) @ (b_q - b_zero)
        return np.clip(np.round(a_scale * b_scale / out_scale * acc) + out_zero, -128, 127).astype(int)

    template = Bank.load().get("int8-matmul-function")
    part = template.part("int8_matmul")
    probes = function_probes(template, part, 5)
    verdict = judge_function(part, probes, call_probes(int8_matmul, [{"args": p.args} for p in probes], 5.0))
    assert verdict.misconception == "int8-accumulator"


@pytest.mark.parametrize(("zero_point", "expected"), [(-128, 64), (127, -64)])
def test_zero_points_at_int8_ends_do_not_overflow(zero_point: int, expected: int) -> None:
    # Z_a = -128: a - Z_a = [255, 0], acc = 255, M = 1/4 gives 63.75, rounded 64.
    # Z_a = 127: a - Z_a = [0, -255], acc = -255, so -63.75 rounds to -64.
    # In int8, 255 and -255 would wrap to -1 and 1.
    a = np.array([[127, -128]], dtype=np.int8)
    b = np.array([[1], [1]], dtype=np.int8)
    assert matmul.int8_matmul(a, 1.0, zero_point, b, 1.0, 0, 4.0, 0).tolist() == [[expected]]
