"""The in-kernel helpers turn any answer object into plain JSON data."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from effquiz.grader.kernel_code import (
    call_probes, call_with_limit, check_form, collect, encode_answer, sample_calls, token_list,
)


class AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True


class LyingFloat(float):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = float.__hash__


def test_encode_ellipsis_as_missing() -> None:
    assert encode_answer(...) == {"kind": "missing"}


def test_encode_numpy_integer_as_int() -> None:
    assert encode_answer(np.int64(72)) == {"kind": "int", "value": "72"}


def test_encode_fraction_as_float() -> None:
    assert encode_answer(Fraction(1, 4)) == {"kind": "float", "value": "0.25"}


def test_encode_always_equal_object_as_other() -> None:
    assert encode_answer(AlwaysEqual()) == {"kind": "other", "type": "AlwaysEqual"}


def test_encode_float_subclass_keeps_only_its_value() -> None:
    encoded = encode_answer(LyingFloat(0.5))
    assert encoded == {"kind": "float", "value": "0.5"}
    assert type(json.loads(json.dumps(encoded))["value"]) is str


def test_encode_nan_as_text() -> None:
    assert encode_answer(float("nan")) == {"kind": "float", "value": "nan"}


def test_encode_array_as_list_of_numbers() -> None:
    encoded = encode_answer(np.array([0.25, 0.75]))
    assert encoded == {"kind": "list", "items": [{"kind": "float", "value": "0.25"}, {"kind": "float", "value": "0.75"}]}


def test_collect_writes_one_file_per_question(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EFFQUIZ_ANSWERS_DIR", str(tmp_path))
    collect({"scale": 0.5, "q": 3}, "mapping", ["scale", "q", "absent"])
    data = json.loads((tmp_path / "mapping.json").read_text())
    assert data["scale"] == {"kind": "float", "value": "0.5"}
    assert data["q"] == {"kind": "int", "value": "3"}
    assert data["absent"] == {"kind": "undefined"}


def test_check_form_names_unanswered_part() -> None:
    with pytest.raises(AssertionError, match=r"scale is still \.\.\."):
        check_form({"scale": ...}, {"scale": {"kind": "number"}})


def test_check_form_rejects_fraction_for_integer() -> None:
    with pytest.raises(AssertionError, match="q must be a whole number"):
        check_form({"q": 2.5}, {"q": {"kind": "integer"}})


def test_check_form_rejects_unknown_choice_letter() -> None:
    spec = {"kind": "choice", "letters": ["a", "b"], "accepted": ["a", "b", "no", "yes"]}
    with pytest.raises(AssertionError, match="one of 'a', 'b'"):
        check_form({"good_proxy": "c"}, {"good_proxy": spec})


def test_check_form_accepts_right_forms() -> None:
    spec = {"kind": "choice", "letters": ["a", "b"], "accepted": ["a", "b"]}
    check_form({"x": 1.5, "n": 3.0, "c": "B"}, {"x": {"kind": "number"}, "n": {"kind": "integer"}, "c": spec})


def test_encode_numpy_bool_as_bool() -> None:
    assert encode_answer(np.bool_(True)) == {"kind": "bool", "value": True}


def test_encode_nested_list_to_depth_limit() -> None:
    encoded = encode_answer([[1, 2]], 0, 3)
    assert encoded == {"kind": "list", "items": [{"kind": "list", "items": [
        {"kind": "int", "value": "1"}, {"kind": "int", "value": "2"}]}]}
    assert encode_answer([[1, 2]])["items"][0] == {"kind": "other", "type": "list"}


def test_call_with_limit_stops_endless_function() -> None:
    def forever():
        while True:
            pass

    assert call_with_limit(forever, (), {}, 0.2) == ("timed out", None)


def test_call_with_limit_returns_raised_error() -> None:
    kind, error = call_with_limit(int, ("x",), {}, 1.0)
    assert kind == "raised"
    assert isinstance(error, ValueError)


def test_call_probes_passes_arrays() -> None:
    outcomes = call_probes(lambda x, k: x * k, [{"args": {"x": {"array": [1.0, 2.0]}, "k": 3}}], 1.0)
    assert outcomes["outcomes"] == [{"returned": {"kind": "list", "items": [
        {"kind": "float", "value": "3.0"}, {"kind": "float", "value": "6.0"}]}}]


def test_token_list_rejects_floats() -> None:
    assert token_list(np.array([1, 2])) == [1, 2]
    assert token_list([1.0]) is None
    assert token_list([True]) is None


def test_sample_calls_stop_at_first_bad_output() -> None:
    plan = {"seed": 1, "target": [[0.5, 0.5], [0.5, 0.5]], "draft": [[0.5, 0.5]], "drafts": [[0], [1], [0]]}
    calls = iter([[0, 1], "oops", [0, 1]])
    result = sample_calls(lambda d, p, q, rng: next(calls), [plan], 1.0, 10.0)
    setting = result["settings"][0]
    assert setting["outputs"] == [[0, 1]]
    assert setting["failure"] == {"call": 1, "returned": {"kind": "str", "value": "oops"}}


def test_sample_calls_pass_fresh_copies() -> None:
    plan = {"seed": 1, "target": [[0.5, 0.5], [0.5, 0.5]], "draft": [[0.5, 0.5]], "drafts": [[0], [0]]}

    def mutating(draft_tokens, p, q, rng):
        p[:] = 0
        return [0, 0]

    sample_calls(mutating, [plan], 1.0, 10.0)
    assert plan["target"] == [[0.5, 0.5], [0.5, 0.5]]


def test_function_form_names_wrong_parameters() -> None:
    spec = {"kind": "function", "parameters": ["x", "lo"]}
    with pytest.raises(AssertionError, match=r"must take the parameters \(x, lo\), not \(x, low\)"):
        check_form({"f": lambda x, low: x}, {"f": spec})


def test_function_form_checks_example_output() -> None:
    example = {"args": {"x": {"array": [0.5, 1.5]}}, "form": {"kind": "list", "length": 2, "items": "int"}}
    spec = {"kind": "function", "parameters": ["x"], "example": example}
    check_form({"f": lambda x: np.round(x).astype(int)}, {"f": spec})
    with pytest.raises(AssertionError, match="must return whole numbers"):
        check_form({"f": lambda x: x}, {"f": spec})
    with pytest.raises(AssertionError, match="returns None: write its body"):
        check_form({"f": lambda x: None}, {"f": spec})


def test_function_form_checks_sampling_example() -> None:
    example = {"seed": 0, "drafts": [1], "target": [[0.5, 0.5], [0.5, 0.5]], "draft": [[0.5, 0.5]]}
    spec = {"kind": "function", "parameters": ["draft_tokens", "p", "q", "rng"], "sampling_example": example}
    check_form({"s": lambda draft_tokens, p, q, rng: [1, 0]}, {"s": spec})
    with pytest.raises(AssertionError, match="must be the kept drafts"):
        check_form({"s": lambda draft_tokens, p, q, rng: [0, 0]}, {"s": spec})


def test_check_form_rejects_swapped_interval() -> None:
    with pytest.raises(AssertionError, match="lower <= upper"):
        check_form({"bin": [2.0, 1.0]}, {"bin": {"kind": "interval", "length": 2}})


def test_check_form_rejects_distribution_not_summing_to_one() -> None:
    with pytest.raises(AssertionError, match="must sum to 1, not 0.9"):
        check_form({"r": [0.5, 0.4]}, {"r": {"kind": "vector", "distribution": True}})


def test_function_form_checks_matrix_shape() -> None:
    row = {"kind": "list", "length": 2, "items": "int"}
    example = {"args": {"a": {"array": [[1, 2], [3, 4]], "dtype": "int8"}},
               "form": {"kind": "list", "length": 2, "items": "list", "row": row}}
    spec = {"kind": "function", "parameters": ["a"], "example": example}
    check_form({"f": lambda a: a.astype(np.int32) * 2}, {"f": spec})
    with pytest.raises(AssertionError, match=r"must return a 2-D array \(or a list of lists\) of 2 rows of 2 whole"):
        check_form({"f": lambda a: a.ravel()}, {"f": spec})
    with pytest.raises(AssertionError, match="of 2 rows of 2 whole numbers"):
        check_form({"f": lambda a: a / 3}, {"f": spec})
