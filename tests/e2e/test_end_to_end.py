"""The whole path with a real kernel and a real Otter run: build, answer as a student, grade."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from effquiz.assignment import load_assignment
from effquiz.demo import answer_as_student
from effquiz.grader.batch import grade_folder
from effquiz.templates import Bank

pytestmark = pytest.mark.slow


def submit(build_dir: Path, examples: Path, author: str, filed_as: str, folder: Path, choose=None,
           as_zip: bool = False) -> None:
    """Fill ``author``'s notebook from their key, run it in a kernel and file it as ``filed_as``."""
    assignment = load_assignment(examples / "lecture.yaml")
    answered = answer_as_student(build_dir, assignment, author, folder.parent / "work" / filed_as, choose)
    folder.mkdir(parents=True, exist_ok=True)
    if as_zip:
        assert answered.export_zip is not None, "the notebook's export cell wrote no zip"
        shutil.copy(answered.export_zip, folder / f"{filed_as}.zip")
    else:
        nbformat.write(answered.notebook, folder / f"{filed_as}.ipynb")


@pytest.fixture(scope="module")
def graded(lecture_build: Path, examples: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Grade three submissions: ada all right, alan with two wrong parts, ada's notebook as grace."""
    root = tmp_path_factory.mktemp("graded")
    submissions = root / "submissions"
    submit(lecture_build, examples, "ada", "ada", submissions)
    submit(lecture_build, examples, "alan", "alan", submissions,
           choose=lambda question, part: "wrong" if part in ("scale", "acceptance_rate") else "right")
    submit(lecture_build, examples, "ada", "grace", submissions)
    report = grade_folder(build_dir=lecture_build, submissions=submissions, out=root / "grades.csv")
    rows = {row.student_id: row for row in report.rows}
    return {"rows": rows, "report": report}


def test_key_answers_earn_full_marks(graded: dict) -> None:
    result = graded["rows"]["ada"].result
    assert result is not None
    assert result.total == result.possible == 10
    assert all(part.status == "correct" for part in result.parts)


def test_wrong_answers_score_less(graded: dict) -> None:
    # Each question is worth 5 points over 5 parts, so each wrong part costs 1 point.
    result = graded["rows"]["alan"].result
    assert result.total == 8
    wrong = {part.part for part in result.parts if part.status != "correct"}
    assert wrong == {"scale", "acceptance_rate"}


def test_classmates_notebook_scores_less(graded: dict) -> None:
    result = graded["rows"]["grace"].result
    assert result is not None
    assert result.total < result.possible


def test_export_zip_is_graded_like_a_notebook(lecture_build: Path, examples: Path, tmp_path: Path) -> None:
    # grace's key answers, submitted as the zip that her notebook's export cell writes.
    submissions = tmp_path / "submissions"
    submit(lecture_build, examples, "grace", "grace", submissions, as_zip=True)
    report = grade_folder(build_dir=lecture_build, submissions=submissions, out=tmp_path / "grades.csv")
    result = {row.student_id: row for row in report.rows}["grace"].result
    assert result is not None
    assert result.total == result.possible == 10


def test_gradebook_has_contract_columns(graded: dict) -> None:
    lines = graded["report"].gradebook.read_text().splitlines()
    assert lines[0].split(",")[:5] == ["student_id", "total", "possible", "mapping", "draft"]
    assert lines[1].startswith("ada,10,10,5,5")


def test_feedback_lists_each_part(graded: dict) -> None:
    feedback = json.loads((graded["report"].feedback / "alan.json").read_text())
    scale = next(part for part in feedback["parts"] if part["part"] == "scale")
    assert scale["score"] == 0
    assert scale["max_score"] == 1
    assert "Not accepted" in scale["message"]
    assert feedback["seed"] is not None
    bank = Bank.load()
    assert feedback["template_versions"] == {template_id: bank.get(template_id).version
                                             for template_id in ("affine-int-mapping", "speculative-uniform-draft")}
