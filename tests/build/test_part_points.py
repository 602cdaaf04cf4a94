"""Points per part, set in the assignment file: validation and the split of the rest by weight."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from effquiz.assignment import load_assignment
from effquiz.errors import AssignmentError


def write_assignment(folder: Path, parts: str, points: int = 10) -> Path:
    path = folder / "quiz.yaml"
    path.write_text(f"name: quiz\ncourse_seed: 1\nquestions:\n  - id: mapping\n    problem: affine-int-mapping\n"
                    f"    points: {points}\n{parts}", encoding="utf-8")
    return path


def test_listed_part_keeps_its_points(tmp_path: Path) -> None:
    # scale gets 6 of 10; the four other parts (weight 1 each) share 4, so 1 each.
    assignment = load_assignment(write_assignment(tmp_path, "    parts: {scale: 6}\n"))
    points = assignment.question("mapping").part_points()
    assert points == {"scale": 6, "zero_point": 1, "q": 1, "lower_edge": 1, "upper_edge": 1}


def test_all_parts_listed_must_sum_to_points(tmp_path: Path) -> None:
    parts = "    parts: {scale: 2, zero_point: 2, q: 2, lower_edge: 2, upper_edge: 1}\n"
    with pytest.raises(AssignmentError, match=r"quiz.yaml:7:\d+: questions\[0\].parts: the parts' points sum to 9, "
                                              r"but the question is worth 10"):
        load_assignment(write_assignment(tmp_path, parts))


def test_all_parts_listed_with_right_sum(tmp_path: Path) -> None:
    parts = "    parts: {scale: 2, zero_point: 2, q: 2, lower_edge: 2.5, upper_edge: 1.5}\n"
    points = load_assignment(write_assignment(tmp_path, parts)).question("mapping").part_points()
    assert points["lower_edge"] == Fraction(5, 2)
    assert sum(points.values()) == 10


def test_unknown_part_is_named_with_suggestion(tmp_path: Path) -> None:
    with pytest.raises(AssignmentError, match=r"parts.scal: affine-int-mapping has no part 'scal'. Did you mean "
                                              r"'scale'\?"):
        load_assignment(write_assignment(tmp_path, "    parts: {scal: 2}\n"))


def test_listed_points_may_not_use_everything(tmp_path: Path) -> None:
    with pytest.raises(AssignmentError, match="leaves nothing for zero_point, q, lower_edge, upper_edge"):
        load_assignment(write_assignment(tmp_path, "    parts: {scale: 10}\n"))


def test_negative_part_points_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(AssignmentError, match="must be a number >= 0, not -1"):
        load_assignment(write_assignment(tmp_path, "    parts: {scale: -1}\n"))


def test_part_points_survive_grading_config(tmp_path: Path) -> None:
    from effquiz.grader.config import GradingConfig

    assignment = load_assignment(write_assignment(tmp_path, "    parts: {scale: 6}\n"))
    config = GradingConfig(effquiz_version="0", assignment_name="quiz", course_seed=1, reveal_correctness=False,
                           questions=assignment.questions,
                           template_texts={"affine-int-mapping": assignment.questions[0].template.path.read_text()},
                           students=())
    rebuilt = GradingConfig.from_json(config.to_json())
    assert rebuilt.questions[0].part_points()["scale"] == 6
