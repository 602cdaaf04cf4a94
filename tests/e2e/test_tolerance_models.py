"""Each tolerance model through a real kernel and a real Otter run, with the feedback it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from effquiz.build import build
from effquiz.grader.batch import grade_folder
from tests.conftest import THREE_STUDENTS
from tests.e2e.answers import read_notebook, set_variables, submit

pytestmark = pytest.mark.slow
BANK = Path(__file__).parent / "bank"


@pytest.fixture(scope="module")
def feedback(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build the test bank's assignment, answer as ada and return ada's feedback by part."""
    root = tmp_path_factory.mktemp("tolerance")
    roster = root / "roster.csv"
    roster.write_text(THREE_STUDENTS, encoding="utf-8")
    build_dir = build(assignment_path=BANK.parent / "tolerance.yaml", roster_path=roster, out=root / "build").out
    notebook = read_notebook(build_dir, "ada", "tolerance")
    set_variables(notebook, {
        "scale": "0.0157",               # 4/255 = 0.015686... is 0.0157 at 3 figures
        "residual": "[0.25, 0, 0, 0]",   # max(0, p − q) before dividing by its sum 1/4
        "bin": "[0.2505, 0.75]",         # within 0.001 of [1/4, 3/4]
        "level": "72.0",                 # a whole float counts as the integer
        "proxy": '"No: most drafts are rejected."',  # the choice by its text
    })
    submit(notebook, build_dir, "ada", root / "submissions", "ada")
    report = grade_folder(build_dir=build_dir, submissions=root / "submissions", out=root / "grades.csv")
    data = json.loads((report.feedback / "ada.json").read_text())
    return {part["part"]: part for part in data["parts"]}


def test_sigfigs_answer_states_interval(feedback: dict) -> None:
    assert feedback["scale"]["status"] == "correct"
    assert "[0.01565, 0.01575)" in feedback["scale"]["message"]


def test_unnormalized_distribution_names_misconception(feedback: dict) -> None:
    assert feedback["residual"]["score"] == 0
    assert feedback["residual"]["misconception"] == "residual-not-normalized"


def test_interval_within_tolerance_is_correct(feedback: dict) -> None:
    assert feedback["bin"]["status"] == "correct"
    assert feedback["bin"]["message"] == "Correct: both bounds within an absolute tolerance of 0.001 of the exact value."


def test_whole_float_is_exact_integer(feedback: dict) -> None:
    assert feedback["level"]["status"] == "correct"


def test_choice_by_text_is_correct(feedback: dict) -> None:
    assert feedback["proxy"]["status"] == "correct"
    assert feedback["proxy"]["score"] == 1
