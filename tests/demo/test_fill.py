"""Filling notebooks from keys: variables from the key, function parts from the references in solutions/."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import numpy as np
import pytest

from effquiz.assignment import load_assignment
from effquiz.demo import fill_notebook, reference_source, write_function
from effquiz.errors import BuildError

ASSIGNMENT = """name: fill
title: Fill
course_seed: 1
questions:
  - {id: accept_q, problem: acceptance-functions, points: 2}
  - {id: step_q, problem: speculative-step-function, points: 2}
"""

STARTERS = '''import numpy as np


def accept(p_x, q_x, u):
    """Doc."""
    ...


def residual(p, q):
    """Doc."""
    ...
'''

STEP = '''keep_probability = ...


def speculative_step(draft_tokens, p, q, rng):
    """Doc."""
    ...
'''

KEY = {"questions": {
    "accept_q": {"parts": {"accept": {"answer": None}, "residual": {"answer": None}}},
    "step_q": {"parts": {"keep_probability": {"answer": 0.4}, "step": {"answer": None}}},
}}


@pytest.fixture()
def assignment(tmp_path: Path):
    path = tmp_path / "fill.yaml"
    path.write_text(ASSIGNMENT, encoding="utf-8")
    return load_assignment(path)


def notebook() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(STARTERS), nbformat.v4.new_code_cell(STEP)])


def run(filled: nbformat.NotebookNode) -> dict:
    namespace: dict = {}
    for cell in filled.cells:
        exec(cell.source, namespace)
    return namespace


def test_function_parts_get_references(assignment) -> None:
    namespace = run(fill_notebook(notebook(), assignment, KEY))
    # u = 1/2 equals p/q = 0.25/0.5, so the strict test rejects.
    assert namespace["accept"](0.25, 0.5, 0.5) is False
    # max(0, p - 1/4) = (1/4, 1/4, 0, 0) over its sum 1/2.
    assert namespace["residual"](np.array([0.5, 0.5, 0, 0]), np.full(4, 0.25)).tolist() == [0.5, 0.5, 0, 0]
    assert namespace["keep_probability"] == 0.4
    # One draft with p = q = (1, 0) is always kept, and the bonus token from p[1] = (0, 1) is 1.
    step = namespace["speculative_step"](np.array([0]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0]]),
                                         np.random.default_rng(0))
    assert step == [0, 1]


def test_wrong_function_is_first_misconception(assignment) -> None:
    filled = fill_notebook(notebook(), assignment, KEY, choose=lambda question, part: "wrong")
    namespace = run(filled)
    # The first misconception of accept is the <= test, which keeps p(x) = 0 when u = 0.
    assert namespace["accept"](0.0, 0.5, 0.0) is True
    # The sampling step names wrong laws, not functions, so its wrong answer raises.
    with pytest.raises(NotImplementedError):
        namespace["speculative_step"](np.array([0]), None, None, None)


def test_blank_parts_stay_unanswered(assignment) -> None:
    filled = fill_notebook(notebook(), assignment, KEY, choose=lambda question, part: "blank")
    assert filled.cells[0].source == STARTERS
    assert filled.cells[1].source == STEP


def test_reference_defines_only_its_function() -> None:
    # speculative_step calls the module helper sample(), which moves inside its body.
    tree = ast.parse(reference_source("speculative", "speculative_step"))
    assert [type(node).__name__ for node in tree.body] == ["FunctionDef"]
    assert tree.body[0].name == "speculative_step"
    assert any(isinstance(node, ast.FunctionDef) and node.name == "sample" for node in tree.body[0].body)


def test_reference_renamed_for_wrong_implementation() -> None:
    namespace: dict = {}
    exec(reference_source("quantization", "dequantize_without_zero_point", rename="dequantize"), namespace)
    # S·q = 0.5·4 instead of S·(q - Z) = 0.5·(4 - 2).
    assert namespace["dequantize"](np.array([4]), 0.5, 2).tolist() == [2.0]


def test_unknown_reference_is_rejected() -> None:
    with pytest.raises(BuildError, match="solutions/quantization.py has no function 'quantise'"):
        reference_source("quantization", "quantise")


def test_missing_starter_is_rejected() -> None:
    with pytest.raises(BuildError, match="the notebook has no starter function 'qparams'"):
        write_function(notebook(), "qparams", "def qparams(lo, hi, bits, signed):\n    return 1\n")
