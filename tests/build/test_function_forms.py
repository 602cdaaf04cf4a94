"""The public example of a function part: its arguments and the form of the reference's output."""

from __future__ import annotations

from effquiz.build.notebooks import function_cell
from effquiz.build.otter_tests import answer_spec
from effquiz.templates import Bank

BANK = Bank.load()


def test_matrix_output_form_has_rows() -> None:
    spec = answer_spec(BANK.get("int8-matmul-function").part("int8_matmul"))
    # The first edge probe multiplies a 1x3 by a 3x1 matrix, so the output is one row of one whole number.
    assert spec["example"]["form"] == {"kind": "list", "length": 1, "items": "list",
                                       "row": {"kind": "list", "length": 1, "items": "int"}}
    assert spec["example"]["args"]["a_q"] == {"array": [[127, -128, 0]], "dtype": "int8"}


def test_bool_output_form() -> None:
    spec = answer_spec(BANK.get("acceptance-functions").part("accept"))
    assert spec["example"]["form"] == {"kind": "bool"}


def test_example_skips_probe_that_raises() -> None:
    # The first edge probe of residual raises ValueError, so the example is the second: 4 numbers.
    spec = answer_spec(BANK.get("acceptance-functions").part("residual"))
    assert spec["example"]["form"] == {"kind": "list", "length": 4, "items": "float"}


def test_master_body_has_matrix_form() -> None:
    cell = function_cell([BANK.get("int8-matmul-function").part("int8_matmul")])
    assert "    return [[0] * 1] * 1" in cell
