"""The expression language: exact values, non-finite results, the call cache and the observer."""

from __future__ import annotations

from fractions import Fraction

import pytest

from effquiz.templates.expressions import (
    ExpressionError, NonFiniteError, parse_expression, result_constants, suggestion,
)


def test_literals_are_exact() -> None:
    # 0.1 + 0.2 is exactly 3/10, not the float 0.30000000000000004.
    assert parse_expression("0.1 + 0.2").evaluate({}) == Fraction(3, 10)


def test_log_of_zero_is_non_finite() -> None:
    with pytest.raises(NonFiniteError, match=r"log2\(0\) is not a finite number"):
        parse_expression("log2(x)").evaluate({"x": 0})


def test_division_by_zero_is_non_finite() -> None:
    with pytest.raises(NonFiniteError, match="division by zero"):
        parse_expression("1 / x").evaluate({"x": 0})


def test_names_exclude_called_functions() -> None:
    assert parse_expression("max(lo, log2(hi)) + pi").names == frozenset({"lo", "hi"})


def test_unknown_function_suggests_builtin() -> None:
    with pytest.raises(ExpressionError, match=r"the function 'sqr' is not defined\. Did you mean 'sqrt'\?"):
        parse_expression("sqr(2)")


def test_core_call_with_wrong_keyword_is_rejected() -> None:
    with pytest.raises(ExpressionError, match=r"quant\.scale takes no argument 'bit'\. Did you mean 'bits'\?"):
        parse_expression("quant.scale(lo=0, hi=4, bit=8)")


def test_core_call_with_too_many_arguments_is_rejected() -> None:
    with pytest.raises(ExpressionError, match=r"quant\.scale: too many positional arguments"):
        parse_expression("quant.scale(0, 4, 8, 9)")


def test_observer_sees_call_and_result() -> None:
    calls = []
    parse_expression("round(x / 2)").evaluate({"x": 5}, observer=lambda *call: calls.append(call))
    # 5/2 is a tie, which half-to-even rounding sends to 2.
    assert calls == [("round", (Fraction(5, 2),), {}, 2)]


def test_memo_runs_identical_call_once() -> None:
    calls = []
    memo: dict = {}
    first = parse_expression("quant.scale(lo=0, hi=x, bits=8)")
    second = parse_expression("2 * quant.scale(lo=0, hi=x, bits=8)")
    observe = lambda *call: calls.append(call[0])  # noqa: E731
    assert first.evaluate({"x": 4}, memo=memo, observer=observe) == Fraction(4, 255)
    assert second.evaluate({"x": 4}, memo=memo, observer=observe) == Fraction(8, 255)
    assert calls == ["quant.scale"]


def test_result_constants_follow_branches() -> None:
    expression = parse_expression('"yes" if x > 0 else ("no" if x < 0 else "zero")')
    assert result_constants(expression) == {"yes", "no", "zero"}


def test_result_constants_skip_compared_text() -> None:
    assert result_constants(parse_expression('mode == "absmax"')) == set()


def test_suggestion_matches_prefix() -> None:
    assert suggestion("relative", ["abs", "rel", "sigfigs"]) == " Did you mean 'rel'?"


def test_suggestion_is_empty_when_nothing_is_close() -> None:
    assert suggestion("colour", ["abs", "rel"]) == ""
