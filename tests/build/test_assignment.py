"""Assignment files: the questions they name must be answerable in one notebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from effquiz.assignment import load_assignment
from effquiz.errors import AssignmentError


def test_course_example_loads(examples: Path) -> None:
    assignment = load_assignment(examples / "course.yaml")
    # One question per template of the bank, the six implementation tasks included.
    assert len(assignment.questions) == 27


def test_shared_variable_rejected(tmp_path: Path) -> None:
    # The same template twice assigns scale, zero_point and q twice in one notebook.
    path = tmp_path / "twice.yaml"
    path.write_text(
        "name: twice\ncourse_seed: 1\nquestions:\n"
        "  - {id: first, problem: affine-int-mapping, points: 1}\n"
        "  - {id: second, problem: affine-int-mapping, points: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(AssignmentError, match=r"questions\[1\]\.problem: question 'second' \(part 'scale'\) "
                                              r"and question 'first' \(part 'scale'\) both use the notebook "
                                              r"variable 'scale'"):
        load_assignment(path)
