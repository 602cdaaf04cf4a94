"""examples/course.yaml, the whole bank as one problem set, builds and grades to full marks.

The build runs Otter Assign. Each student's notebook is filled from their own key and run
in a real Jupyter kernel, and the real autograder grades the folder of submissions.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from effquiz.assignment import load_assignment
from effquiz.build import build
from effquiz.demo import answer_as_student
from effquiz.grader.batch import grade_folder
from effquiz.templates import Bank

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course_report(examples: Path, tmp_path_factory: pytest.TempPathFactory):
    """Build the course for the example roster and grade every student's key answers."""
    root = tmp_path_factory.mktemp("course")
    result = build(assignment_path=examples / "course.yaml", roster_path=examples / "roster.csv", out=root / "build")
    assignment = load_assignment(examples / "course.yaml")
    submissions = root / "submissions"
    submissions.mkdir()
    for key in sorted((result.out / "keys").glob("*.json")):
        answered = answer_as_student(result.out, assignment, key.stem, root / "work" / key.stem)
        nbformat.write(answered.notebook, submissions / f"{key.stem}.ipynb")
    return grade_folder(build_dir=result.out, submissions=submissions, out=root / "grades.csv")


def test_course_uses_every_template(examples: Path):
    assignment = load_assignment(examples / "course.yaml")
    assert sorted(question.problem for question in assignment.questions) == sorted(Bank.load().templates)


def test_course_grades_every_roster_student(course_report):
    assert sorted(row.student_id for row in course_report.rows) == ["ada", "alan", "barbara", "edsger", "grace"]


def test_course_key_answers_earn_full_marks(course_report):
    for row in course_report.rows:
        assert row.result is not None, row.student_id
        wrong = [f"{part.question}.{part.part}: {part.message}" for part in row.result.parts if part.status != "correct"]
        assert wrong == [], row.student_id
        assert row.result.total == row.result.possible
