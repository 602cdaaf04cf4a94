"""Function parts with a real kernel and a real Otter run: probes, a sampling step, feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.answers import (
    feedback_part, grade_with_feedback, key, read_notebook, set_variables, submit, write_function,
)

pytestmark = pytest.mark.slow

# Written independently of solutions/: Python's round() also breaks ties to even.
QUANTIZE = '''
def quantize(x, lo, hi, bits, signed):
    if hi <= lo:
        raise ValueError("empty range")
    qmin, qmax = (-2 ** (bits - 1), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
    scale = (hi - lo) / (2 ** bits - 1)
    zero = qmin - round(lo / scale)
    return np.array([min(qmax, max(qmin, round(v / scale) + zero)) for v in x])
'''

QUANTIZE_FLOOR = '''
def quantize(x, lo, hi, bits, signed):
    if hi <= lo:
        raise ValueError("empty range")
    qmin, qmax = (-2 ** (bits - 1), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
    scale = (hi - lo) / (2 ** bits - 1)
    zero = qmin - round(lo / scale)
    return np.array([min(qmax, max(qmin, int(np.floor(v / scale)) + zero)) for v in x])
'''

STEP = '''
def speculative_step(draft_tokens, p, q, rng):
    emitted = []
    for i, x in enumerate(draft_tokens):
        if rng.uniform() < min(1.0, p[i, x] / q[i, x]):
            emitted.append(int(x))
            continue
        residual = np.maximum(p[i] - q[i], 0)
        emitted.append(int(rng.choice(len(residual), p=residual / residual.sum())))
        return emitted
    emitted.append(int(rng.choice(p.shape[1], p=p[len(draft_tokens)])))
    return emitted
'''

STEP_WITHOUT_BONUS = STEP.replace("    emitted.append(int(rng.choice(p.shape[1], p=p[len(draft_tokens)])))\n", "")

STEP_RAISES = '''
def speculative_step(draft_tokens, p, q, rng):
    raise RuntimeError("not finished")
'''


@pytest.fixture(scope="module")
def graded(functions_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Grade ada (all right), alan (known mistakes) and grace (unfinished functions)."""
    folder = tmp_path_factory.mktemp("function-submissions")

    ada = read_notebook(functions_build, "ada", "functions")
    write_function(ada, "quantize", QUANTIZE)
    write_function(ada, "speculative_step", STEP)
    set_variables(ada, {"keep_probability": repr(key(functions_build, "ada")["questions"]["step"]["parts"]
                                                  ["keep_probability"]["answer"])})
    submit(ada, functions_build, "ada", folder, "ada")

    alan = read_notebook(functions_build, "alan", "functions")
    write_function(alan, "quantize", QUANTIZE_FLOOR)
    write_function(alan, "speculative_step", STEP_WITHOUT_BONUS)
    params = key(functions_build, "alan")["questions"]["step"]["params"]
    set_variables(alan, {"keep_probability": f"{params['q_x']} / {params['p_x']}"})
    submit(alan, functions_build, "alan", folder, "alan")

    grace = read_notebook(functions_build, "grace", "functions")
    write_function(grace, "speculative_step", STEP_RAISES)
    submit(grace, functions_build, "grace", folder, "grace")

    return grade_with_feedback(functions_build, folder, folder.parent / "grades.csv")


def test_correct_functions_earn_full_marks(graded: dict) -> None:
    result = graded["rows"]["ada"].result
    assert result.total == result.possible == 10
    assert "passed all 18 probes" in feedback_part(graded["feedback"]["ada"], "quantize")["message"]


def test_part_points_from_assignment_file(graded: dict) -> None:
    # examples/functions.yaml gives the step 5 of the question's 6 points.
    feedback = graded["feedback"]["ada"]
    assert feedback_part(feedback, "step")["max_score"] == 5
    assert feedback_part(feedback, "keep_probability")["max_score"] == 1


def test_floor_quantizer_names_misconception(graded: dict) -> None:
    entry = feedback_part(graded["feedback"]["alan"], "quantize")
    assert entry["score"] == 0
    assert entry["misconception"] == "floor-instead-of-round"
    assert "The first failing input: quantize(" in entry["message"]


def test_hidden_probe_hides_expected_output(graded: dict) -> None:
    # Per-student probes come first and are hidden, so the first failure is a hidden probe.
    message = feedback_part(graded["feedback"]["alan"], "quantize")["message"]
    assert "[probe 1]" in message
    assert "The expected output of a hidden probe is not shown." in message
    assert "the reference returned" not in message


def test_step_without_bonus_names_misconception(graded: dict) -> None:
    entry = feedback_part(graded["feedback"]["alan"], "step")
    assert entry["score"] == 0
    assert entry["misconception"] == "no-bonus-token"


def test_swapped_ratio_names_misconception(graded: dict) -> None:
    entry = feedback_part(graded["feedback"]["alan"], "keep_probability")
    assert entry["misconception"] == "p-q-swapped"


def test_unfinished_quantizer_is_missing(graded: dict) -> None:
    entry = feedback_part(graded["feedback"]["grace"], "quantize")
    assert entry["status"] == "missing"
    assert "returns None" in entry["message"]


def test_raising_step_names_first_call(graded: dict) -> None:
    entry = feedback_part(graded["feedback"]["grace"], "step")
    assert entry["score"] == 0
    assert "call 1, with draft_tokens=" in entry["message"]
    assert "raised RuntimeError: not finished" in entry["message"]
