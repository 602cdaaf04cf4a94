"""The in-kernel helpers turn any answer object into plain JSON data."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from effquiz.grader.kernel_code import check_form, collect, encode_answer


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
