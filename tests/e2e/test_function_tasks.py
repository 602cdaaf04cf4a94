"""The implementation tasks with a real kernel and a real Otter run: full marks, named mistakes, feedback.

Each student's functions are written here independently of ``solutions/``, the way a
student would write them, and graded by the build's own autograder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from effquiz.build import build
from tests.conftest import THREE_STUDENTS
from tests.e2e.answers import feedback_part, grade_with_feedback, read_notebook, submit, write_function

pytestmark = pytest.mark.slow

TASKS = Path(__file__).with_name("tasks.yaml")

# Correct, in other words than the references: Python's round() and np.rint also break ties to even.
DEQUANTIZE = '''
def dequantize(q, scale, zero_point):
    if scale <= 0:
        raise ValueError("the scale must be positive")
    return np.array([scale * (int(level) - zero_point) for level in q])
'''

QPARAMS = '''
def qparams(lo, hi, bits, signed):
    if hi <= lo:
        raise ValueError("empty range")
    scale = (hi - lo) / (2 ** bits - 1)
    qmin = -2 ** (bits - 1) if signed else 0
    return scale, qmin - round(lo / scale)
'''

MATMUL = '''
def int8_matmul(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    acc = (a_q.astype(np.int32) - a_zero) @ (b_q.astype(np.int32) - b_zero)
    levels = np.rint(a_scale * b_scale / out_scale * acc) + out_zero
    return np.clip(levels, -128, 127).astype(np.int32)
'''

ACCEPT = '''
def accept(p_x, q_x, u):
    return True if p_x >= q_x else u * q_x < p_x
'''

RESIDUAL = '''
def residual(p, q):
    weights = [max(a - b, 0.0) for a, b in zip(p, q)]
    if sum(weights) == 0:
        raise ValueError("p equals q")
    return np.array(weights) / sum(weights)
'''

# Known mistakes, as students make them.
DEQUANTIZE_WITHOUT_Z = '''
def dequantize(q, scale, zero_point):
    if scale <= 0:
        raise ValueError("the scale must be positive")
    return scale * q
'''

QPARAMS_256 = QPARAMS.replace("(2 ** bits - 1)", "2 ** bits")

MATMUL_INT8 = '''
def int8_matmul(a_q, a_scale, a_zero, b_q, b_scale, b_zero, out_scale, out_zero):
    acc = (a_q - a_zero) @ (b_q - b_zero)
    levels = np.round(a_scale * b_scale / out_scale * acc) + out_zero
    return np.clip(levels, -128, 127).astype(int)
'''

ACCEPT_AT_BOUNDARY = '''
def accept(p_x, q_x, u):
    return u <= min(1, p_x / q_x)
'''

RESIDUAL_UNNORMALIZED = '''
def residual(p, q):
    return np.maximum(p - q, 0)
'''

MATMUL_FLAT = MATMUL.replace("return np.clip(levels, -128, 127).astype(np.int32)",
                             "return np.clip(levels, -128, 127).ravel().tolist()")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build tasks.yaml for three students; grade ada (right), alan (known mistakes), grace (unfinished)."""
    root = tmp_path_factory.mktemp("tasks")
    roster = root / "roster.csv"
    roster.write_text(THREE_STUDENTS, encoding="utf-8")
    build_dir = build(assignment_path=TASKS, roster_path=roster, out=root / "build").out
    folder = root / "submissions"

    answers = {
        "ada": {"dequantize": DEQUANTIZE, "qparams": QPARAMS, "int8_matmul": MATMUL, "accept": ACCEPT,
                "residual": RESIDUAL},
        "alan": {"dequantize": DEQUANTIZE_WITHOUT_Z, "qparams": QPARAMS_256, "int8_matmul": MATMUL_INT8,
                 "accept": ACCEPT_AT_BOUNDARY, "residual": RESIDUAL_UNNORMALIZED},
        "grace": {"int8_matmul": MATMUL_FLAT},
    }
    for student, functions in answers.items():
        notebook = read_notebook(build_dir, student, "tasks")
        for name, source in functions.items():
            write_function(notebook, name, source)
        submit(notebook, build_dir, student, folder, student)

    return grade_with_feedback(build_dir, folder, root / "grades.csv")


def test_correct_implementations_earn_full_marks(graded: dict) -> None:
    result = graded["rows"]["ada"].result
    assert result.total == result.possible == 15
    # 12 per-student probes and 4 edge probes.
    assert "passed all 16 probes" in feedback_part(graded["feedback"]["ada"], "int8_matmul")["message"]


@pytest.mark.parametrize(("name", "misconception"), [
    ("dequantize", "zero-point-not-subtracted"),
    ("qparams", "levels-instead-of-gaps"),
    ("int8_matmul", "int8-accumulator"),
    ("accept", "boundary-accepted"),
    ("residual", "residual-not-normalized"),
])
def test_known_mistake_is_named(graded: dict, name: str, misconception: str) -> None:
    entry = feedback_part(graded["feedback"]["alan"], name)
    assert entry["score"] == 0
    assert entry["misconception"] == misconception


def test_boundary_failure_shows_reference(graded: dict) -> None:
    # u <= p/q differs from u < p/q only at equality, which the hidden probes avoid, so the
    # first failure is the visible edge probe u = p/q = 1/2.
    message = feedback_part(graded["feedback"]["alan"], "accept")["message"]
    assert "accept(p_x=0.25, q_x=0.5, u=0.5) [u exactly at p(x)/q(x) = 1/2" in message
    assert "returned True; the reference returned False" in message


def test_unfinished_function_is_missing(graded: dict) -> None:
    entry = feedback_part(graded["feedback"]["grace"], "dequantize")
    assert entry["status"] == "missing"
    assert "returns None" in entry["message"]


def test_flat_matrix_names_first_input(graded: dict) -> None:
    entry = feedback_part(graded["feedback"]["grace"], "int8_matmul")
    assert entry["score"] == 0
    assert "The first failing input: int8_matmul(a_q=[[" in entry["message"]
    assert "[probe 1]" in entry["message"]
