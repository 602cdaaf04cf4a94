"""judge_submission: a pure function of the configuration, the student id and the collected JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

import effquiz
from effquiz.assignment import load_assignment
from effquiz.grader.config import GradingConfig, RosterEntry
from effquiz.grader.submission import judge_submission

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def config() -> GradingConfig:
    assignment = load_assignment(EXAMPLES / "functions.yaml")
    texts = {q.problem: q.template.path.read_text(encoding="utf-8") for q in assignment.questions}
    return GradingConfig(effquiz_version=effquiz.__version__, assignment_name=assignment.name,
                         course_seed=assignment.course_seed, reveal_correctness=False,
                         questions=assignment.questions, template_texts=texts,
                         students=(RosterEntry("ada", "ada@example.edu", "Ada", ""),))


def test_nothing_collected_is_not_graded(config: GradingConfig) -> None:
    result = judge_submission(config, "ada", {})
    assert [part.status for part in result.parts] == ["not graded"] * 3
    assert result.total == 0


def test_part_points_follow_assignment(config: GradingConfig) -> None:
    # examples/functions.yaml: quantizer 4 points; step 6, of which the step part takes 5.
    result = judge_submission(config, "ada", {})
    assert {part.part: part.max_score for part in result.parts} == {"quantize": 4, "keep_probability": 1, "step": 5}


def test_same_inputs_give_same_result(config: GradingConfig) -> None:
    collected = {"step": {"keep_probability": {"kind": "float", "value": "0.5"}}}
    first = judge_submission(config, "ada", collected)
    second = judge_submission(config, "ada", collected)
    assert first.to_json() == second.to_json()
    assert first.seed is not None


def test_undefined_function_is_missing(config: GradingConfig) -> None:
    result = judge_submission(config, "ada", {"quantizer": {"quantize": {"kind": "undefined"}}})
    quantize = next(part for part in result.parts if part.part == "quantize")
    assert quantize.status == "missing"
    assert "was not defined" in quantize.message
