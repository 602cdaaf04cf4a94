"""Loading function parts: the shipped templates, and located errors for bad ones."""

from __future__ import annotations

import pytest

from effquiz.errors import TemplateError
from effquiz.templates import Bank, parse_template

HEAD = """id: f
version: 1
topic: quantization
title: T
params:
  bits: {kind: choice, values: [4, 8]}
prompt: P
parts:
"""

QUANTIZE = """  quantize:
    kind: function
    prompt: Write it.
    function: quantization.quantize
"""

PROBES = """    probes:
      count: 3
      args: {x: "[0.5]", lo: 0, hi: 1, bits: bits, signed: false}
"""

STEP = """  step:
    kind: function
    prompt: Write it.
    function: speculative.speculative_step
    sampling:
      law: speculative-sampling
      calls: 1000
      settings:
        - name: s
          target: [[1/2, 1/2], [1/4, 3/4]]
          draft: [[3/4, 1/4]]
"""


def load(parts: str):
    return parse_template(HEAD + parts, "f.yaml")


def test_shipped_function_templates_load() -> None:
    bank = Bank.load()
    quantize = bank.get("quantize-function").part("quantize").function
    step = bank.get("speculative-step-function").part("step").function
    assert quantize.parameters == ("x", "lo", "hi", "bits", "signed")
    assert len(quantize.edge_probes) == 6
    assert step.sampling.settings[0].draft[1][0] == 1 / 2


def test_function_part_variable_is_function_name() -> None:
    part = load(QUANTIZE + PROBES).part("quantize")
    assert part.variable == "quantize"
    assert part.answer is None


def test_unknown_starter_function_is_located() -> None:
    with pytest.raises(TemplateError, match=r"f.yaml:12:15: parts.quantize.function: student_template/quantization.py "
                                            r"has no function 'quantise'"):
        load(QUANTIZE.replace("quantization.quantize", "quantization.quantise") + PROBES)


def test_function_needs_probes_or_sampling() -> None:
    with pytest.raises(TemplateError, match="needs probes .* or 'sampling', not both"):
        load(QUANTIZE)


def test_probe_arguments_must_match_parameters() -> None:
    with pytest.raises(TemplateError, match="the arguments of the function is missing the required key 'signed'"):
        load(QUANTIZE + PROBES.replace(", signed: false", ""))


def test_edge_probe_takes_constants_only() -> None:
    edge = """    edge_probes:
      - label: tie
        args: {x: "[0.5]", lo: 0, hi: 1, bits: bits, signed: false}
"""
    with pytest.raises(TemplateError, match=r"parts.quantize.edge_probes\[0\].args.bits: .* reads 'bits'"):
        load(QUANTIZE + edge)


def test_misconception_function_must_exist_in_solutions() -> None:
    wrong = """    misconceptions:
      - name: typo
        function: quantize_flor
        feedback: F.
"""
    with pytest.raises(TemplateError, match="solutions/quantization.py has no function 'quantize_flor'"):
        load(QUANTIZE + PROBES + wrong)


def test_sampling_setting_rows_must_be_dyadic() -> None:
    with pytest.raises(TemplateError, match=r"settings\[0\].draft\[0\]\[0\]: the probability '2/3' is negative or not "
                                            r"a multiple of a power of 1/2"):
        load(STEP.replace("[[3/4, 1/4]]", "[[2/3, 1/3]]"))


def test_sampling_target_needs_one_more_row() -> None:
    with pytest.raises(TemplateError, match="the target has 1 rows and the draft 1"):
        load(STEP.replace("[[1/2, 1/2], [1/4, 3/4]]", "[[1/2, 1/2]]"))


def test_sampling_misconception_must_name_known_law() -> None:
    wrong = """    misconceptions:
      - name: x
        law: no-bonus
        feedback: F.
"""
    with pytest.raises(TemplateError, match="'no-bonus' is not a known wrong law. Did you mean 'no-bonus-token'"):
        load(STEP + wrong)


def test_distribution_flag_only_on_vectors() -> None:
    number = """  n:
    kind: number
    prompt: N.
    answer: "1"
    distribution: true
"""
    with pytest.raises(TemplateError, match="'distribution' must be true or false on a vector part"):
        load(number)


MATMUL = """  int8_matmul:
    kind: function
    prompt: Write it.
    function: matmul.int8_matmul
    dtypes: {a_q: int8, b_q: int8}
    edge_probes:
      - label: e
        args: {a_q: "[[1, 2]]", a_scale: 0.5, a_zero: 0, b_q: "[[3], [4]]", b_scale: 0.5, b_zero: 0, out_scale: 1,
               out_zero: 0}
"""


def test_dtypes_are_stored_per_parameter() -> None:
    spec = load(MATMUL).part("int8_matmul").function
    assert spec.dtypes == (("a_q", "int8"), ("b_q", "int8"))
    assert spec.dtype("a_q") == "int8"
    assert spec.dtype("a_scale") == "float64"


def test_unknown_dtype_is_rejected() -> None:
    with pytest.raises(TemplateError, match=r"parts.int8_matmul.dtypes.b_q: 'int9' is not a dtype that array "
                                            r"arguments can have. Did you mean 'int8'"):
        load(MATMUL.replace("b_q: int8}", "b_q: int9}"))


def test_dtype_of_unknown_parameter_is_rejected() -> None:
    with pytest.raises(TemplateError, match="unknown key 'c_q' in dtypes"):
        load(MATMUL.replace("b_q: int8}", "c_q: int8}"))


def test_edge_probe_outside_dtype_range_is_rejected() -> None:
    with pytest.raises(TemplateError, match=r"edge_probes\[0\].args.a_q: the array argument 'a_q' is invalid: the "
                                            r"entry 200 is not a whole number from -128 to 127, so int8 cannot hold it"):
        load(MATMUL.replace('"[[1, 2]]"', '"[[1, 200]]"'))


def test_edge_probe_with_ragged_matrix_is_rejected() -> None:
    with pytest.raises(TemplateError, match=r"the rows of the matrix have different lengths \[1, 2\]"):
        load(MATMUL.replace('"[[3], [4]]"', '"[[3], [4, 5]]"'))


def test_edge_probe_with_fraction_for_integer_dtype_is_rejected() -> None:
    with pytest.raises(TemplateError, match="the entry 1/2 is not a whole number"):
        load(MATMUL.replace('"[[1, 2]]"', '"[[1, 0.5]]"'))
