"""Judging function parts from collected outcomes, and the probes they are called on."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from effquiz.grader.functions import judge_function, judge_sampling, outcomes_match, shown_call, values_match
from effquiz.grader.kernel_code import call_probes, decode_args
from effquiz.grader.probes import argument_json, function_probes, probe_file, sampling_plans
from effquiz.templates import Bank
from effquiz.templates.schema import Tolerance

EXACT = Tolerance()


@pytest.fixture(scope="module")
def quantizer():
    template = Bank.load().get("quantize-function")
    return template, template.part("quantize")


def as_int(value: int) -> dict:
    return {"kind": "int", "value": str(value)}


def test_whole_float_matches_int() -> None:
    assert values_match(as_int(3), {"kind": "float", "value": "3.0"}, EXACT)


def test_list_lengths_must_agree() -> None:
    expected = {"kind": "list", "items": [as_int(1), as_int(2)]}
    assert not values_match(expected, {"kind": "list", "items": [as_int(1)]}, EXACT)


def test_float_output_uses_tolerance() -> None:
    tolerance = Tolerance(relative=Fraction(1, 1000))
    assert values_match({"kind": "float", "value": "1.0"}, {"kind": "float", "value": "1.0005"}, tolerance)
    assert not values_match({"kind": "float", "value": "1.0"}, {"kind": "float", "value": "1.002"}, tolerance)


def test_expected_error_needs_same_class() -> None:
    expected = {"raised": ["ValueError", "Exception"], "message": ""}
    assert outcomes_match(expected, {"raised": ["DegenerateRange", "ValueError"], "message": "x"}, EXACT)
    assert not outcomes_match(expected, {"raised": ["TypeError", "Exception"], "message": "x"}, EXACT)
    assert not outcomes_match(expected, {"returned": as_int(0)}, EXACT)


def test_probes_are_per_student_and_fixed_edges(quantizer) -> None:
    template, part = quantizer
    first, again, other = (function_probes(template, part, seed) for seed in (1, 1, 2))
    assert first == again
    assert [p.args for p in first[:12]] != [p.args for p in other[:12]]
    assert [p.args for p in first[12:]] == [p.args for p in other[12:]]
    assert all(p.hidden for p in first[:12]) and not any(p.hidden for p in first[12:])


def test_edge_probe_arguments_as_json(quantizer) -> None:
    template, part = quantizer
    tie = function_probes(template, part, 1)[12]
    assert tie.args == {"x": {"array": [0.5, 1.5, 2.5, 3.5]}, "lo": 0, "hi": 15, "bits": 4, "signed": False}


def written_quantizer(rounding):
    """Return a quantizer as a student might write it, rounding x/S with ``rounding``."""
    def quantize(x, lo, hi, bits, signed):
        if hi <= lo:
            raise ValueError("empty")
        qmin, qmax = (-2 ** (bits - 1), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)
        scale = (hi - lo) / (2**bits - 1)
        return np.clip(rounding(x / scale) + qmin - np.round(lo / scale), qmin, qmax).astype(int)

    return quantize


def judge_with(template, part, implementation):
    probes = function_probes(template, part, 7)
    return judge_function(part, probes, call_probes(implementation, [{"args": p.args} for p in probes], 5.0))


def test_correct_function_passes(quantizer) -> None:
    template, part = quantizer

    verdict = judge_with(template, part, written_quantizer(np.round))
    assert verdict.correct, verdict.message


def test_visible_edge_failure_shows_expected(quantizer) -> None:
    template, part = quantizer

    right = written_quantizer(np.round)

    def quantize(x, lo, hi, bits, signed):
        levels = right(x, lo, hi, bits, signed)
        return levels + 1 if hi == 15 else levels

    # Only the first edge probe (hi = 15) is off: ties 0.5, 1.5, 2.5, 3.5 give 0, 2, 2, 4.
    message = judge_with(template, part, quantize).message
    assert "quantize(x=[0.5, 1.5, 2.5, 3.5], lo=0, hi=15, bits=4, signed=False)" in message
    assert "returned [1, 3, 3, 5]; the reference returned [0, 2, 2, 4]" in message


def test_hidden_failure_hides_expected(quantizer) -> None:
    template, part = quantizer
    message = judge_with(template, part, lambda x, lo, hi, bits, signed: np.zeros(len(x), dtype=int)).message
    assert "[probe 1]" in message
    assert "The expected output of a hidden probe is not shown." in message
    assert "the reference" not in message


def test_floor_mistake_is_named(quantizer) -> None:
    template, part = quantizer

    verdict = judge_with(template, part, written_quantizer(np.floor))
    assert verdict.misconception == "floor-instead-of-round"


def test_starter_body_is_missing(quantizer) -> None:
    template, part = quantizer
    verdict = judge_with(template, part, lambda x, lo, hi, bits, signed: None)
    assert verdict.status == "missing"


def test_uncollected_probes_are_not_graded(quantizer) -> None:
    template, part = quantizer
    verdict = judge_function(part, function_probes(template, part, 7), {"kind": "other", "type": "function"})
    assert verdict.status == "not graded"


def test_sampling_plan_drafts_follow_draft_rows() -> None:
    part = Bank.load().get("speculative-step-function").part("step")
    plan = sampling_plans(part, 3)[0]
    assert len(plan.drafts) == part.function.sampling.calls
    # Every token has q > 0 in the draft rows, so each appears, and about 1/4 of the time
    # at position 0, whose row is uniform.
    share = sum(d[0] == 0 for d in plan.drafts) / len(plan.drafts)
    assert 0.2 < share < 0.3
    assert plan == sampling_plans(part, 3)[0]


def test_sampling_failure_names_call() -> None:
    part = Bank.load().get("speculative-step-function").part("step")
    plans = sampling_plans(part, 3)
    collected = {"kind": "samples", "settings": [{"outputs": [], "failure": {
        "call": 0, "raised": ["IndexError", "LookupError"], "message": "index 9 is out of bounds"}}]}
    message = judge_sampling(part, plans, collected).message
    assert f"call 1, with draft_tokens={list(plans[0].drafts[0])}, raised IndexError" in message


def test_probe_file_holds_inputs_only(quantizer) -> None:
    template, _ = quantizer
    data = probe_file(template, 5)
    entry = data["parts"]["quantize"]
    assert set(entry) == {"function", "call_seconds", "probes"}
    assert set(entry["probes"][0]) == {"label", "args"}


def test_matrix_argument_as_json() -> None:
    assert argument_json(((1, 2), (3, 4)), "int8") == {"array": [[1, 2], [3, 4]], "dtype": "int8"}
    assert argument_json((Fraction(1, 2), 1)) == {"array": [0.5, 1.0]}


def test_argument_outside_dtype_is_rejected() -> None:
    with pytest.raises(ValueError, match="the entry 128 is not a whole number from -128 to 127"):
        argument_json((1, 128), "int8")


def test_matmul_probes_carry_int8_matrices() -> None:
    template = Bank.load().get("int8-matmul-function")
    probe = function_probes(template, template.part("int8_matmul"), 4)[0]
    assert probe.args["a_q"]["dtype"] == "int8"
    assert [len(row) for row in probe.args["a_q"]["array"]] == [3, 3]
    assert [len(row) for row in probe.args["b_q"]["array"]] == [2, 2, 2]


def test_decoded_matrix_keeps_dtype() -> None:
    args = decode_args({"a_q": {"array": [[1, -2], [3, 4]], "dtype": "int8"}, "x": {"array": [0.5]}, "n": 3})
    assert args["a_q"].dtype == np.int8
    assert args["a_q"].shape == (2, 2)
    assert args["x"].dtype == np.float64
    assert args["n"] == 3


def test_shown_call_prints_matrix() -> None:
    text = shown_call("f", {"a": {"array": [[1, -2], [3, 4]], "dtype": "int8"}, "s": 0.5})
    assert text == "f(a=[[1, -2], [3, 4]], s=0.5)"
